"""Every write to the diary, shared by the HTML views and the API.

Each service checks the whole request first and raises `ValidationError({field: message})`
before touching the database, so bad input saves nothing.

Every way of adding entries and doses also keeps within the limits in `models` (so many a
day, so many new ones a minute), counted under a lock on the person's profile row so that
concurrent requests cannot both pass the count; too many at once raises `RateLimited`.
"""

import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from math import ceil
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts import unsubscribe
from accounts.models import User
from mgsite import dates
from mgsite.converters import database_id
from mgsite.limits import RateLimited
from mgsite.links import site_url
from nutrition import amounts, reference
from nutrition.diary import pickers, selectors
from nutrition.diary.models import (
    MAX_COMPOUND_MG_PER_UNIT,
    MAX_DOSES_PER_DAY,
    MAX_ELEMENTAL_MG_PER_UNIT,
    MAX_ENTRIES_PER_DAY,
    MAX_ENTRY_GRAMS,
    MAX_NET_CARBS_BUDGET_G,
    MAX_NEW_DOSES_PER_MINUTE,
    MAX_NEW_ENTRIES_PER_MINUTE,
    MAX_QUANTITY,
    MAX_RECORDED_MAGNESIUM_MG,
    MAX_UNITS,
    RATE_WINDOW_SECONDS,
    DiaryEntry,
    DiaryState,
    FavouriteFood,
    Meal,
    Supplement,
    SupplementIntake,
)
from nutrition.diary.signals import diary_state_ensure
from nutrition.foods.models import Food, Portion
from outbox.services import email_queue

DAYS_AHEAD = 366  # a person may plan a day ahead, not a decade
_UNSET: Any = object()


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _check_day(errors: _Errors, day: Any, field: str = "date") -> None:
    """The site's years (`mgsite.dates`), narrowed by the diary's rule: at most a year ahead."""
    if not isinstance(day, date):
        errors.add(field, "Enter a real date, such as 2026-02-03.")
        return
    latest = min(dates.LATEST_DAY, timezone.now().date() + timedelta(days=DAYS_AHEAD))
    if not dates.EARLIEST_DAY <= day <= latest:
        errors.add(field, "Choose a date between 1900 and one year from today.")


def _lock_writer(user: User) -> None:
    """Queue this person's concurrent writes behind one another, so that counting rows and
    adding them cannot interleave: a row lock on their diary's state on PostgreSQL (SQLite's
    IMMEDIATE transactions already let one writer in at a time)."""
    DiaryState.objects.select_for_update().filter(user=user).first()


def _check_rate(user: User, model: type[models.Model], *, adding: int, limit: int) -> None:
    """RateLimited when `adding` more rows would make over `limit` made in the last minute."""
    since = timezone.now() - timedelta(seconds=RATE_WINDOW_SECONDS)
    recent = model.objects.filter(user=user, created_at__gte=since)
    count = recent.count()
    surplus = count + adding - limit
    if surplus <= 0:
        return
    wait = RATE_WINDOW_SECONDS
    if surplus <= count:
        # Room for `adding` once the `surplus` oldest of the recent rows leave the window.
        leaves = recent.order_by("created_at").values_list("created_at", flat=True)[surplus - 1]
        wait = max(1, ceil((leaves - since).total_seconds()))
    what = "diary entries" if model is DiaryEntry else "supplement doses"
    raise RateLimited(
        {NON_FIELD_ERRORS: f"You can add at most {limit} {what} a minute. Try again shortly."},
        retry_after=wait,
    )


def _check_day_room(
    user: User, model: type[models.Model], *, day: date, adding: int, field: str = "date"
) -> None:
    """ValidationError when `adding` more rows would put over the daily limit on `day`."""
    limit, what = (
        (MAX_ENTRIES_PER_DAY, "entries") if model is DiaryEntry else (MAX_DOSES_PER_DAY, "doses")
    )
    present = model.objects.filter(user=user, date=day).count()
    if present + adding > limit:
        raise ValidationError(
            {
                field: f"A diary day holds at most {limit} {what}: {day.isoformat()} has "
                f"{present}, and this would add {adding}. Nothing was saved."
            }
        )


def _check_meal(errors: _Errors, meal: Any) -> None:
    if meal not in Meal.values:
        errors.add("meal", "Choose breakfast, lunch, dinner or snacks.")


def _food_for(errors: _Errors, user: User, food_id: Any) -> Food | None:
    # An id no row can have (a 20-digit number, "abc") is simply not found.
    pk = database_id(food_id)
    food = None if pk is None else selectors.visible_foods(user).filter(pk=pk).first()
    if food is None:
        errors.add("food", "Choose a food from the search results.")
    return food


