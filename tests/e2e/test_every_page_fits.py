"""Every page of the site on a 360 px phone and a 1280 px screen: no sideways scrolling,
and axe finds nothing serious or critical.

The pages come from the URL configuration (every named route, as tests/test_access.py
reverses them), so a new page is walked without being listed here. Each role asks for every
route; what answers 200 with HTML is walked, a redirect is followed once and its landing page
walked, and the rest is not a page (POST-only forms answer 405, downloads are not HTML). The
JSON API, allauth's headless API and Django's admin are not the site's pages.

Three visitors walk: an anonymous one, a person with a full diary day, lab results, a
supplement, a custom food and a recipe (so every section renders), and a dietitian, signed in
with two factors, who has that person as a consenting client.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from accounts.models import Profile
from nutrition.clinic import services as clinic_services
from nutrition.content import services as content_services
from nutrition.content.models import Article
from nutrition.diary import custom_foods
from nutrition.health import services as health_services
from tests.accounts.helpers import log_in_with_two_factors
from tests.clinic.conftest import connect
from tests.diary.factories import DiaryEntryFactory, SupplementIntakeFactory, spinach_boiled
from tests.e2e.conftest import assert_accessible
from tests.factories import UserFactory
from tests.test_access import _named_patterns, _parameters, _reverse

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
NOT_PAGES = ("/api/", "/_allauth/", "/admin/")

# What sticks out past the right edge, outside any box that scrolls or clips on its own: the
# outermost boxes that grow past a parent that fits, and the innermost ones (no child sticks
# out), each as "tag#id.class right=412".
WIDEST = """(limit) => {
  const sticksOut = (el) => el.getBoundingClientRect().right > limit + 0.5;
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = (el) => {
    const classes = typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    const id = el.id ? "#" + el.id : "";
    const right = Math.round(el.getBoundingClientRect().right);
    return `${el.tagName.toLowerCase()}${id}${classes} right=${right}`;
  };
  const out = [...document.body.querySelectorAll("*")]
    .filter((el) => sticksOut(el) && !clipped(el));
  const outermost = out.filter((el) => !sticksOut(el.parentElement)).slice(0, 4).map(name);
  const innermost = out.filter((el) => ![...el.children].some(sticksOut)).slice(0, 4).map(name);
  return {outermost, innermost};
}"""


@dataclass
class Walk:
    """What one visitor saw: the pages walked, each route's answer, what was wrong."""

    role: str
    walked: list[str] = field(default_factory=list)
    answers: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@pytest.fixture
def world(live_server):
    """A person with everything filled in, their dietitian, and public foods and articles."""
    today = timezone.localdate()
    person = UserFactory(name="Carla Client")
    Profile.objects.filter(user=person).update(
        sex="female", birth_date=date(1990, 6, 15), timezone="UTC"
    )
    spinach, _cup = spinach_boiled()
    entries = [
        DiaryEntryFactory(user=person, food=spinach, date=today, meal=meal, grams=grams)
        for meal, grams in (("breakfast", 150), ("lunch", 200), ("dinner", 180), ("snack", 60))
    ]
    DiaryEntryFactory(user=person, food=spinach, date=today - timedelta(days=1), grams=120)
    intake = SupplementIntakeFactory(
        supplement__user=person,
        supplement__name="Magnesium glycinate 120 mg capsules",
        supplement__elemental_mg_per_unit=120,
        date=today,
    )
    bar = custom_foods.custom_food_create(
        user=person,
        name="Pumpkin seed and almond breakfast bar, homemade",
        serving_description="bar",
        serving_grams="40",
        per_serving={"magnesium": "120"},
    )
    recipe = custom_foods.recipe_create(user=person, name="Spinach and seed salad", servings=2)
    custom_foods.recipe_ingredient_add(user=person, recipe=recipe, food_id=spinach.pk, grams="200")
    custom_foods.recipe_ingredient_add(user=person, recipe=recipe, food_id=bar.pk, grams="40")
    DiaryEntryFactory(user=person, food=recipe.food, date=today, grams=150)
    labs = [
        health_services.lab_result_create(
            user=person, analyte=analyte, value=value, unit=unit, taken_on=today - timedelta(days=d)
        )
        for analyte, value, unit, d in (
            ("magnesium_serum", "0.72", "mmol/L", 40),
            ("magnesium_serum", "0.81", "mmol/L", 5),
            ("hba1c", "6.1", "%", 30),
            ("glucose_fasting", "5.9", "mmol/L", 30),
            ("insulin_fasting", "14", "uIU/mL", 30),
        )
    ]
    article = content_services.article_create(
        title="Magnesium and insulin resistance: what the studies say",
        slug="magnesium-and-insulin-resistance",
        summary="What low magnesium has to do with insulin resistance.",
        body="## Why it matters\n\nMagnesium helps insulin work.\n\n| Food | mg |\n|---|---|\n"
        "| Pumpkin seeds, 30 g | 150 |\n| Spinach, cooked, 1 cup | 157 |\n",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=1),
    )
    dietitian = UserFactory(name="Dana Dietitian", is_dietitian=True)
    TOTP.activate(dietitian, generate_totp_secret())
    connect(dietitian, person)
    clinic_services.note_create(
        dietitian=dietitian, client=person, text="Lovely spinach. Add pumpkin seeds?", day=today
    )
    pending = clinic_services.invitation_create(
        dietitian=dietitian, client_email="new.client@example.com", base_url=live_server.url
    )
    return {
        "today": today,
        "person": person,
        "dietitian": dietitian,
        "entry": entries[0],
        "intake": intake,
        "food": spinach,
        "recipe": recipe,
        "lab": labs[0],
        "article": article,
        "token": pending.token,
    }


