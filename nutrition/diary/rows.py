"""HTML for the rows the day page repeats: diary entries and foods to add.

A full day repeats these fifty times or more. As template includes each row cost about a
quarter of a millisecond, most of the page's 25 ms budget (bench/bench_day_page.py), so each
row is one call of Django's `format_html`, which escapes every value it is given and marks
only the result safe. What every row of a page shares is escaped once per page
(`RowContext`), a name once per row, and a food's unit options once per food (`unit_options`,
which the cached pickers keep). The tests feed hostile names through the page.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Protocol

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

from nutrition.diary.models import Meal
from nutrition.diary.selectors import DayEntry
from nutrition.diary.templatetags.diary_tags import mg, plain, source_label
from nutrition.foods.templatetags.foods import serving
from nutrition.foods.templatetags.units import household_first, weight_text


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
    units: str = "metric"  # the person's: "us" shows ounces and offers household portions first

    @cached_property
    def shared(self) -> dict[str, SafeString]:
        """The values every row of the page repeats, escaped once."""
        return {
            "csrf": format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', self.csrf_token
            ),
            "day": conditional_escape(self.day_iso),
            "add_url": conditional_escape(self.add_url),
            "edit_base": conditional_escape(self.edit_base),
            "favourite_base": conditional_escape(self.favourite_base),
        }

    def template(self, row: str) -> str:
        """A row's format string with this page's shared values filled in (escaped, and
        their braces doubled so they stay text): each row then formats only its own."""
        for name, value in self.shared.items():
            row = row.replace("{" + name + "}", value.replace("{", "{{").replace("}", "}}"))
        return row

    @cached_property
    def templates(self) -> dict[str, str]:
        return {
            "entry_with_link": self.template(_ENTRY_WITH_LINK),
            "entry_with_form": self.template(_ENTRY_WITH_FORM),
            "add_in_meal": self.template(_ADD_IN_MEAL),
            "add_quick": self.template(_ADD_QUICK),
        }


# --- A diary entry --------------------------------------------------------------------------------

_ENTRY_ROW = (
    '<li class="entry{new}" id="entry-{pk}">\n'
    '  <span class="entry-name">{name}</span>\n'
    '  <span class="entry-mg num">{magnesium}</span>\n'
    '  <span class="entry-amount">{amount}</span>\n'
    '  <div class="entry-actions">\n'
    "  EDIT\n"
    '  <form method="post" action="{edit_base}{pk}/delete/" class="entry-action" '
    'hx-post="{edit_base}{pk}/delete/" hx-swap="none">{csrf}'
    '<button type="submit" class="link-button">Delete'
    '<span class="visually-hidden"> {name}</span></button></form>\n'
    '  <form method="post" action="{favourite_base}{food_id}/" class="entry-action">{csrf}'
    '<input type="hidden" name="day" value="{day}">{favourite}'
    '<span class="visually-hidden">: {name}</span></button></form>\n'
    "  </div>\n"
    "</li>"
)
# The row with its Edit link, or with the inline edit form in its place.
_ENTRY_WITH_LINK = _ENTRY_ROW.replace(
    "EDIT",
    '<a href="{edit_base}{pk}/" hx-get="{edit_base}{pk}/" hx-target="#entry-{pk}" '
    'hx-select="#entry-{pk}" hx-swap="outerHTML">Edit'
    '<span class="visually-hidden"> {name}</span></a>',
)
_ENTRY_WITH_FORM = _ENTRY_ROW.replace("EDIT", "{edit_form}")
_NO_VALUE = format_html('<span class="muted">{}</span>', "no value")
# The favourite toggle, as it reads for a favourite and for any other food.
_FAVOURITE = {
    is_favourite: format_html(
        '<input type="hidden" name="favourite" value="{}">'
        '<button type="submit" class="link-button" aria-pressed="{}">{} Favourite',
        "0" if is_favourite else "1",
        "true" if is_favourite else "false",
        "★" if is_favourite else "☆",
    )
    for is_favourite in (True, False)
}


def entry_row(
    entry: DayEntry,
    *,
    favourite: bool,
    page: RowContext,
    edit_form: SafeString | None = None,
    new: bool = False,
) -> SafeString:
    """One diary entry: name, magnesium, amount, and edit, delete and favourite actions.

    `edit_form` (the inline form, rendered from the day template) replaces the Edit link;
    `new` marks the row just added or changed (highlighted for a moment)."""
    magnesium = entry.magnesium_mg
    shown = _NO_VALUE if magnesium is None else f"{mg(magnesium)} mg"
    label = entry.portion_label
    values = {
        "pk": int(entry.pk),
        "food_id": int(entry.food_id),
        "name": conditional_escape(entry.food.name),  # once, for its four places
        "magnesium": format_html("{} · {}", shown, entry.origin_note)
        if entry.origin_note
        else shown,
        "amount": f"{label} ({weight_text(entry.grams, page.units, inner=True)})"
        if label
        else weight_text(entry.grams, page.units),
        "favourite": _FAVOURITE[favourite],
        "new": " entry-new" if new else "",
    }
    if edit_form is None:
        return format_html(page.templates["entry_with_link"], **values)
    return format_html(page.templates["entry_with_form"], edit_form=edit_form, **values)


# --- A food to add --------------------------------------------------------------------------------

_ADD_ROW = (
    '<li class="result" id="add-{slot}-{pk}">\n'
    '  <span class="result-name">{name}{badge}</span>\n'
    '  <span class="muted small">{label}{magnesium} · {source}</span>\n'
    '  <form method="post" action="{add_url}#add-{slot}-{pk}" class="add-food" '
    'hx-post="{add_url}" hx-target="closest li" hx-select="unset" hx-swap="outerHTML">'
    '{csrf}<input type="hidden" name="food" value="{pk}">'
    '<input type="hidden" name="q" value="{query}">MEAL'
    '<label class="visually-hidden" for="amount-{slot}-{pk}">Amount of {name}</label>'
    '<input id="amount-{slot}-{pk}" type="text" inputmode="decimal" name="amount" '
    'value="{amount}" size="5" class="amount" required{invalid}>'
    '<label class="visually-hidden" for="unit-{slot}-{pk}">Unit for {name}</label>'
    '<select id="unit-{slot}-{pk}" name="unit" class="unit">{options}'
    '<option value="g"{grams_selected}>g</option></select>'
    '<button type="submit" class="button button-small" data-add-button>Add'
    '<span class="visually-hidden"> {name}</span></button>{error}</form>\n'
    "</li>"
)
# Inside a meal the row says which; a quick pick offers the meals (snacks first chosen).
_ADD_IN_MEAL = _ADD_ROW.replace("MEAL", '<input type="hidden" name="meal" value="{slot}">')
_ADD_QUICK = _ADD_ROW.replace(
    "MEAL",
    '<input type="hidden" name="slot" value="quick">'
    '<label class="visually-hidden" for="meal-{pk}">Meal for {name}</label>'
    '<select id="meal-{pk}" name="meal">{meals}</select>',
)


def meal_options(chosen: str) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == chosen else "", label) for value, label in Meal.choices),
    )


_MEAL_OPTIONS = meal_options(Meal.SNACK)
_YOURS = format_html(' <span class="badge">{}</span>', "yours")


def unit_options(
    portions: list[PortionLike], units: str = "metric", selected: int | None = None
) -> SafeString:
    """A food's household portions as the options of an add row's unit picker (for US
    household units cups, tablespoons and ounces first, so the first is chosen)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{} ({}{})</option>',
        (
            (
                int(p.pk),
                " selected" if p.pk == selected else "",
                p.description,
                weight_text(p.gram_weight, units, inner=True),
                "" if p.amount == 1 else f" per {plain(p.amount)}",
            )
            for p in household_first(portions, units)
        ),
    )