def _grams_from(
    errors: _Errors,
    *,
    food: Food | None,
    grams: Any,
    portion_id: Any,
    quantity: Any,
) -> tuple[Decimal | None, Portion | None, Decimal | None]:
    """The entry's weight in grams, from grams or from a portion of the food and a quantity."""
    has_portion = portion_id not in (None, "")
    if grams not in (None, "") and has_portion:
        errors.add("grams", "Give either grams or a portion, not both.")
        return None, None, None
    if not has_portion:
        amount = _decimal(grams)
        if amount is None:
            errors.add("grams", "Enter an amount in grams, such as 90.")
        elif amount > MAX_ENTRY_GRAMS:
            errors.add("grams", "That is more than 5 kg in one entry; check the amount.")
        elif amount <= 0 or amounts.stored(amount, "0.01") <= 0:  # as it would be stored
            errors.add("grams", "Enter an amount above 0 g.")
        else:
            return amounts.stored(amount, "0.01"), None, None
        return None, None, None
    pk = database_id(portion_id)
    portion = None
    if food is not None and pk is not None:
        portion = Portion.objects.filter(pk=pk, food=food).first()
    if portion is None:
        if food is not None:
            errors.add("portion", "Choose one of this food's portions, or enter grams.")
        return None, None, None
    count = portion.amount if quantity in (None, "") else _decimal(quantity)
    if count is not None and count > MAX_QUANTITY:
        errors.add("quantity", "That is too many portions for one entry; check the amount.")
        return None, None, None
    count = None if count is None or count <= 0 else amounts.stored(count, "0.001")
    if count is None or count <= 0:
        errors.add("quantity", "Enter how many portions, above 0.")
        return None, None, None
    total = amounts.stored(
        amounts.portion_grams(count, portion.amount, portion.gram_weight), "0.01"
    )
    if total <= 0:
        errors.add("quantity", "That amount weighs less than 0.01 g; enter a larger amount.")
    elif total > MAX_ENTRY_GRAMS:
        errors.add("quantity", "That is more than 5 kg in one entry; check the amount.")
    else:
        return total, portion, count
    return None, None, None


@transaction.atomic
def diary_entry_create(
    *,
    user: User,
    day: date,
    meal: str,
    food_id: int | str,
    grams: Decimal | str | None = None,
    portion_id: int | str | None = None,
    quantity: Decimal | str | None = None,
) -> DiaryEntry:
    """Log a food, by grams or by a number of one of its household portions."""
    errors = _Errors()
    _check_day(errors, day)
    _check_meal(errors, meal)
    food = _food_for(errors, user, food_id)
    total, portion, count = _grams_from(
        errors, food=food, grams=grams, portion_id=portion_id, quantity=quantity
    )
    errors.raise_if_any()
    _lock_writer(user)
    _check_rate(user, DiaryEntry, adding=1, limit=MAX_NEW_ENTRIES_PER_MINUTE)
    _check_day_room(user, DiaryEntry, day=day, adding=1)
    pickers.mark_changed(user)
    return DiaryEntry.objects.create(
        user=user, date=day, meal=meal, food=food, portion=portion, quantity=count, grams=total
    )


@transaction.atomic
def diary_entry_update(
    *,
    user: User,
    entry: DiaryEntry,
    day: date = _UNSET,
    meal: str = _UNSET,
    food_id: int | str = _UNSET,
    grams: Decimal | str | None = _UNSET,
    portion_id: int | str | None = _UNSET,
    quantity: Decimal | str | None = _UNSET,
) -> DiaryEntry:
    """Change an entry; amounts not given are kept (switching food needs a new amount)."""
    if entry.user_id != user.pk:
        raise DiaryEntry.DoesNotExist
    errors = _Errors()
    new_day = entry.date if day is _UNSET else day
    new_meal = entry.meal if meal is _UNSET else meal
    _check_day(errors, new_day)
    _check_meal(errors, new_meal)
    food = entry.food if food_id is _UNSET else _food_for(errors, user, food_id)
    amount_given = any(v is not _UNSET for v in (grams, portion_id, quantity))
    total, portion, count = entry.grams, entry.portion, entry.quantity
    if not amount_given:
        if food is not None and food.pk != entry.food_id and entry.portion_id is not None:
            errors.add("portion", "Choose one of the new food's portions, or enter grams.")
    else:
        if grams is _UNSET and portion_id is _UNSET:
            # Only the quantity changed: it counts the portion the entry was logged with.
            if entry.portion_id is None:
                errors.add("quantity", "This entry is in grams: change the grams instead.")
            portion_id = entry.portion_id
    if amount_given and "quantity" not in errors:
        total, portion, count = _grams_from(
            errors,
            food=food,
            grams=None if grams is _UNSET else grams,
            portion_id=None if portion_id is _UNSET else portion_id,
            quantity=None if quantity is _UNSET else quantity,
        )
    errors.raise_if_any()
    if new_day != entry.date:  # moving it to another day adds one there
        _lock_writer(user)
        _check_day_room(user, DiaryEntry, day=new_day, adding=1)
    if amount_given or food.pk != entry.food_id:
        # Another food or amount: the imported figure no longer describes the entry.
        entry.recorded_magnesium_mg, entry.origin, entry.estimated = None, "", False
    entry.date, entry.meal, entry.food = new_day, new_meal, food
    entry.grams, entry.portion, entry.quantity = total, portion, count
    entry.save()
    pickers.mark_changed(user)
    return entry


@transaction.atomic
def diary_entry_delete(*, user: User, entry: DiaryEntry) -> None:
    if entry.user_id != user.pk:
        raise DiaryEntry.DoesNotExist
    entry.delete()
    pickers.mark_changed(user)


@dataclass(frozen=True)
class NewEntry:
    """One entry of many added at once (`diary_entries_import`); `line` names it in errors."""

    line: int
    day: date
    meal: str
    food_id: int
    grams: Decimal
    portion_id: int | None = None
    quantity: Decimal | None = None
    recorded_magnesium_mg: Decimal | None = None
    estimated: bool = False


def day_allowed(day: date) -> bool:
    """Whether the diary takes entries on `day` (the rule of every write here)."""
    errors = _Errors()
    _check_day(errors, day)
    return not errors