def _values(world: dict) -> dict[str, dict]:
    """Route name: the URL values that reach a real object of the visitor's (any other route
    with parameters gets tests/test_access.py's sample values)."""
    day = {"day": world["today"]}
    return {
        "foods:detail": {"food_id": world["food"].pk},
        "content:detail": {"slug": world["article"].slug},
        "diary:day": day,
        "diary:search": day,
        "diary:entry-edit": {"pk": world["entry"].pk},
        "diary:recipe": {"food_id": world["recipe"].food_id},
        "health:result-edit": {"pk": world["lab"].pk},
        "health:result-delete": {"pk": world["lab"].pk},
        "clinic:client": {"client_id": world["person"].pk},
        "clinic:accept": {"token": world["token"]},
    }


def _paths(world: dict) -> list[tuple[str, str]]:
    """(route name, path) for every named route outside the API and the admin."""
    values = _values(world)
    seen: dict[str, str] = {}
    for name, pattern in _named_patterns(get_resolver().url_patterns):
        if name in seen:
            continue
        if name in values:
            path = reverse(name, kwargs=values[name])
        else:
            path = _reverse(name, _parameters(pattern))
        if not path.startswith(NOT_PAGES):
            seen[name] = path
    return sorted(seen.items())


def _session_cookie(user) -> str:
    """A session signed in as `user`, with two factors when they have them."""
    client = Client()
    if user.is_dietitian:
        log_in_with_two_factors(client, user)
    else:
        client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _html(response) -> bool:
    return response.headers.get("content-type", "").startswith("text/html")


def _check(page, walk: Walk, viewport: dict) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > viewport["width"]:
        culprits = page.evaluate(WIDEST, viewport["width"])
        walk.problems.append(f"{page.url}: {width} px wide; sticking out: {culprits}")
    try:
        assert_accessible(page)
    except AssertionError as error:
        walk.problems.append(str(error))


def _walk(browser, site: str, world: dict, role: str, user=None, viewport=PHONE) -> Walk:
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(20_000)
    if user is not None:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": _session_cookie(user), "url": site}]
        )
    walk = Walk(role)
    page = context.new_page()
    done: set[str] = set()
    try:
        for name, path in _paths(world):
            answer = context.request.get(f"{site}{path}", max_redirects=0)
            walk.answers[name] = answer.status
            if answer.status in (301, 302, 303):
                path = answer.headers["location"].removeprefix(site)
                answer = context.request.get(f"{site}{path}", max_redirects=0)
            page_path = urlsplit(path).path  # the sign-in page once, whatever its ?next=
            if answer.status != 200 or not _html(answer) or page_path in done:
                continue  # a form's target, a download, a refusal, or walked already
            done.add(page_path)
            page.goto(f"{site}{path}")
            walk.walked.append(page_path)
            _check(page, walk, viewport)
    finally:
        context.close()
    return walk


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_every_page_fits_the_screen_and_passes_axe(browser, site, world, viewport):
    walks = [
        _walk(browser, site, world, "anonymous", viewport=viewport),
        _walk(browser, site, world, "person", world["person"], viewport=viewport),
        _walk(browser, site, world, "dietitian", world["dietitian"], viewport=viewport),
    ]
    anonymous, person, dietitian = (set(w.walked) for w in walks)
    today = world["today"].isoformat()
    # The walk reaches the pages that matter for each visitor (a broken sign-in would leave
    # only the sign-in page).
    assert {"/", "/foods/magnesium-rich/", "/accounts/login/"} <= anonymous
    assert f"/diary/{today}/" in person
    assert f"/diary/recipes/{world['recipe'].food_id}/" in person
    assert f"/health-record/results/{world['lab'].pk}/" in person
    assert {"/clinic/", f"/clinic/clients/{world['person'].pk}/"} <= dietitian
    # A route nobody reached (its sample values find nothing) would go unchecked for ever.
    unreached = [name for name in walks[0].answers if all(w.answers[name] == 404 for w in walks)]
    assert unreached == [], f"no visitor reached {unreached}: give them values in _values()"
    problems = [f"[{w.role}] {problem}" for w in walks for problem in w.problems]
    assert problems == [], "\n".join(problems)
