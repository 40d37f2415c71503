"""Who the diary is for: the person's profile, the diary's own settings and their magnesium
target on a day, read together in one query."""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Profile, User
from mgsite import registry
from nutrition import amounts, reference
from nutrition.health import selectors as health


@dataclass(frozen=True)
class Person:
    """What the diary needs to know about a person, read once per request as plain values."""

    user_id: int
    sex: str = ""
    birth_date: date | None = None
    life_stage: str = reference.LifeStage.NONE
    kidney_disease: bool = False
    timezone_name: str = "UTC"
    units: str = Profile.Units.METRIC  # "metric" or "us": how weights are shown and offered
    revision: int = 0  # the diary's change counter, for the cached pickers (diary.pickers)
    net_carbs_budget_g: Decimal | None = None
    personal_target_mg: Decimal | None = None  # set by a dietitian (the clinic), else None
    # The health record's latest eGFR and serum magnesium on `labs_on`, when asked for.
    labs_on: date | None = None
    labs: health.DayLabs | None = None


_PERSON_FIELDS = (
    "user_id",
    "sex",
    "birth_date",
    "life_stage",
    "kidney_disease",
    "timezone",
    "units",
    "user__diary_state__revision",
    "user__diary_state__net_carbs_budget_g",
)


def people_for(user_ids: list[int], *, labs_on: date | None = None) -> dict[int, Person]:
    """The people with these ids, in one query whatever their number. The personal target
    comes in the same query, by the lookup the clinic (which keeps it) lends through the
    registry: a join, cheaper than a subquery to build on every request. With `labs_on`, the
    latest eGFR and serum magnesium on or before that day too (subqueries the health record
    lends), so the day costs no query more for them."""
    target = registry.first("diary.personal_target")
    fields = (*_PERSON_FIELDS, f"user__{target}") if target else _PERSON_FIELDS
    rows = Profile.objects.filter(user_id__in=user_ids)
    lab_fields: tuple[str, ...] = ()
    if labs_on is not None:
        annotations = health.day_lab_annotations(day=labs_on)
        rows = rows.annotate(**annotations)
        lab_fields = tuple(annotations)
    people = {}
    for row in rows.values_list(*fields, *lab_fields):
        user_id, sex, birth_date, life_stage, kidney, zone, units, revision, budget = row[:9]
        labs = None
        if labs_on is not None:
            values = dict(zip(lab_fields, row[len(fields) :], strict=True))
            labs = health.day_labs_from(values, sex=sex, birth_date=birth_date, day=labs_on)
        people[user_id] = Person(
            user_id=user_id,
            sex=sex,
            birth_date=birth_date,
            life_stage=life_stage,
            kidney_disease=kidney,
            timezone_name=zone,
            units=units,
            revision=revision or 0,
            net_carbs_budget_g=budget,
            personal_target_mg=row[9] if target else None,
            labs_on=labs_on,
            labs=labs,
        )
    return people


def person_for(*, user: User, labs_on: date | None = None) -> Person:
    """The person, in one query (defaults for an account without a profile); with `labs_on`,
    their latest eGFR and serum magnesium on or before that day in the same query."""
    return people_for([user.pk], labs_on=labs_on).get(user.pk) or Person(
        user.pk, labs_on=labs_on, labs=health.DayLabs() if labs_on else None
    )


def units_for(user: User) -> str | None:
    """The units the signed-in person reads weights in, for the food pages (registered as
    "foods.units"); None for a visitor."""
    if not user.is_authenticated:
        return None
    return person_for(user=user).units


def today_for(*, user: User, person: Person | None = None) -> date:
    """Today's calendar date in the person's own time zone (pass the person when it was read
    already)."""
    person = person or person_for(user=user)
    try:
        zone = zoneinfo.ZoneInfo(person.timezone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.now().astimezone(zone).date()


def local_time(*, user: User, moment: datetime) -> datetime:
    """A moment (a row's `created_at`) on the person's own clock, as `today_for` reads it."""
    person = person_for(user=user)
    try:
        zone = zoneinfo.ZoneInfo(person.timezone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return moment.astimezone(zone)


# --- Targets --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MagnesiumTarget:
    rda_mg: int | None
    supplement_ul_mg: int | None
    basis: str
    set_by: str  # "reference", or "dietitian" once a personal target is set
    source: str


def target_on(person: Person, day: date) -> MagnesiumTarget:
    """The person's magnesium target on `day` (no queries): the NIH/IOM reference for their
    age that day, or a personal target set by their dietitian. The supplement upper limit
    is always the reference value."""
    values = reference.reference_values(
        sex=person.sex, birth_date=person.birth_date, life_stage=person.life_stage, on=day
    )
    if person.personal_target_mg is not None:
        return MagnesiumTarget(
            rda_mg=int(amounts.whole(person.personal_target_mg)),
            supplement_ul_mg=values.supplement_ul_mg,
            basis=f"personal target set by your dietitian (the reference value is "
            f"{values.rda_mg} mg)",
            set_by="dietitian",
            source="Your dietitian",
        )
    return MagnesiumTarget(
        rda_mg=values.rda_mg,
        supplement_ul_mg=values.supplement_ul_mg,
        basis=values.basis,
        set_by="reference",
        source=reference.DV_SOURCE if "Daily Value" in values.basis else reference.RDA_SOURCE,
    )


def magnesium_target(*, user: User, day: date, person: Person | None = None) -> MagnesiumTarget:
    """The person's magnesium target on `day` (see `target_on`); pass the person when it
    was read already."""
    return target_on(person or person_for(user=user), day)


def todays_target_for(user: User) -> tuple[Decimal, str] | None:
    """The signed-in person's magnesium target today and how to name it, for the food pages
    (registered as "foods.magnesium_target")."""
    if not user.is_authenticated:
        return None
    person = person_for(user=user)
    target = target_on(person, today_for(user=user, person=person))
    if not target.rda_mg:
        return None
    whose = "your dietitian's" if target.set_by == "dietitian" else "your"
    return Decimal(target.rda_mg), f"{whose} {target.rda_mg} mg daily target"