@transaction.atomic
def diary_entries_import(*, user: User, entries: list[NewEntry], origin: str) -> list[DiaryEntry]:
    """Add many entries at once, from another tracker's export: all or nothing.

    Each entry is checked as one typed here (a day the diary takes, a meal, a food the person
    can see, a weight within the bounds, an own figure within its bounds), and each day keeps
    within `MAX_ENTRIES_PER_DAY` counting what it holds already; an error names the file's
    line. The per-minute limit is not counted: it stops a storm of taps or a script's loop,
    while an import is one deliberate request whose size its own reader bounds."""
    errors = _Errors()
    if len(origin) > 40:
        errors.add("origin", "Name the source in at most 40 characters.")
    food_ids = {entry.food_id for entry in entries}
    visible = set(
        selectors.visible_foods(user).filter(pk__in=food_ids).values_list("pk", flat=True)
    )
    portions = {
        pk: (food_id, amount, weight)
        for pk, food_id, amount, weight in Portion.objects.filter(
            pk__in={e.portion_id for e in entries if e.portion_id is not None}
        ).values_list("pk", "food_id", "amount", "gram_weight")
    }
    for entry in entries:
        field = f"line {entry.line}"
        if not day_allowed(entry.day):
            errors.add(field, "The day is outside 1900 to one year from today.")
        elif entry.meal not in Meal.values:
            errors.add(field, "Choose breakfast, lunch, dinner or snacks.")
        elif entry.food_id not in visible:
            errors.add(field, "Choose a food from the search results.")
        elif not 0 < amounts.stored(entry.grams, "0.01") <= MAX_ENTRY_GRAMS:
            errors.add(field, "The weight must be above 0 g and at most 5 kg.")
        elif entry.portion_id is not None and (
            portions.get(entry.portion_id, (None,))[0] != entry.food_id
            or entry.quantity is None
            or not 0 < entry.quantity <= MAX_QUANTITY
        ):
            errors.add(field, "Choose one of this food's portions, or give grams.")
        elif entry.recorded_magnesium_mg is not None and not (
            0 <= entry.recorded_magnesium_mg <= MAX_RECORDED_MAGNESIUM_MG
        ):
            errors.add(field, "The magnesium must be from 0 to 10,000 mg.")
    errors.raise_if_any()
    if not entries:
        return []
    _lock_writer(user)
    adding: dict[date, int] = {}
    for entry in entries:
        adding[entry.day] = adding.get(entry.day, 0) + 1
    present = dict(
        DiaryEntry.objects.for_user(user)
        .filter(date__in=adding)
        .order_by()
        .values("date")
        .annotate(n=models.Count("id"))
        .values_list("date", "n")
    )
    for day in sorted(adding):
        if present.get(day, 0) + adding[day] > MAX_ENTRIES_PER_DAY:
            raise ValidationError(
                {
                    "date": f"A diary day holds at most {MAX_ENTRIES_PER_DAY} entries: "
                    f"{day.isoformat()} has {present.get(day, 0)}, and this would add "
                    f"{adding[day]}. Nothing was saved."
                }
            )
    made = DiaryEntry.objects.bulk_create(
        [
            DiaryEntry(
                user=user,
                date=entry.day,
                meal=entry.meal,
                food_id=entry.food_id,
                portion_id=entry.portion_id,
                quantity=None
                if entry.quantity is None
                else amounts.stored(entry.quantity, "0.001"),
                grams=amounts.stored(entry.grams, "0.01"),
                recorded_magnesium_mg=None
                if entry.recorded_magnesium_mg is None
                else amounts.stored(entry.recorded_magnesium_mg, "0.0001"),
                origin=origin,
                estimated=entry.estimated,
            )
            for entry in entries
        ],
        batch_size=1000,
    )
    pickers.mark_changed(user)
    return made


@transaction.atomic
def diary_entries_remove(*, user: User, entry_ids: list[int]) -> int:
    """Remove those of `entry_ids` that are the person's (an import's undo); how many went."""
    removed, _ = DiaryEntry.objects.for_user(user).filter(pk__in=entry_ids).delete()
    if removed:
        pickers.mark_changed(user)
    return removed


@dataclass(frozen=True)
class Copied:
    entries: list[DiaryEntry]  # the new entries
    already: int  # source entries copied into that day and meal before, not copied again
    doses: list[SupplementIntake] = field(default_factory=list)  # the new doses
    doses_already: int = 0  # source doses copied into that day before, not copied again
    # When the source was last copied into that day (None: never).
    copied_before_at: datetime | None = None

    @property
    def asks_again(self) -> bool:
        """Nothing new, because everything was copied before: ask before copying it again."""
        return not self.entries and not self.doses and self.copied_before_at is not None


def _copies_before(model: type[models.Model], user: User, day: date, sources: list) -> list:
    """(source id, meal or None, created_at) of the copies of `sources` on `day`."""
    fields = ["copied_from_id", "meal" if model is DiaryEntry else "copied_from_id", "created_at"]
    return list(
        model.objects.filter(user=user, date=day, copied_from__in=[row.pk for row in sources])
        .order_by()
        .values_list(*fields)
    )