@dataclass(frozen=True)
class Typed:
    """What the person typed into an add row that was refused, and why: the row shows it
    again, with the message beside the amount."""

    amount: str
    unit: str
    messages: list[str]
    meal: str = ""


def _label(food: AddableFood) -> str | SafeString:
    """A packaged product's brand and label serving, before its magnesium ("" for others:
    `FoodBrief`s and generic foods have no brand)."""
    brand = getattr(food, "brand", "")
    if not brand:
        return ""
    size = serving(food)
    text = f"{brand} · serving {size}" if size else brand
    if getattr(food, "discontinued_on", None):
        text += " · no longer listed"
    return format_html("{} · ", text)


def add_food_row(
    food: AddableFood,
    portions: list[PortionLike],
    *,
    meal: str,
    page: RowContext,
    options: SafeString | None = None,
    query: str = "",
    typed: Typed | None = None,
) -> SafeString:
    """One food to add: amount and unit (its portions or grams), and the meal when the row
    is not inside one (quick picks). Pass the `unit_options` when they were made already;
    `query` is the search the row came from (kept when the add is refused); `typed` shows a
    refused add again with its error."""
    per_100g = food.magnesium_mg_per_100g
    slot = meal or "quick"
    first = household_first(portions, page.units)[:1]
    values = {
        "pk": int(food.pk),
        "name": conditional_escape(food.name),  # once, for its four places
        "badge": _YOURS if food.private else "",
        "label": _label(food),
        "magnesium": "no magnesium value" if per_100g is None else f"{mg(per_100g)} mg per 100 g",
        "source": "your own" if food.private else source_label(food.source_slug),
        "slot": slot,
        "meals": _MEAL_OPTIONS,
        "query": query,
        "amount": plain(first[0].amount) if first else "100",
        "options": unit_options(portions, page.units) if options is None else options,
        "grams_selected": "",
        "invalid": "",
        "error": "",
    }
    if typed is not None:
        error_id = f"add-error-{slot}-{int(food.pk)}"
        selected = None if typed.unit == "g" else _int_or_none(typed.unit)
        values.update(
            amount=typed.amount,
            options=unit_options(portions, page.units, selected=selected),
            grams_selected=" selected" if typed.unit == "g" else "",
            invalid=format_html(' aria-invalid="true" aria-describedby="{}"', error_id),
            error=format_html(
                '<p class="error add-error" id="{}">{}</p>',
                error_id,
                format_html_join(" ", "{}", ((m,) for m in typed.messages)),
            ),
        )
        if typed.meal and not meal:  # a quick pick keeps the meal chosen
            values["meals"] = meal_options(typed.meal)
    return format_html(page.templates["add_in_meal" if meal else "add_quick"], **values)


def _int_or_none(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None
