"""The data migrations that moved each app's state to its own app (SQLite and PostgreSQL).

Each test migrates back to the state before a move, makes rows with the historical models of
that state, migrates forward to the latest and checks where the data is now; then it migrates
back once more to check the reverse function returns the data (changed in between, so that
the values can only have come from the new rows), and always ends on the latest schema.

- foods 0005 (flag private foods), diary 0003 (OwnFood, DiaryState), foods 0006 (owner goes);
- accounts 0003/0004 and diary 0003: the diary's revision and carb budget leave the profile;
- accounts 0002 and clinic 0003: the personal magnesium target leaves the profile.
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Profile
from nutrition.clinic.models import PersonalTarget
from nutrition.diary.models import DiaryState, OwnFood, Recipe
from nutrition.foods.models import Food
from tests.accounts.helpers import log_in_with_two_factors
from tests.conftest import HttpsClient
from tests.factories import UserFactory

# Before foods 0005 and diary 0003 (foods 0004 is diary 0002's own dependency), with the
# profile's diary fields of accounts 0003 still there; clinic stays at its latest.
BEFORE_DIARY = [
    ("foods", "0004_food_index_from_unique"),
    ("diary", "0002_entry_recent_index"),
    ("accounts", "0003_profile_carb_budget_and_diary_revision"),
    ("clinic", "0003_personaltarget"),
]
# Before clinic 0003: the target of accounts 0002 is still on the profile (the profile's
# diary fields of accounts 0003 too, which clinic 0003 depends on); foods and diary latest.
BEFORE_CLINIC = [
    ("clinic", "0002_access_log_append_only"),
    ("accounts", "0003_profile_carb_budget_and_diary_revision"),
]

SET_AT = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
UPDATED_AT = datetime(2026, 6, 7, 18, 15, tzinfo=UTC)


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _migrate_back(targets):
    """Migrate to `targets`; the historical models of that state."""
    _migrate(targets)
    executor = MigrationExecutor(connection)
    assert set(targets) <= set(executor.loader.applied_migrations)
    return executor.loader.project_state(targets).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def _user(apps, email: str, **fields):
    return apps.get_model("accounts", "User").objects.create(email=email, **fields)


@pytest.mark.django_db(transaction=True)
def test_private_foods_move_to_the_diary_and_back():
    leaves = _leaves()
    old = _migrate_back(BEFORE_DIARY)
    try:
        OldFood = old.get_model("foods", "Food")
        assert {"owner_id", "created_by_id"} <= _columns("foods_food")
        assert "private" not in _columns("foods_food")
        custom = old.get_model("foods", "DataSource").objects.get_or_create(
            slug="custom", defaults={"name": "Custom foods"}
        )[0]
        usda = old.get_model("foods", "DataSource").objects.get_or_create(
            slug="usda-sr28", defaults={"name": "USDA SR28"}
        )[0]
        alice = _user(old, "alice@example.com")
        bob = _user(old, "bob@example.com")
        editor = _user(old, "editor@example.com", is_staff=True)

        def food(name, source, data_type, **people):
            return OldFood.objects.create(
                source_id=f"t-{name}", name=name, data_type=data_type, data_source=source, **people
            )

        # A person's own food, made as the diary made them: owner and creator the person.
        own = food("Alice's bar", custom, "custom", owner=alice, created_by=alice)
        # A person's recipe: a private food of data type "recipe" with its recipe row.
        recipe_food = food("Bob's stew", custom, "recipe", owner=bob, created_by=bob)
        # A curated custom food an editor made: created by a person, but no owner (public).
        curated = food("Curated tofu", custom, "custom", created_by=editor)
        # A USDA food: nobody's.
        spinach = food("Spinach", usda, "sr_legacy")
        recipe = old.get_model("diary", "Recipe").objects.create(food=recipe_food, servings=4)
        ingredient = old.get_model("diary", "RecipeIngredient").objects.create(
            recipe=recipe, food=spinach, grams=Decimal("250")
        )

        _migrate(leaves)

        assert {"owner_id", "created_by_id"}.isdisjoint(_columns("foods_food"))
        private = dict(Food.objects.values_list("pk", "private"))
        assert private == {own.pk: True, recipe_food.pk: True, curated.pk: False, spinach.pk: False}
        assert dict(OwnFood.objects.values_list("food_id", "user_id")) == {
            own.pk: alice.pk,
            recipe_food.pk: bob.pk,
        }
        assert set(Food.objects.public().values_list("pk", flat=True)) == {curated.pk, spinach.pk}
        moved = Recipe.objects.get(pk=recipe.pk)
        assert (moved.food_id, moved.servings) == (recipe_food.pk, 4)
        assert list(moved.ingredients.values_list("pk", "food_id")) == [(ingredient.pk, spinach.pk)]

        # Backwards: whose a private food is goes back to Food.owner, from the OwnFood rows.
        old = _migrate_back(BEFORE_DIARY)
        owners = dict(old.get_model("foods", "Food").objects.values_list("pk", "owner_id"))
        assert owners == {
            own.pk: alice.pk,
            recipe_food.pk: bob.pk,
            curated.pk: None,
            spinach.pk: None,
        }
        # Who created a food is not restored (foods 0006 says it lives in the history now).
        assert set(old.get_model("foods", "Food").objects.values_list("created_by", flat=True)) == {
            None
        }
    finally:
        _migrate(leaves)  # whatever happened, the next test finds the latest schema

    assert dict(OwnFood.objects.values_list("food_id", "user_id")) == {
        own.pk: alice.pk,
        recipe_food.pk: bob.pk,
    }
    assert set(Food.objects.filter(private=True).values_list("pk", flat=True)) == {
        own.pk,
        recipe_food.pk,
    }


def _old_history(old, *, food_id: int, source_id: str, owner=None, private=None) -> None:
    """The "+" and "-" versions simple_history kept of a food deleted with food.delete()."""
    custom = old.get_model("foods", "DataSource").objects.get_or_create(
        slug="custom", defaults={"name": "Custom foods"}
    )[0]
    extra = {"owner_id": owner.pk, "created_by_id": owner.pk} if owner else {}
    if private is not None:
        extra["private"] = private
    for history_type in ("+", "-"):
        old.get_model("foods", "HistoricalFood").objects.create(
            id=food_id,
            source_id=source_id,
            name="Alice's secret shake",
            data_type="custom",
            data_source_id=custom.pk,
            created_at=SET_AT,
            updated_at=SET_AT,
            history_date=SET_AT,
            history_type=history_type,
            **extra,
        )


def _admin_history_page(food_id: int):
    staff = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(staff, generate_totp_secret())
    client = log_in_with_two_factors(HttpsClient(), staff)
    return client.get(f"/admin/foods/food/{food_id}/history/")


@pytest.mark.django_db(transaction=True)
def test_nothing_stays_of_a_private_food_deleted_before_the_move():
    """Foods 0005 flags the recorded versions of owned foods too (it once flagged live foods
    only, and the admin showed a deleted own food's history to staff); 0008 then deletes the
    history of private foods that no longer exist."""
    leaves = _leaves()
    old = _migrate_back(BEFORE_DIARY)
    try:
        alice = _user(old, "alice@example.com")
        _old_history(old, food_id=987654, source_id="t-deleted", owner=alice)
    finally:
        _migrate(leaves)

    assert not Food.history.filter(id=987654).exists()
    page = _admin_history_page(987654)
    assert page.status_code == 404 or "secret shake" not in page.text


AFTER_MOVE = [("foods", "0007_physical_bounds")]


@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_before_the_fix_is_repaired_by_0008():
    """A database past 0006 before 0005 flagged history: the versions of a person's own food
    (source id "user-<pk>-…") are unflagged and linked to nobody; 0008 removes them and keeps
    everything of the public foods."""
    leaves = _leaves()
    old = _migrate_back(AFTER_MOVE)
    try:
        _old_history(old, food_id=987655, source_id="user-12-abcdef", private=False)
        _old_history(old, food_id=987656, source_id="admin-abcdef", private=False)
        _old_history(old, food_id=987657, source_id="09040", private=False)
        assert Food.history.filter(id=987655, private=False).count() == 2
    finally:
        _migrate(leaves)

    assert not Food.history.filter(id=987655).exists()
    # An editor's deleted food keeps its history, and so does an imported one.
    assert Food.history.filter(id=987656, private=False).count() == 2
    assert Food.history.filter(id=987657, private=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_diary_revision_and_carb_budget_move_to_diary_state_and_back():
    leaves = _leaves()
    old = _migrate_back(BEFORE_DIARY)
    try:
        OldProfile = old.get_model("accounts", "Profile")
        carol = _user(old, "carol@example.com")
        dave = _user(old, "dave@example.com")
        erin = _user(old, "erin@example.com")  # made outside sign-up: no profile
        OldProfile.objects.create(user=carol, diary_revision=7, net_carbs_budget_g=Decimal("45.5"))
        OldProfile.objects.create(user=dave)  # the defaults: revision 0, no budget
        assert not OldProfile.objects.filter(user=erin).exists()

        _migrate(leaves)

        assert {"diary_revision", "net_carbs_budget_g"}.isdisjoint(_columns("accounts_profile"))
        states = {
            user_id: (revision, budget)
            for user_id, revision, budget in DiaryState.objects.values_list(
                "user_id", "revision", "net_carbs_budget_g"
            )
        }
        assert states == {
            carol.pk: (7, Decimal("45.5")),
            dave.pk: (0, None),
            erin.pk: (0, None),
        }
        # accounts 0004: everyone has a profile from now on, with the defaults.
        assert set(Profile.objects.values_list("user_id", flat=True)) == {
            carol.pk,
            dave.pk,
            erin.pk,
        }
        assert Profile.objects.get(user_id=erin.pk).timezone == "UTC"

        # Changed since: the reverse must read these rows, not anything left on the profile.
        DiaryState.objects.filter(user_id=carol.pk).update(
            revision=8, net_carbs_budget_g=Decimal("30")
        )
        DiaryState.objects.filter(user_id=erin.pk).update(net_carbs_budget_g=Decimal("12.5"))

        old = _migrate_back(BEFORE_DIARY)
        kept = {
            user_id: (revision, budget)
            for user_id, revision, budget in old.get_model(
                "accounts", "Profile"
            ).objects.values_list("user_id", "diary_revision", "net_carbs_budget_g")
        }
        assert kept == {
            carol.pk: (8, Decimal("30.0")),
            dave.pk: (0, None),
            erin.pk: (0, Decimal("12.5")),
        }
    finally:
        _migrate(leaves)

    assert DiaryState.objects.get(user_id=carol.pk).revision == 8
    assert DiaryState.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_personal_target_moves_to_the_clinic_and_back():
    leaves = _leaves()
    old = _migrate_back(BEFORE_CLINIC)
    try:
        OldProfile = old.get_model("accounts", "Profile")
        dietitian = _user(old, "dietitian@example.com", is_dietitian=True)
        OldProfile.objects.create(user=dietitian)
        client = _user(old, "client@example.com")
        OldProfile.objects.create(
            user=client,
            magnesium_target_mg=Decimal("420.0"),
            magnesium_target_set_by=dietitian,
            magnesium_target_set_at=SET_AT,
        )
        # Set by a dietitian whose account has gone (SET_NULL), before set_at was recorded.
        orphan = _user(old, "orphan@example.com")
        OldProfile.objects.create(user=orphan, magnesium_target_mg=Decimal("350.5"))
        OldProfile.objects.filter(user=orphan).update(updated_at=UPDATED_AT)
        plain = _user(old, "plain@example.com")
        OldProfile.objects.create(user=plain)
        nobody = _user(old, "nobody@example.com")  # no profile at all

        _migrate(leaves)

        targets = {
            t.client_id: (t.magnesium_mg, t.set_by_id, t.set_at)
            for t in PersonalTarget.objects.all()
        }
        assert targets == {
            client.pk: (Decimal("420.0"), dietitian.pk, SET_AT),
            orphan.pk: (Decimal("350.5"), None, UPDATED_AT),  # set_at: the profile's last change
        }
        assert not PersonalTarget.objects.filter(
            client_id__in=[dietitian.pk, plain.pk, nobody.pk]
        ).exists()
        assert Profile.objects.filter(user_id=nobody.pk).exists()  # accounts 0004
        assert not {c for c in _columns("accounts_profile") if c.startswith("magnesium_target")}

        PersonalTarget.objects.filter(client_id=client.pk).update(magnesium_mg=Decimal("380"))

        old = _migrate_back(BEFORE_CLINIC)
        kept = {
            row[0]: row[1:]
            for row in old.get_model("accounts", "Profile").objects.values_list(
                "user_id",
                "magnesium_target_mg",
                "magnesium_target_set_by_id",
                "magnesium_target_set_at",
            )
        }
        assert kept == {
            dietitian.pk: (None, None, None),
            client.pk: (Decimal("380.0"), dietitian.pk, SET_AT),
            orphan.pk: (Decimal("350.5"), None, UPDATED_AT),
            plain.pk: (None, None, None),
            nobody.pk: (None, None, None),
        }
    finally:
        _migrate(leaves)

    assert PersonalTarget.objects.get(client_id=client.pk).magnesium_mg == Decimal("380.0")
    assert PersonalTarget.objects.count() == 2