@transaction.atomic
def diary_copy(
    *,
    user: User,
    source_day: date,
    target_day: date,
    meal: str | None = None,
    target_meal: str | None = None,
    include_supplements: bool = False,
    again: bool = False,
) -> Copied:
    """Copy a day's entries (or one meal's, optionally into another meal) to another day,
    with the day's supplement doses when `include_supplements` (doses have no meal: the
    day's doses come with a meal too).

    A copy remembers its source. Copying the same source again adds only what is not there
    yet; when everything is, nothing is added and `asks_again` says so, for the person to
    confirm: with `again` every source row is copied once more (new rows, marked as copies).
    The copy is all or nothing: onto itself, past the day's limits or the minute's, it is
    refused whole. Only the person's own rows are ever read."""
    errors = _Errors()
    _check_day(errors, source_day, "source_day")
    _check_day(errors, target_day)
    if meal is not None:
        _check_meal(errors, meal)
    if target_meal is not None:
        _check_meal(errors, target_meal)
    if source_day == target_day and (meal is None or (target_meal or meal) == meal):
        # Each copy would double the day (and the next copy double that).
        errors.add(
            "date",
            "Choose another day to copy into: copying a day onto itself would double it."
            if meal is None
            else "Choose another day or meal: copying a meal onto itself would double it.",
        )
    elif source_day == target_day and include_supplements:
        errors.add("date", "Choose another day to copy supplements into: they are here already.")
    errors.raise_if_any()
    _lock_writer(user)  # before reading what was copied already: two copies queue here
    # Only foods the person can still see are copied (a shared food may have been withdrawn).
    visible = selectors.visible_foods(user).values("pk")
    source = DiaryEntry.objects.for_user(user).on_day(source_day).filter(food__in=visible)
    if meal is not None:
        source = source.filter(meal=meal)
    # One more than a day may hold is enough to know the copy cannot fit.
    source = list(source.order_by("created_at", "id")[: MAX_ENTRIES_PER_DAY + 1])
    source_doses = []
    if include_supplements:
        # Doses of products still on the person's list, as a new dose would need.
        source_doses = list(
            SupplementIntake.objects.for_user(user)
            .on_day(source_day)
            .filter(supplement__in=selectors.current_supplements(user=user).values("pk"))
            .order_by("taken_at", "created_at", "id")[: MAX_DOSES_PER_DAY + 1]
        )
    if not source and not source_doses:
        raise ValidationError(
            {
                "source_day": "There is nothing to copy from that day."
                if meal is None or include_supplements
                else "There is nothing in that meal to copy from that day."
            }
        )
    entries_before = _copies_before(DiaryEntry, user, target_day, source)
    doses_before = _copies_before(SupplementIntake, user, target_day, source_doses)
    copied_pairs = set() if again else {(pk, where) for pk, where, _ in entries_before}
    copied_doses = set() if again else {pk for pk, _, _ in doses_before}
    copies = [
        DiaryEntry(
            user=user,
            date=target_day,
            meal=target_meal or entry.meal,
            food_id=entry.food_id,
            portion_id=entry.portion_id,
            quantity=entry.quantity,
            grams=entry.grams,
            recorded_magnesium_mg=entry.recorded_magnesium_mg,
            origin=entry.origin,
            estimated=entry.estimated,
            copied_from=entry,
        )
        for entry in source
        if (entry.pk, target_meal or entry.meal) not in copied_pairs
    ]
    dose_copies = [
        SupplementIntake(
            user=user,
            date=target_day,
            supplement_id=dose.supplement_id,
            units=dose.units,
            taken_at=dose.taken_at,
            copied_from=dose,
        )
        for dose in source_doses
        if dose.pk not in copied_doses
    ]
    # The last copy into that day of what is asked for now (of that meal, into that meal).
    moments = [at for pk, where, at in entries_before if where == (target_meal or where)]
    moments += [at for _, _, at in doses_before]
    result = Copied(
        entries=[],
        already=len(source) - len(copies),
        doses_already=len(source_doses) - len(dose_copies),
        copied_before_at=max(moments, default=None),
    )
    if not copies and not dose_copies:
        return result
    for made, limit, what in (
        (copies, MAX_NEW_ENTRIES_PER_MINUTE, "entries"),
        (dose_copies, MAX_NEW_DOSES_PER_MINUTE, "doses"),
    ):
        if len(made) > limit:
            raise ValidationError(
                {
                    "source_day": f"A copy adds at most {limit} {what} at a time, and that "
                    f"would be {len(made)}: copy one meal at a time."
                }
            )
    if copies:
        _check_rate(user, DiaryEntry, adding=len(copies), limit=MAX_NEW_ENTRIES_PER_MINUTE)
        _check_day_room(user, DiaryEntry, day=target_day, adding=len(copies))
    if dose_copies:
        _check_rate(user, SupplementIntake, adding=len(dose_copies), limit=MAX_NEW_DOSES_PER_MINUTE)
        _check_day_room(user, SupplementIntake, day=target_day, adding=len(dose_copies))
    if copies:
        pickers.mark_changed(user)
    return replace(
        result,
        entries=DiaryEntry.objects.bulk_create(copies) if copies else [],
        doses=SupplementIntake.objects.bulk_create(dose_copies) if dose_copies else [],
    )


# --- Supplements ----------------------------------------------------------------------------------


