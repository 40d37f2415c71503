"""Where a lower app meets what a higher app adds to it, without importing it.

Dependencies point down the layers (docs/architecture.md): the food page cannot import the
diary, the profile and the diary day cannot import the clinic, accounts cannot know which
apps hold a person's data. Each higher app registers its contributions here when Django
starts (`AppConfig.ready`), and the lower app asks for them by slot. This module imports no
app of the project; every slot it knows is listed in `SLOTS` with what its contributors
take and give, so a misspelt slot fails at start-up rather than silently.
"""

from collections.abc import Callable
from typing import Any

SLOTS: dict[str, str] = {
    # Pages: each contributor renders a panel (safe HTML) or returns None.
    "foods.food_page": "fn(request, *, food, portion, portions, units) -> SafeString | None, "
    "below the magnesium card of a food page (`portions` in the order the page offers them, "
    "`units` the visitor's)",
    "diary.day_page": "fn(request, *, user, day, revision) -> SafeString | None, above the "
    "meals of a person's diary day",
    "accounts.profile_page": "fn(request) -> SafeString | None, in the privacy part of the profile",
    "clinic.client_page": "fn(request, *, client, today) -> SafeString | None, on a "
    "dietitian's page of a consenting client (`today` the client's)",
    "health.record_page": "fn(request, *, user, picture) -> SafeString | None, below the "
    "markers of a person's health record",
    # Data.
    "foods.magnesium_target": "fn(user) -> (Decimal, label) | None: the daily amount the "
    "food pages compare with; the first answer wins, else the Daily Value",
    "foods.units": "fn(user) -> 'metric' | 'us' | None: the units the visitor reads weights "
    "in (their profile's choice); the first answer wins, else metric",
    "foods.private_foods": "fn(user) -> QuerySet of food ids: the private foods `user` may "
    "see (foods keeps private foods but knows no people)",
    "diary.personal_target": "fn() -> str: the lookup, from a user, of their personal daily "
    "magnesium target in mg (NULL when none), for the diary to join",
    "health.magnesium_intake": "fn(user, start, end) -> dict[date, (food_mg, supplement_mg)]: "
    "the person's magnesium on each logged day in [start, end], as the diary shows it "
    "(nutrition.amounts.DayFigures), for the health record's charts and exports",
    "accounts.export": "fn(user) -> dict[label, list[row]]: the person's own rows that the "
    "app keeps, every label present even when empty",
    "accounts.erase": "fn(user) -> None: remove what the app keeps of the person, before "
    "the account row goes",
    "accounts.login_redirect": "fn(user) -> str | None: the path a person lands on after "
    "signing in (without a `next`); the first answer wins, else the home page",
    "health.checks": "fn() -> mgsite.health_checks.Check: one more dependency for /health/ "
    "(made with health_checks.timed; down makes the answer a 503)",
    "accounts.support_counts": "fn(user) -> dict[label, count]: how much the app keeps of "
    "the person, for support staff (never what)",
}

_contributors: dict[str, list[Callable[..., Any]]] = {slot: [] for slot in SLOTS}


def register(slot: str, contributor: Callable[..., Any]) -> None:
    """Add a contributor to a slot (once: registering the same function again is a no-op,
    so a second `ready()` in tests changes nothing)."""
    if slot not in SLOTS:
        raise KeyError(f"Unknown registry slot {slot!r}; known: {', '.join(SLOTS)}")
    if contributor not in _contributors[slot]:
        _contributors[slot].append(contributor)


def contributors(slot: str) -> list[Callable[..., Any]]:
    return list(_contributors[slot])


def collect(slot: str, *args: Any, **kwargs: Any) -> list[Any]:
    """Every contributor's answer, in registration order, leaving out None."""
    answers = (contributor(*args, **kwargs) for contributor in _contributors[slot])
    return [answer for answer in answers if answer is not None]


def first(slot: str, *args: Any, **kwargs: Any) -> Any:
    """The first contributor's answer that is not None, or None."""
    for contributor in _contributors[slot]:
        answer = contributor(*args, **kwargs)
        if answer is not None:
            return answer
    return None
