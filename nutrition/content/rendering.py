"""Markdown to safe HTML for article bodies, plus the table of contents and food links.

Pure functions without database access, so the data migration and the services share them.
Every body goes through `sanitize_html` (an nh3 allow-list) after Markdown, whatever its
author typed: raw HTML is allowed in Markdown, so the sanitiser is the only line of defence.
"""

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify as toc_slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

# The magnesium-rich food categories of the foods app (`/foods/magnesium-rich/?category=`).
FOOD_CATEGORIES: dict[str, str] = {
    "leafy-greens": "Leafy greens",
    "nuts-and-seeds": "Nuts and seeds",
    "legumes": "Legumes",
    "whole-grains": "Whole grains",
    "avocado": "Avocado",
    "dark-chocolate": "Dark chocolate",
}
FOOD_SEARCH_PATH = "/foods/"
FOOD_CATEGORY_PATH = "/foods/magnesium-rich/"

# Ids that the page around an article already uses; a heading must not take one of them.
RESERVED_IDS = frozenset(
    {
        "main",
        "site-nav",
        "hero-title",
        "home-search",
        "article-title",
        "article-contents",
        "article-foods",
        "article-sources",
        "article-related",
        "article-disclaimer",
    }
)

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "dd",
        "del",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "dfn": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "div": {"aria-label"},
    **{tag: {"id"} for tag in _HEADINGS},
}
ALLOWED_CLASSES = {"a": {"food-link"}, "div": {"table-scroll"}}
# The scroll box around a wide table: a named region reachable by keyboard (see _WrapTables).
ALLOWED_ATTRIBUTE_VALUES = {"div": {"role": {"region"}, "tabindex": {"0"}}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with everything inside them, not just unwrapped.
DROP_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "noscript",
        "template",
        "svg",
        "math",
        "textarea",
        "select",
        "title",
        "head",
    }
)
EXTERNAL_REL = "noopener nofollow"

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
_NUMBER_RE = re.compile(r"^\d{1,4}$")
_A_START_TAG_RE = re.compile(r'<a\b(?:[^>"]|"[^"]*")*>')
_HREF_RE = re.compile(r'\shref="([^"]*)"')


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Second check after the allow-list: values must look like what they claim to be."""
    if attribute == "id":
        return value if _ID_RE.match(value) and value not in RESERVED_IDS else None
    if attribute == "align":
        return value if value in {"left", "right", "center"} else None
    if attribute in {"width", "height", "colspan", "rowspan", "start"}:
        return value if _NUMBER_RE.match(value) else None
    if attribute == "scope":
        return value if value in {"col", "row", "colgroup", "rowgroup"} else None
    return value


def is_external(href: str) -> bool:
    lowered = href.strip().lower()
    return lowered.startswith(("http://", "https://", "//"))


def _mark_external_link(match: re.Match[str]) -> str:
    tag = match.group(0)
    href = _HREF_RE.search(tag)
    if href and is_external(html.unescape(href.group(1))):
        return f'{tag[:-1]} rel="{EXTERNAL_REL}">'
    return tag


def sanitize_html(dirty: str) -> str:
    """Keep only allow-listed tags, attributes and URL schemes; mark external links.

    `rel` is never taken from the input: nh3 drops it, then links to other sites get
    rel="noopener nofollow" and links inside the site get none.
    """
    clean = nh3.clean(
        dirty,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        allowed_classes=ALLOWED_CLASSES,
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    # nh3's serialiser always double-quotes attribute values and escapes `"` inside them,
    # so a start tag is `<a` plus quoted values up to the first unquoted `>`.
    return _A_START_TAG_RE.sub(_mark_external_link, clean)


def plain_text(fragment: str) -> str:
    """The readable text of an HTML fragment (for word counts and feeds)."""
    return html.unescape(nh3.clean(fragment, tags=set(), clean_content_tags=set(DROP_WITH_CONTENT)))


def heading_slug(value: str, separator: str) -> str:
    slug = toc_slugify(value, separator) or "section"
    if not slug[0].isalnum():
        slug = f"section{separator}{slug}"
    return f"{slug}{separator}section" if slug in RESERVED_IDS else slug


def food_search_url(query: str) -> str:
    return f"{FOOD_SEARCH_PATH}?{urlencode({'q': query})}"


def food_category_url(slug: str) -> str:
    return f"{FOOD_CATEGORY_PATH}?{urlencode({'category': slug})}"


class _FoodLinkProcessor(InlineProcessor):
    """`[[spinach]]`, `[[label|search words]]` and `[[category:slug|label]]` become links."""

    def __init__(self, pattern: str, md: markdown.Markdown, collected: "RenderedBody") -> None:
        super().__init__(pattern, md)
        self.collected = collected

    def handleMatch(self, m: re.Match[str], data: str):
        target, label = m.group(1).strip(), (m.group(2) or "").strip()
        if target.lower().startswith("category:"):
            slug = target.split(":", 1)[1].strip().lower()
            if slug not in FOOD_CATEGORIES:
                self.collected.unknown_categories.append(slug)
                return label or slug, m.start(0), m.end(0)
            text = label or FOOD_CATEGORIES[slug].lower()
            url, kind, name = food_category_url(slug), "category", FOOD_CATEGORIES[slug]
        else:
            # `[[label|search]]`: the reader sees the label, the link searches the second part.
            text = target
            query = label or target
            url, kind, name = food_search_url(query), "food", target
        element = etree.Element("a", {"href": url, "class": "food-link"})
        element.text = text
        # One entry per food: the same food may be linked several times with other words.
        if all(
            link["url"] != url and link["label"].lower() != name.lower()
            for link in self.collected.food_links
        ):
            self.collected.food_links.append({"kind": kind, "label": name, "url": url})
        return element, m.start(0), m.end(0)


class _DemoteH1(Treeprocessor):
    """The article title is the page's only h1; a body `# Heading` becomes an h2."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter("h1"):
            element.tag = "h2"