def _supplement_amounts(
    errors: _Errors, *, form: str, elemental: Any, compound: Any
) -> tuple[Decimal | None, Decimal | None]:
    """Elemental magnesium per unit, given directly or computed from the salt's weight."""
    if form not in {value for value, _ in reference.SUPPLEMENT_FORMS}:
        errors.add("form", "Choose the form printed on the label, or “other”.")
        return None, None
    elemental_mg, compound_mg = _decimal(elemental), _decimal(compound)
    if elemental not in (None, "") and elemental_mg is None:
        errors.add("elemental_mg_per_unit", "Enter a number of milligrams.")
        return None, None
    if compound not in (None, "") and compound_mg is None:
        errors.add("compound_mg_per_unit", "Enter a number of milligrams.")
        return None, None
    if elemental_mg is None and compound_mg is None:
        errors.add(
            "elemental_mg_per_unit",
            "Enter the magnesium per tablet or scoop, or the weight of the magnesium salt.",
        )
        return None, None
    if compound_mg is not None:
        if (
            compound_mg <= 0
            or compound_mg > MAX_COMPOUND_MG_PER_UNIT
            or amounts.stored(compound_mg, "0.1") <= 0
        ):
            errors.add("compound_mg_per_unit", "Enter a weight above 0 and up to 20,000 mg.")
            return None, None
        compound_mg = amounts.stored(compound_mg, "0.1")
        if form == reference.OTHER_FORM and elemental_mg is None:
            errors.add(
                "elemental_mg_per_unit",
                "For “other” forms, enter the elemental magnesium from the label.",
            )
            return None, None
        if elemental_mg is None:
            elemental_mg = reference.elemental_mg(form, compound_mg)
    if (
        elemental_mg is None
        or elemental_mg <= 0
        or elemental_mg > MAX_ELEMENTAL_MG_PER_UNIT
        or amounts.stored(elemental_mg, "0.1") <= 0
    ):
        errors.add("elemental_mg_per_unit", "Enter an amount above 0 and up to 2,000 mg.")
        return None, None
    return amounts.stored(elemental_mg, "0.1"), compound_mg


def _check_name(errors: _Errors, name: Any) -> str:
    cleaned = (name or "").strip() if isinstance(name, str) else ""
    if not cleaned:
        errors.add("name", "Give the product a name, such as the brand.")
    elif len(cleaned) > 120:
        errors.add("name", "Keep the name under 120 characters.")
    return cleaned


@transaction.atomic
def supplement_create(
    *,
    user: User,
    name: str,
    form: str,
    elemental_mg_per_unit: Decimal | str | None = None,
    compound_mg_per_unit: Decimal | str | None = None,
) -> Supplement:
    errors = _Errors()
    cleaned = _check_name(errors, name)
    elemental, compound = _supplement_amounts(
        errors, form=form, elemental=elemental_mg_per_unit, compound=compound_mg_per_unit
    )
    errors.raise_if_any()
    pickers.mark_changed(user)
    return Supplement.objects.create(
        user=user,
        name=cleaned,
        form=form,
        elemental_mg_per_unit=elemental,
        compound_mg_per_unit=compound,
    )


@transaction.atomic
def supplement_from_starter(*, user: User, code: Any) -> tuple[Supplement, bool]:
    """Add a product of the starter list (`reference.STARTER_SUPPLEMENTS`) to the person's
    list, its magnesium computed from the form's share; one already on the list is kept
    instead of a second (a double tap adds one). Returns it and whether it is new."""
    starter = reference.STARTERS_BY_CODE.get(code) if isinstance(code, str) else None
    if starter is None:
        raise ValidationError({"starter": "Choose one of the listed products."})
    _lock_writer(user)  # two taps at once: the second finds the first's product
    existing = (
        selectors.current_supplements(user=user)
        .filter(name=starter.name, form=starter.form, compound_mg_per_unit=starter.compound_mg)
        .first()
    )
    if existing is not None:
        return existing, False
    supplement = supplement_create(
        user=user, name=starter.name, form=starter.form, compound_mg_per_unit=starter.compound_mg
    )
    return supplement, True


@transaction.atomic
def supplement_update(
    *,
    user: User,
    supplement: Supplement,
    name: str = _UNSET,
    form: str = _UNSET,
    elemental_mg_per_unit: Decimal | str | None = _UNSET,
    compound_mg_per_unit: Decimal | str | None = _UNSET,
) -> Supplement:
    """Change a product; a new salt weight recomputes the elemental amount."""
    if supplement.user_id != user.pk:
        raise Supplement.DoesNotExist
    errors = _Errors()
    cleaned = supplement.name if name is _UNSET else _check_name(errors, name)
    new_form = supplement.form if form is _UNSET else form
    if elemental_mg_per_unit is _UNSET and compound_mg_per_unit is _UNSET:
        # Keep the label's salt weight as the basis when the form changes.
        if supplement.compound_mg_per_unit is not None and new_form != reference.OTHER_FORM:
            elemental, compound = None, supplement.compound_mg_per_unit
        else:
            elemental, compound = supplement.elemental_mg_per_unit, None
    else:
        elemental = None if elemental_mg_per_unit is _UNSET else elemental_mg_per_unit
        compound = None if compound_mg_per_unit is _UNSET else compound_mg_per_unit
    elemental, compound = _supplement_amounts(
        errors, form=new_form, elemental=elemental, compound=compound
    )
    errors.raise_if_any()
    supplement.name, supplement.form = cleaned, new_form
    supplement.elemental_mg_per_unit, supplement.compound_mg_per_unit = elemental, compound
    supplement.save()
    pickers.mark_changed(user)
    return supplement


