"""The person the schema fuzzing signs in as, and what it counts."""

import importlib
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.utils import timezone

from nutrition.clinic import services as clinic_services
from nutrition.clinic.models import AccessLog, CareRelationship
from nutrition.content.models import Article
from nutrition.diary import custom_foods
from nutrition.diary import services as diary_services
from nutrition.diary.models import Meal
from nutrition.health import services as health_services
from nutrition.transfer import services as transfer_services
from tests.accounts.helpers import totp_now
from tests.clinic.conftest import connect
from tests.conftest import HttpsClient
from tests.diary.factories import spinach_boiled
from tests.factories import PASSWORD, UserFactory

APP = "/_allauth/app/v1"
articles_migration = importlib.import_module("nutrition.content.migrations.0002_articles")


@dataclass
class FuzzCounts:
    """What the fuzzing did, printed at the end of the run."""

    operations: set[str] = field(default_factory=set)
    cases: int = 0
    failed: list[str] = field(default_factory=list)  # the operations that failed
    statuses: dict[int, int] = field(default_factory=dict)
    by_operation: dict[str, dict[int, int]] = field(default_factory=dict)

    def count(self, operation: str, status: int) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        answers = self.by_operation.setdefault(operation, {})
        answers[status] = answers.get(status, 0) + 1


COUNTS = FuzzCounts()


def pytest_runtest_logreport(report):
    name = report.location[2]
    if report.failed and report.when == "call" and "[" in name:
        COUNTS.failed.append(name.split("[", 1)[1].rstrip("]"))


def pytest_terminal_summary(terminalreporter):
    if not COUNTS.operations:
        return
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(COUNTS.statuses.items()))
    terminalreporter.write_sep("-", "schemathesis")
    terminalreporter.write_line(
        f"schemathesis: {len(COUNTS.operations)} operations, {COUNTS.cases} cases, "
        f"{len(COUNTS.failed)} operations failed"
    )
    terminalreporter.write_line(f"schemathesis answers: {statuses}")
    for label in COUNTS.failed:
        terminalreporter.write_line(f"schemathesis failed: {label}")
    if terminalreporter.verbosity > 0:
        for label, answers in sorted(COUNTS.by_operation.items()):
            codes = ", ".join(f"{code}: {n}" for code, n in sorted(answers.items()))
            terminalreporter.write_line(f"schemathesis {label}: {codes}")


@dataclass
class SignedIn:
    """A dietitian signed in through allauth's app API with both factors, as an app would be:
    the X-Session-Token names a session that passed the password and a TOTP code."""

    user: object
    token: str
    reauthenticated_at: float
    known: dict[str, dict[str, list]]  # path template -> parameter -> values that exist
    # Body fields and query parameters -> values that exist (ids, days of the diary, a token).
    known_fields: dict[str, list]

    def headers(self) -> dict[str, str]:
        return {"X-Session-Token": self.token}

    def reauthenticate(self) -> None:
        """Confirm the password again, so that the export (5 minutes) stays reachable."""
        response = HttpsClient().post(
            f"{APP}/auth/reauthenticate",
            {"password": PASSWORD},
            content_type="application/json",
            HTTP_X_SESSION_TOKEN=self.token,
        )
        assert response.status_code == 200, response.content
        self.token = response.json()["meta"].get("session_token", self.token)
        self.reauthenticated_at = time.monotonic()


def _app_post(path: str, data: dict, token: str | None = None) -> dict:
    extra = {"HTTP_X_SESSION_TOKEN": token} if token else {}
    return HttpsClient().post(f"{APP}{path}", data, content_type="application/json", **extra).json()


def _sign_in_with_two_factors(user, secret: str) -> str:
    pending = _app_post("/auth/login", {"email": user.email, "password": PASSWORD})
    assert pending["status"] == 401, pending  # the code is still to come
    done = _app_post(
        "/auth/2fa/authenticate", {"code": totp_now(secret)}, pending["meta"]["session_token"]
    )
    assert done["status"] == 200, done
    return done["meta"]["session_token"]


