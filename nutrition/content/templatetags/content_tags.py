from django import template

from nutrition.content import selectors
from nutrition.content.models import Article

register = template.Library()


@register.simple_tag
def latest_articles(limit: int = 3) -> list[Article]:
    """`{% latest_articles 3 as articles %}`: lets any page show the newest articles."""
    return selectors.latest_articles(limit=limit)