@transaction.atomic
def supplement_delete(*, user: User, supplement: Supplement) -> None:
    """Remove a product from the list; one with logged doses is archived so days stay right."""
    if supplement.user_id != user.pk:
        raise Supplement.DoesNotExist
    if supplement.intakes.exists():
        supplement.archived = True
        supplement.save(update_fields=["archived"])
    else:
        supplement.delete()
    pickers.mark_changed(user)


def _supplement_for(errors: _Errors, user: User, supplement_id: Any) -> Supplement | None:
    pk = database_id(supplement_id)
    supplement = None
    if pk is not None:
        supplement = selectors.current_supplements(user=user).filter(pk=pk).first()
    if supplement is None:
        errors.add("supplement", "Choose one of your supplements.")
    return supplement


def _check_units(errors: _Errors, units: Any) -> Decimal | None:
    count = Decimal("1") if units in (None, "") else _decimal(units)
    if count is not None and count > MAX_UNITS:
        errors.add("units", "That is more than 100 units; check the amount.")
        return None
    if count is None or count <= 0 or amounts.stored(count, "0.01") <= 0:
        errors.add("units", "Enter how many tablets or scoops, above 0.")
        return None
    return amounts.stored(count, "0.01")


@transaction.atomic
def supplement_intake_create(
    *,
    user: User,
    day: date,
    supplement_id: int | str,
    units: Decimal | str | None = None,
    taken_at: time | None = None,
) -> SupplementIntake:
    errors = _Errors()
    _check_day(errors, day)
    supplement = _supplement_for(errors, user, supplement_id)
    count = _check_units(errors, units)
    errors.raise_if_any()
    _lock_writer(user)
    _check_rate(user, SupplementIntake, adding=1, limit=MAX_NEW_DOSES_PER_MINUTE)
    _check_day_room(user, SupplementIntake, day=day, adding=1)
    return SupplementIntake.objects.create(
        user=user, date=day, supplement=supplement, units=count, taken_at=taken_at
    )


@transaction.atomic
def supplement_intake_update(
    *,
    user: User,
    intake: SupplementIntake,
    day: date = _UNSET,
    supplement_id: int | str = _UNSET,
    units: Decimal | str | None = _UNSET,
    taken_at: time | None = _UNSET,
) -> SupplementIntake:
    if intake.user_id != user.pk:
        raise SupplementIntake.DoesNotExist
    errors = _Errors()
    new_day = intake.date if day is _UNSET else day
    _check_day(errors, new_day)
    supplement = (
        intake.supplement
        if supplement_id is _UNSET or supplement_id == intake.supplement_id
        else _supplement_for(errors, user, supplement_id)
    )
    count = intake.units if units is _UNSET else _check_units(errors, units)
    errors.raise_if_any()
    if new_day != intake.date:
        _lock_writer(user)
        _check_day_room(user, SupplementIntake, day=new_day, adding=1)
    intake.date, intake.supplement, intake.units = new_day, supplement, count
    if taken_at is not _UNSET:
        intake.taken_at = taken_at
    intake.save()
    return intake


@transaction.atomic
def supplement_intake_delete(*, user: User, intake: SupplementIntake) -> None:
    if intake.user_id != user.pk:
        raise SupplementIntake.DoesNotExist
    intake.delete()


# --- Favourites -----------------------------------------------------------------------------------


@transaction.atomic
def favourite_set(*, user: User, food_id: int | str, favourite: bool) -> bool:
    """Mark or unmark a food as a favourite; returns the new state."""
    errors = _Errors()
    food = _food_for(errors, user, food_id)
    errors.raise_if_any()
    if favourite:
        FavouriteFood.objects.get_or_create(user=user, food=food)
    else:
        FavouriteFood.objects.filter(user=user, food=food).delete()
    pickers.mark_changed(user)
    return favourite


# --- The diary's own settings ---------------------------------------------------------------------


@transaction.atomic
def net_carbs_budget_set(*, user: User, grams: Decimal | None) -> DiaryState:
    """Save (or with None clear) the person's net-carbohydrate limit for the day's
    close-the-gap suggestions."""
    if grams is not None and (not grams.is_finite() or not 0 <= grams <= MAX_NET_CARBS_BUDGET_G):
        raise ValidationError(
            {
                "net_carbs_budget_g": f"Enter a budget from 0 to {MAX_NET_CARBS_BUDGET_G} g, or "
                "leave it empty for none."
            }
        )
    diary_state_ensure(user.pk)
    state = DiaryState.objects.select_for_update().get(user_id=user.pk)
    state.net_carbs_budget_g = None if grams is None else amounts.stored(grams, "0.1")
    state.save(update_fields=["net_carbs_budget_g"])
    return state


# --- Undo -----------------------------------------------------------------------------------------
#
# A change on the day page can be undone for a few minutes. What the undo needs (the id of an
# added row; every value of a deleted or changed one) travels in a token signed with the site's
# key, so it cannot be made up or altered; it names its owner, and a used token is remembered
# in the shared cache (until it would have expired anyway), so it works once.

UNDO_SECONDS = 600
_UNDO_SALT = "nutrition.diary.undo"
ENTRY_ADDED, ENTRY_CHANGED, ENTRY_DELETED = "entry-added", "entry-changed", "entry-deleted"
DOSE_ADDED, DOSE_DELETED = "dose-added", "dose-deleted"


class UndoNotFound(Exception):
    """The token is not this person's (or not a token at all): a 404, like another's row."""


