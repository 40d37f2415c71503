"""Who the diary is for: the person's profile, the diary's own settings and their magnesium
target on a day, read together in one query."""

import zoneinfo
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Value
from django.utils import timezone

from accounts.models import Profile, User
from mgsite import registry
from nutrition import amounts, reference


@dataclass(frozen=True)
class Person:
    """What the diary needs to know about a person, read once per request."""

    user_id: int
    profile: Profile | None
    revision: int  # the diary's change counter, for the cached pickers (diary.pickers)
    net_carbs_budget_g: Decimal | None
    personal_target_mg: Decimal | None  # set by a dietitian (the clinic), else None

    @property
    def kidney_disease(self) -> bool:
        return bool(self.profile and self.profile.kidney_disease)

    @property
    def timezone_name(self) -> str:
        return self.profile.timezone if self.profile is not None else "UTC"


def _personal_target(user_id_field: str):
    """The personal target as an expression: the clinic owns it (mgsite.registry)."""
    expression = registry.first("diary.personal_target", user_id_field)
    if expression is None:
        return Value(None, output_field=DecimalField(max_digits=6, decimal_places=1))
    return expression


def people_for(user_ids: list[int]) -> dict[int, Person]:
    """The people with these ids, in one query whatever their number."""
    rows = (
        Profile.objects.filter(user_id__in=user_ids)
        .select_related("user__diary_state")
        .annotate(personal_target_mg=_personal_target("user_id"))
    )
    people = {}
    for profile in rows:
        state = getattr(profile.user, "diary_state", None)
        people[profile.user_id] = Person(
            user_id=profile.user_id,
            profile=profile,
            revision=state.revision if state is not None else 0,
            net_carbs_budget_g=state.net_carbs_budget_g if state is not None else None,
            personal_target_mg=profile.personal_target_mg,
        )
    return people


def person_for(*, user: User) -> Person:
    """The person, in one query (defaults for an account without a profile)."""
    found = people_for([user.pk]).get(user.pk)
    if found is None:
        return Person(user.pk, None, 0, None, None)
    return found


def today_for(*, user: User, person: Person | None = None) -> date:
    """Today's calendar date in the person's own time zone (pass the person when it was read
    already)."""
    person = person or person_for(user=user)
    try:
        zone = zoneinfo.ZoneInfo(person.timezone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.now().astimezone(zone).date()


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
    profile = person.profile
    values = reference.reference_values(
        sex=profile.sex if profile else "",
        birth_date=profile.birth_date if profile else None,
        life_stage=profile.life_stage if profile else reference.LifeStage.NONE,
        on=day,
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