@pytest.fixture
def fuzz_person(db):
    """A verified dietitian with two factors and a day of data, one consenting client, and a
    dietitian of their own who wrote them a note; signed in and re-authenticated just now."""
    me = UserFactory(is_dietitian=True, name="Fuzz Dietitian")
    secret = generate_totp_secret()
    TOTP.activate(me, secret)
    today = timezone.localdate()
    day_before = (today - timedelta(days=1)).isoformat()

    food, cup = spinach_boiled()
    by_weight = diary_services.diary_entry_create(
        user=me, day=today, meal=Meal.LUNCH, food_id=food.pk, grams=Decimal("150")
    )
    by_portion = diary_services.diary_entry_create(
        user=me, day=today, meal=Meal.DINNER, food_id=food.pk, portion_id=cup.pk
    )
    supplement = diary_services.supplement_create(
        user=me, name="Magnesium citrate", form="citrate", elemental_mg_per_unit=Decimal("100")
    )
    dose = diary_services.supplement_intake_create(
        user=me, day=today, supplement_id=supplement.pk, units=Decimal("2")
    )
    diary_services.favourite_set(user=me, food_id=food.pk, favourite=True)
    own_food = custom_foods.custom_food_create(
        user=me,
        name="Oat bar",
        serving_description="bar",
        serving_grams=Decimal("60"),
        per_serving={"magnesium": Decimal("80"), "energy_kcal": Decimal("250")},
    )
    recipe = custom_foods.recipe_create(user=me, name="Green soup", servings=4)
    ingredient = custom_foods.recipe_ingredient_add(
        user=me, recipe=recipe, food_id=food.pk, grams=Decimal("300")
    )

    client = UserFactory(name="Carla Client")
    connect(me, client)
    diary_services.diary_entry_create(
        user=client, day=today, meal=Meal.BREAKFAST, food_id=food.pk, grams=Decimal("90")
    )
    clinic_services.note_create(dietitian=me, client=client, text="More greens.", day=today)

    my_dietitian = UserFactory(is_dietitian=True, name="Dana Dietitian")
    care: CareRelationship = connect(my_dietitian, me)
    clinic_services.note_create(dietitian=my_dietitian, client=me, text="Well done.", day=today)
    AccessLog.objects.create(
        client=me, dietitian=my_dietitian, who=str(my_dietitian), what="diary day"
    )
    invited = clinic_services.invitation_create(
        dietitian=UserFactory(is_dietitian=True), client_email=me.email, base_url="https://x/"
    )

    labs = [
        health_services.lab_result_create(
            user=me, analyte=analyte, value=Decimal(value), unit=unit, taken_on=today
        )
        for analyte, value, unit in [
            ("glucose_fasting", "5.4", "mmol/L"),
            ("insulin_fasting", "9", "uIU/mL"),
            ("creatinine_serum", "0.9", "mg/dL"),
        ]
    ]

    # An import of their own: a preview (its rows to change) and a committed one (to undo).
    export = (
        "Day,Group,Food Name,Amount,Magnesium (mg)\r\n"
        f"{day_before},Lunch,Spinach boiled,100.00 g,87.00\r\n"
        f"{day_before},Dinner,Spinach boiled,1.00 cup,156.60\r\n"
    )
    committed = transfer_services.import_preview(owner=me, content=export.encode())
    transfer_services.import_commit(owner=me, batch_id=committed.pk)
    previewed = transfer_services.import_preview(owner=me, content=(export + "\r\n").encode())
    import_rows = list(previewed.rows.values_list("pk", flat=True))

    articles_migration.install_articles(apps, None)  # a flushed test database has none
    slugs = list(Article.objects.published().values_list("slug", flat=True)[:3])
    day = today.isoformat()
    known = {
        "/api/v1/diary/entries/{id}/": {"id": [by_weight.pk, by_portion.pk]},
        "/api/v1/diary/supplement-intakes/{id}/": {"id": [dose.pk]},
        "/api/v1/supplements/{id}/": {"id": [supplement.pk]},
        "/api/v1/foods/{id}/": {"id": [food.pk, own_food.pk, recipe.food_id]},
        "/api/v1/me/foods/{id}/": {"id": [own_food.pk]},
        "/api/v1/diary/favourites/{food_id}/": {"food_id": [food.pk]},
        "/api/v1/me/recipes/{food_id}/": {"food_id": [recipe.food_id]},
        "/api/v1/me/recipes/{food_id}/ingredients/": {"food_id": [recipe.food_id]},
        "/api/v1/me/recipes/{food_id}/ingredients/{ingredient_id}/": {
            "food_id": [recipe.food_id],
            "ingredient_id": [ingredient.pk],
        },
        "/api/v1/me/labs/{id}/": {"id": [lab.pk for lab in labs]},
        "/api/v1/me/care-team/{relationship_id}/": {"relationship_id": [care.pk]},
        "/api/v1/diary/days/{day}/": {"day": [day]},
        "/api/v1/clinic/clients/{client_id}/days/{day}/": {"client_id": [client.pk], "day": [day]},
        "/api/v1/clinic/clients/{client_id}/notes/": {"client_id": [client.pk]},
        "/api/v1/clinic/clients/{client_id}/summary/": {"client_id": [client.pk]},
        "/api/v1/clinic/clients/{client_id}/target/": {"client_id": [client.pk]},
        "/api/v1/clinic/clients/{client_id}/labs/": {"client_id": [client.pk]},
        "/api/v1/clinic/clients/{client_id}/metabolic/": {"client_id": [client.pk]},
        "/api/v1/me/imports/{id}/": {"id": [previewed.pk, committed.pk]},
        "/api/v1/me/imports/{id}/commit/": {"id": [previewed.pk, committed.pk]},
        "/api/v1/me/imports/{id}/rows/": {"id": [previewed.pk, committed.pk]},
        "/api/v1/me/imports/{id}/rows/{row_id}/": {"id": [previewed.pk], "row_id": import_rows},
    }
    if slugs:
        known["/api/v1/articles/{slug}/"] = {"slug": slugs}
    token = _sign_in_with_two_factors(me, secret)
    days = [day, (today - timedelta(days=1)).isoformat()]
    known_fields = {
        "food": [food.pk, own_food.pk, recipe.food_id],
        "portion": [cup.pk],
        "supplement": [supplement.pk],
        "token": [invited.token],
        **{name: days for name in ("date", "day", "source_date", "target_date", "end")},
        "start": [(today - timedelta(days=7)).isoformat()],
    }
    person = SignedIn(
        user=me, token=token, reauthenticated_at=0.0, known=known, known_fields=known_fields
    )
    person.reauthenticate()
    return person