@dataclass(frozen=True)
class Undone:
    day: date
    action: str
    pk: int  # the entry or dose that came back, changed back or went


def _entry_values(entry: DiaryEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "date": entry.date.isoformat(),
        "meal": entry.meal,
        "food": entry.food_id,
        "portion": entry.portion_id,
        "quantity": None if entry.quantity is None else str(entry.quantity),
        "grams": str(entry.grams),
        "copied_from": entry.copied_from_id,
        "created_at": entry.created_at.isoformat() if entry.created_at else None,
        "recorded": None
        if entry.recorded_magnesium_mg is None
        else str(entry.recorded_magnesium_mg),
        "origin": entry.origin,
        "estimated": entry.estimated,
    }


def _intake_values(intake: SupplementIntake) -> dict[str, Any]:
    return {
        "id": intake.pk,
        "date": intake.date.isoformat(),
        "supplement": intake.supplement_id,
        "units": str(intake.units),
        "taken_at": intake.taken_at.isoformat() if intake.taken_at else None,
        "created_at": intake.created_at.isoformat() if intake.created_at else None,
    }


def undo_token(*, user: User, action: str, row: DiaryEntry | SupplementIntake) -> str:
    """A token that undoes `action` on `row`: taken right after adding or deleting the row, or
    right before changing it (the values to go back to)."""
    values = _entry_values(row) if isinstance(row, DiaryEntry) else _intake_values(row)
    payload = {"u": user.pk, "a": action, "v": values, "n": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=_UNDO_SALT, compress=True)


def _undo_used_key(nonce: str) -> str:
    return f"diary:undo-used:{nonce}"


@transaction.atomic
def undo(*, user: User, token: str) -> Undone:
    """Put back what the token's change altered: remove an added entry or dose, bring a deleted
    one back with its id and values, give a changed entry its values again.

    Another person's token (or no valid token) is `UndoNotFound`; an expired or used one, or
    one that can no longer apply (the food or product is gone, the day is full), is a
    `ValidationError` and changes nothing."""
    try:
        payload = signing.loads(token or "", salt=_UNDO_SALT, max_age=UNDO_SECONDS)
    except signing.SignatureExpired:
        raise ValidationError({NON_FIELD_ERRORS: "It is too late to undo that."}) from None
    except signing.BadSignature:
        raise UndoNotFound from None
    if not isinstance(payload, dict) or payload.get("u") != user.pk:
        raise UndoNotFound
    action, values = payload["a"], payload["v"]
    undoers = {
        ENTRY_ADDED: _undo_entry_added,
        ENTRY_CHANGED: _undo_entry_changed,
        ENTRY_DELETED: _restore_entry,
        DOSE_ADDED: _undo_dose_added,
        DOSE_DELETED: _restore_intake,
    }
    if action not in undoers:
        raise UndoNotFound
    # Claimed before the change (cache.add is atomic), so two taps at once undo only once;
    # an undo that cannot apply gives its claim back.
    used = _undo_used_key(str(payload["n"]))
    if not cache.add(used, True, UNDO_SECONDS + 60):
        raise ValidationError({NON_FIELD_ERRORS: "That was undone already."})
    try:
        return undoers[action](user, values)
    except Exception:
        cache.delete(used)
        raise


def _gone() -> ValidationError:
    return ValidationError({NON_FIELD_ERRORS: "That was undone already."})


def _undo_entry_added(user: User, values: dict[str, Any]) -> Undone:
    entry = DiaryEntry.objects.for_user(user).filter(pk=values["id"]).first()
    if entry is None:
        raise _gone()
    day = entry.date
    entry.delete()
    pickers.mark_changed(user)
    return Undone(day=day, action=ENTRY_ADDED, pk=values["id"])


def _undo_entry_changed(user: User, values: dict[str, Any]) -> Undone:
    entry = DiaryEntry.objects.for_user(user).filter(pk=values["id"]).first()
    if entry is None:
        raise ValidationError({NON_FIELD_ERRORS: "That entry has been deleted since."})
    day = date.fromisoformat(values["date"])
    errors = _Errors()
    portion = _portion_back(values)
    errors.raise_if_any()
    if day != entry.date:
        _lock_writer(user)
        _check_day_room(user, DiaryEntry, day=day, adding=1)
    entry.date, entry.meal, entry.portion = day, values["meal"], portion
    entry.quantity = None if values["quantity"] is None else Decimal(values["quantity"])
    entry.grams = Decimal(values["grams"])
    if "origin" in values:
        recorded = values["recorded"]
        entry.recorded_magnesium_mg = None if recorded is None else Decimal(recorded)
        entry.origin, entry.estimated = values["origin"], values["estimated"]
    entry.save()
    pickers.mark_changed(user)
    return Undone(day=day, action=ENTRY_CHANGED, pk=entry.pk)


def _portion_back(values: dict[str, Any]) -> Portion | None:
    """The entry's portion, if it still exists (a deleted portion leaves the grams)."""
    if values["portion"] is None:
        return None
    return Portion.objects.filter(pk=values["portion"], food_id=values["food"]).first()


