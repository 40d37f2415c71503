"""HTML for the rows the day page repeats: diary entries and foods to add.

A full day repeats these fifty times or more. As template includes each row cost about a
quarter of a millisecond, most of the page's 25 ms budget (bench/bench_day_page.py); built
here as strings they cost a few microseconds. Every text value goes through `escape` (the
standard library's, which escapes the same five characters as Django's); numbers and ids
are formatted by us. The tests read the markup through the page.
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Protocol

from django.utils.safestring import SafeString, mark_safe

from nutrition.diary.selectors import DayEntry
from nutrition.diary.templatetags.diary_tags import mg, plain, source_label


class AddableFood(Protocol):
    """A food model or a `FoodBrief`: what an add row needs to know."""

    pk: int
    name: str
    magnesium_mg_per_100g: Decimal | None
    private: bool

    @property
    def source_slug(self) -> str: ...


class PortionLike(Protocol):
    pk: int
    amount: Decimal
    description: str
    gram_weight: Decimal


@dataclass(frozen=True)
class RowContext:
    """What every row of one page shares: the CSRF field (one token for the whole page), the
    day the forms come back to and the URLs the rows complete with their ids."""

    csrf_token: str
    day_iso: str
    add_url: str
    edit_base: str  # "/diary/entries/": an entry's id and "/" complete it
    favourite_base: str  # "/diary/favourites/"

    @property
    def csrf_input(self) -> str:
        return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(self.csrf_token)}">'


def entry_row(
    entry: DayEntry, *, favourite: bool, page: RowContext, edit_form: SafeString | None = None
) -> SafeString:
    """One diary entry: name, magnesium, amount, and edit, delete and favourite actions.

    `edit_form` (the inline form, rendered from the day template) replaces the Edit link."""
    pk = int(entry.pk)
    name = escape(entry.food.name)
    edit_url = f"{page.edit_base}{pk}/"
    magnesium = entry.magnesium_mg
    mg_html = '<span class="muted">no value</span>' if magnesium is None else f"{mg(magnesium)} mg"
    label = entry.portion_label
    grams = plain(entry.grams)
    amount = f"{escape(label)} ({grams} g)" if label else f"{grams} g"
    if edit_form is None:
        edit = (
            f'<a href="{edit_url}" hx-get="{edit_url}" hx-target="#entry-{pk}" '
            f'hx-select="#entry-{pk}" hx-swap="outerHTML">Edit'
            f'<span class="visually-hidden"> {name}</span></a>'
        )
    else:
        edit = str(edit_form)
    csrf = page.csrf_input
    return mark_safe(
        f'<li class="entry" id="entry-{pk}">\n'
        f'  <span class="entry-name">{name}</span>\n'
        f'  <span class="entry-mg num">{mg_html}</span>\n'
        f'  <span class="entry-amount">{amount}</span>\n'
        '  <div class="entry-actions">\n'
        f"  {edit}\n"
        f'  <form method="post" action="{edit_url}delete/" class="entry-action">{csrf}'
        '<button type="submit" class="link-button">Delete'
        f'<span class="visually-hidden"> {name}</span></button></form>\n'
        f'  <form method="post" action="{page.favourite_base}{int(entry.food_id)}/" '
        f'class="entry-action">{csrf}'
        f'<input type="hidden" name="day" value="{escape(page.day_iso)}">'
        f'<input type="hidden" name="favourite" value="{"0" if favourite else "1"}">'
        '<button type="submit" class="link-button" '
        f'aria-pressed="{"true" if favourite else "false"}">{"★" if favourite else "☆"} '
        f'Favourite<span class="visually-hidden">: {name}</span></button></form>\n'
        "  </div>\n"
        "</li>"
    )


_MEAL_OPTIONS = (
    '<option value="breakfast">Breakfast</option><option value="lunch">Lunch</option>'
    '<option value="dinner">Dinner</option><option value="snack" selected>Snacks</option>'
)


def _portion_option(portion: PortionLike) -> str:
    per = "" if portion.amount == 1 else f" per {plain(portion.amount)}"
    return (
        f'<option value="{int(portion.pk)}">{escape(portion.description)} '
        f"({plain(portion.gram_weight)} g{per})</option>"
    )


def add_food_row(
    food: AddableFood, portions: list[PortionLike], *, meal: str, page: RowContext
) -> SafeString:
    """One food to add: amount and unit (its portions or grams), and the meal when the row
    is not inside one (quick picks)."""
    pk = int(food.pk)
    name = escape(food.name)
    meal = escape(meal)
    slot = meal or "quick"
    per_100g = food.magnesium_mg_per_100g
    magnesium = "no magnesium value" if per_100g is None else f"{mg(per_100g)} mg per 100 g"
    if food.private:
        badge, source = ' <span class="badge">yours</span>', "your own"
    else:
        badge, source = "", escape(source_label(food.source_slug))
    if meal:
        meal_field = f'<input type="hidden" name="meal" value="{meal}">'
    else:
        meal_field = (
            f'<label class="visually-hidden" for="meal-{pk}">Meal for {name}</label>'
            f'<select id="meal-{pk}" name="meal">{_MEAL_OPTIONS}</select>'
        )
    options = "".join(_portion_option(p) for p in portions)
    amount = plain(portions[0].amount) if portions else "100"
    return mark_safe(
        '<li class="result">\n'
        f'  <span class="result-name">{name}{badge}</span>\n'
        f'  <span class="muted small">{magnesium} · {source}</span>\n'
        f'  <form method="post" action="{escape(page.add_url)}" class="add-food">'
        f'{page.csrf_input}<input type="hidden" name="food" value="{pk}">{meal_field}'
        f'<label class="visually-hidden" for="amount-{slot}-{pk}">Amount of {name}</label>'
        f'<input id="amount-{slot}-{pk}" type="text" inputmode="decimal" name="amount" '
        f'value="{amount}" size="5" class="amount" required>'
        f'<label class="visually-hidden" for="unit-{slot}-{pk}">Unit for {name}</label>'
        f'<select id="unit-{slot}-{pk}" name="unit" class="unit">{options}'
        '<option value="g">g</option></select>'
        '<button type="submit" class="button button-small" data-add-button>Add'
        f'<span class="visually-hidden"> {name}</span></button></form>\n'
        "</li>"
    )