class _WrapTables(Treeprocessor):
    """Wide tables scroll inside their own box on a phone instead of widening the page.

    The box is focusable so keyboard users can scroll it, and named after the section
    heading above it so screen readers announce what it holds.
    """

    def run(self, root: etree.Element) -> None:
        heading = "Table"
        for index, element in enumerate(list(root)):
            if element.tag in _HEADINGS:
                heading = "".join(element.itertext()).strip() or "Table"
            if element.tag != "table":
                continue
            box = etree.Element(
                "div",
                {"class": "table-scroll", "role": "region", "tabindex": "0", "aria-label": heading},
            )
            root.remove(element)
            box.append(element)
            root.insert(index, box)


class _ArticleExtension(Extension):
    def __init__(self, collected: "RenderedBody") -> None:
        super().__init__()
        self.collected = collected

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Below code spans (190) so `[[x]]` in code stays literal; above backslash escapes (180)
        # so a table cell can write `[[label\|search]]`; above links (160) too.
        md.inlinePatterns.register(
            _FoodLinkProcessor(r"\[\[([^\]\|\n]+?)\\?(?:\|([^\]\n]+))?\]\]", md, self.collected),
            "food_link",
            185,
        )
        # Before the table of contents (priority 5) collects the headings.
        md.treeprocessors.register(_DemoteH1(md), "demote_h1", 30)
        # After inline markup (20), so the heading text used as the label is final.
        md.treeprocessors.register(_WrapTables(md), "wrap_tables", 10)


@dataclass
class RenderedBody:
    html: str = ""
    toc: list[dict[str, Any]] = field(default_factory=list)
    food_links: list[dict[str, str]] = field(default_factory=list)
    word_count: int = 0
    unknown_categories: list[str] = field(default_factory=list)

    @property
    def reading_time_minutes(self) -> int:
        # About 200 words a minute for careful reading of health information.
        return max(1, round(self.word_count / 200))


def _toc_entries(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": token["id"],
            # Markdown hands back entity-escaped text; templates escape it again on output.
            "title": html.unescape(token["name"]),
            "level": token["level"],
            "children": _toc_entries(token.get("children", [])),
        }
        for token in tokens
        if _ID_RE.match(token["id"]) and token["id"] not in RESERVED_IDS
    ]


def render_markdown(source: str) -> RenderedBody:
    """Markdown → sanitised HTML, a two-level table of contents and the foods linked."""
    result = RenderedBody()
    md = markdown.Markdown(
        extensions=["tables", "sane_lists", "toc", _ArticleExtension(result)],
        extension_configs={
            # `align` attributes, not inline styles: the CSP forbids style attributes.
            "tables": {"use_align_attribute": True},
            "toc": {"toc_depth": "2-3", "slugify": heading_slug, "permalink": False},
        },
        output_format="html",
    )
    result.html = sanitize_html(md.convert(source))
    result.toc = _toc_entries(getattr(md, "toc_tokens", []))
    result.word_count = len(plain_text(result.html).split())
    return result