def _restore_entry(user: User, values: dict[str, Any]) -> Undone:
    if DiaryEntry.objects.filter(pk=values["id"]).exists():
        raise _gone()
    errors = _Errors()
    day = date.fromisoformat(values["date"])
    food = _food_for(errors, user, values["food"])
    errors.raise_if_any()
    _lock_writer(user)
    _check_day_room(user, DiaryEntry, day=day, adding=1)
    copied_from = values["copied_from"]
    if copied_from is not None and not DiaryEntry.objects.filter(pk=copied_from).exists():
        copied_from = None
    entry = DiaryEntry.objects.create(
        pk=values["id"],
        user=user,
        date=day,
        meal=values["meal"],
        food=food,
        portion=_portion_back(values),
        quantity=None if values["quantity"] is None else Decimal(values["quantity"]),
        grams=Decimal(values["grams"]),
        copied_from_id=copied_from,
        recorded_magnesium_mg=Decimal(values["recorded"]) if values.get("recorded") else None,
        origin=values.get("origin", ""),
        estimated=values.get("estimated", False),
    )
    if values["created_at"]:  # auto_now_add set it to now: the entry keeps its place
        DiaryEntry.objects.filter(pk=entry.pk).update(
            created_at=datetime.fromisoformat(values["created_at"])
        )
    pickers.mark_changed(user)
    return Undone(day=day, action=ENTRY_DELETED, pk=entry.pk)


def _undo_dose_added(user: User, values: dict[str, Any]) -> Undone:
    intake = SupplementIntake.objects.for_user(user).filter(pk=values["id"]).first()
    if intake is None:
        raise _gone()
    day = intake.date
    intake.delete()
    return Undone(day=day, action=DOSE_ADDED, pk=values["id"])


def _restore_intake(user: User, values: dict[str, Any]) -> Undone:
    if SupplementIntake.objects.filter(pk=values["id"]).exists():
        raise _gone()
    day = date.fromisoformat(values["date"])
    # Archived products keep their doses, so a dose of one comes back too.
    supplement = Supplement.objects.filter(user=user, pk=values["supplement"]).first()
    if supplement is None:
        raise ValidationError({NON_FIELD_ERRORS: "That supplement has been removed since."})
    _lock_writer(user)
    _check_day_room(user, SupplementIntake, day=day, adding=1)
    intake = SupplementIntake.objects.create(
        pk=values["id"],
        user=user,
        date=day,
        supplement=supplement,
        units=Decimal(values["units"]),
        taken_at=time.fromisoformat(values["taken_at"]) if values["taken_at"] else None,
    )
    if values["created_at"]:
        SupplementIntake.objects.filter(pk=intake.pk).update(
            created_at=datetime.fromisoformat(values["created_at"])
        )
    return Undone(day=day, action=DOSE_DELETED, pk=intake.pk)


# --- The weekly summary e-mail ------------------------------------------------------------------

WEEKLY_SUMMARY_LIST = "weekly-summary"
WEEKLY_SUMMARY_TOP_SOURCES = 3


def _weekly_summary_message(
    due: selectors.SummaryDue, summary: selectors.RangeSummary
) -> dict[str, str]:
    """Subject, text and HTML of one summary: only the figures the person chose to receive
    (no entries, no meals, no doses)."""
    context = {
        "week_start": due.week_start,
        "week_end": due.week_end,
        "average_mg": summary.average_total_mg,
        "days_logged": summary.days_logged,
        "days_on_target": summary.days_meeting_rda,
        "top_sources": summary.top_sources,
        "upper_limit_days": [d for d in summary.days if d.above_supplement_limit],
        "trends_url": site_url(reverse("diary:trends")),
        "profile_url": site_url(reverse("accounts:profile")),
        "unsubscribe_url": unsubscribe.unsubscribe_url(
            user_id=due.user_id, email_list=WEEKLY_SUMMARY_LIST
        ),
    }
    return {
        "subject": f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your magnesium week, "
        f"{date_format(due.week_start, 'j M')} to {date_format(due.week_end, 'j M Y')}",
        "text": render_to_string("diary/email/weekly_summary.txt", context),
        "html": render_to_string("diary/email/weekly_summary.html", context),
    }


def weekly_summaries_send(*, now: datetime | None = None) -> int:
    """Queue this week's summary for everyone due one (see `selectors.weekly`) who has not
    had it; returns how many were queued. Running it again queues nothing more: each
    summary's outbox key names the person and the week. A week with nothing logged sends
    nothing (there is nothing to sum up).

    Queries: the people due, the keys already queued, then four per distinct week (almost
    always one; two around the turn of the week across time zones), then the outbox's own
    writes per message."""
    now = now or timezone.now()
    due = selectors.weekly_summaries_due(now=now)
    sent_keys = selectors.keys_queued(keys=[d.key for d in due])
    due = [d for d in due if d.key not in sent_keys]
    queued = 0
    for week_start in sorted({d.week_start for d in due}):
        people = [d for d in due if d.week_start == week_start]
        summaries = selectors.range_summaries(
            user_ids=[d.user_id for d in people],
            start=week_start,
            end=week_start + timedelta(days=6),
            top=WEEKLY_SUMMARY_TOP_SOURCES,
        )
        with translation.override(settings.LANGUAGE_CODE):
            for person in people:
                summary = summaries[person.user_id]
                if not summary.days_logged:
                    continue
                email_queue(
                    to=person.email,
                    key=person.key,
                    category=WEEKLY_SUMMARY_LIST,
                    headers=unsubscribe.list_headers(
                        user_id=person.user_id, email_list=WEEKLY_SUMMARY_LIST
                    ),
                    **_weekly_summary_message(person, summary),
                )
                queued += 1
    return queued
