"""Food curation in the admin: lists, filters, nutrient values, checks, history, actions."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest

from nutrition.foods.models import DataSource, Food, FoodNutrient, Portion
from tests.accounts.helpers import sign_in
from tests.foods.factories import (
    DataSourceFactory,
    FoodFactory,
    FoodGroupFactory,
    FoodNutrientFactory,
    NutrientFactory,
    PortionFactory,
)

CHANGELIST = "/admin/foods/food/"
SUMMARY = ("magnesium_mg_per_100g", "energy_kcal_per_100g", "net_carbs_g_per_100g")


@pytest.fixture
def nutrients(db):
    return {
        number: NutrientFactory(usda_number=number)
        for number in ("304", "208", "205", "291", "203")
    }


@pytest.fixture
def spinach(nutrients):
    food = FoodFactory(
        data_source=DataSourceFactory(slug="usda-sr28"),
        source_id="11458",
        name="Spinach, cooked, boiled, drained, without salt",
        data_type=Food.DataType.SR_LEGACY,
        magnesium_mg_per_100g=Decimal("87"),
        energy_kcal_per_100g=Decimal("23"),
        net_carbs_g_per_100g=Decimal("1.35"),
    )
    for number, amount in {"304": "87", "208": "23", "205": "3.75", "291": "2.4"}.items():
        FoodNutrientFactory(food=food, nutrient=nutrients[number], amount_per_100g=amount)
    PortionFactory(food=food, seq=1, amount=1, description="cup", gram_weight=180)
    return food


class _Form(HTMLParser):
    """The fields of the page's main form as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.data[name] = a.get("value") or "on"
            else:
                self.data[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_of(response) -> dict[str, str]:
    parser = _Form()
    parser.feed(response.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def value_prefix(data: dict[str, str], food_nutrient: FoodNutrient) -> str:
    """The form prefix ("nutrient_values-3") of a stored value's row."""
    for name, value in data.items():
        if (
            name.startswith("nutrient_values-")
            and name.endswith("-id")
            and value == str(food_nutrient.pk)
        ):
            return name.removesuffix("-id")
    raise AssertionError(f"no row for {food_nutrient}")


def change_url(food: Food) -> str:
    return f"/admin/foods/food/{food.pk}/change/"


def test_staff_without_two_factor_cannot_use_the_admin(client, staff_user):
    sign_in(client, staff_user)
    assert client.get(CHANGELIST).status_code == 302


def test_list_with_magnesium_column_and_pinned_query_count(
    admin_client, django_assert_max_num_queries
):
    groups = [FoodGroupFactory() for _ in range(3)]
    sr28 = DataSourceFactory(slug="usda-sr28")
    for i in range(40):
        FoodFactory(
            food_group=groups[i % 3],
            data_source=sr28 if i % 2 else DataSourceFactory(),
            magnesium_mg_per_100g=Decimal(i),
        )

    # Session, user and two-factor checks, then the list: a fixed number whatever the rows.
    with django_assert_max_num_queries(13):
        response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert "Magnesium mg per 100g" in response.content.decode()
    with django_assert_max_num_queries(13):
        assert (
            admin_client.get(CHANGELIST + "?has_magnesium=yes&verified__exact=0").status_code == 200
        )


def test_search_and_filters(admin_client, spinach):
    FoodFactory(name="Almonds", magnesium_mg_per_100g=None, barcode="00123456789012")

    def names(query: str) -> list[str]:
        response = admin_client.get(CHANGELIST + query)
        assert response.status_code == 200
        return [food.name for food in response.context["cl"].result_list]

    assert names("?q=spinach") == [spinach.name]
    assert names("?q=11458") == [spinach.name]
    assert names("?q=0123456789012") == ["Almonds"]
    assert names("?has_magnesium=no") == ["Almonds"]
    assert names(f"?data_source__id__exact={spinach.data_source_id}") == [spinach.name]
    assert names(f"?food_group__id__exact={spinach.food_group_id}") == [spinach.name]


def test_change_page_query_count_does_not_grow_with_values(
    admin_client, spinach, django_assert_max_num_queries
):
    for number in range(400, 460):
        FoodNutrientFactory(food=spinach, nutrient=NutrientFactory(usda_number=str(number)))

    # 64 values cost no more than 4: they come in one query with their nutrients.
    with django_assert_max_num_queries(16):
        response = admin_client.get(change_url(spinach))

    assert response.status_code == 200
    assert "Magnesium, Mg" in response.content.decode()


def test_editing_a_value_updates_the_food_and_records_who(admin_client, staff_user, spinach):
    data = form_of(admin_client.get(change_url(spinach)))
    magnesium = spinach.nutrient_values.get(nutrient__usda_number="304")
    carbs = spinach.nutrient_values.get(nutrient__usda_number="205")
    data[f"{value_prefix(data, magnesium)}-amount_per_100g"] = "95"
    data[f"{value_prefix(data, carbs)}-amount_per_100g"] = "5.4"

    response = admin_client.post(change_url(spinach), data)

    assert response.status_code == 302, response.context["errors"]
    spinach.refresh_from_db()
    assert spinach.magnesium_mg_per_100g == Decimal("95")
    assert spinach.net_carbs_g_per_100g == Decimal("3.0")  # 5.4 - 2.4
    record = FoodNutrient.history.filter(id=magnesium.pk).latest()
    assert record.amount_per_100g == Decimal("95")
    assert record.history_user == staff_user
    assert spinach.history.latest().history_user == staff_user
    page = admin_client.get(change_url(spinach)).content.decode()
    assert staff_user.email in page  # the recent changes list says who


def test_magnesium_above_1000_needs_confirmation(admin_client, spinach):
    data = form_of(admin_client.get(change_url(spinach)))
    magnesium = spinach.nutrient_values.get(nutrient__usda_number="304")
    prefix = value_prefix(data, magnesium)
    data[f"{prefix}-amount_per_100g"] = "1200"

    response = admin_client.post(change_url(spinach), data)

    assert response.status_code == 200
    assert "Confirm high value" in response.content.decode()
    assert "above 1,000 mg" in response.content.decode()
    magnesium.refresh_from_db()
    assert magnesium.amount_per_100g == Decimal("87")

    data[f"{prefix}-confirm_high_value"] = "on"
    assert admin_client.post(change_url(spinach), data).status_code == 302
    spinach.refresh_from_db()
    assert spinach.magnesium_mg_per_100g == Decimal("1200")


def test_negative_amounts_and_empty_portions_are_refused(admin_client, spinach):
    data = form_of(admin_client.get(change_url(spinach)))
    energy = spinach.nutrient_values.get(nutrient__usda_number="208")
    data[f"{value_prefix(data, energy)}-amount_per_100g"] = "-5"
    data["portions-0-gram_weight"] = "0"

    response = admin_client.post(change_url(spinach), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Amounts cannot be negative." in page
    assert "Enter a weight of at least 0.1 g." in page
    energy.refresh_from_db()
    assert energy.amount_per_100g == Decimal("23")
    assert Portion.objects.get(food=spinach).gram_weight == Decimal("180")


@pytest.mark.parametrize(
    ("number", "unit", "amount", "words"),
    [
        ("203", "g", "150", "cannot hold 150 g (at most 100 g)"),
        ("208", "kcal", "1200", "cannot hold 1200 kcal (at most 1,000 kcal)"),
        ("304", "mg", "100001", "cannot hold 100001 mg (at most 100,000 mg)"),
        # Within the column (12 digits) but not its food's magnesium column (10 digits).
        ("304", "mg", "99999999", "cannot hold 99999999 mg"),
        # Whatever unit a nutrient row says, the food's magnesium column counts mg.
        ("304", "µg", "200000", "(at most 100,000 µg)"),
        ("401", "IU", "99999999.9999", None),  # the column's capacity: accepted
    ],
)
def test_values_beyond_what_100_g_can_hold_are_refused_even_when_confirmed(
    admin_client, spinach, nutrients, number, unit, amount, words
):
    nutrient = NutrientFactory(usda_number=number)
    type(nutrient).objects.filter(pk=nutrient.pk).update(unit=unit)
    FoodNutrient.objects.filter(food=spinach, nutrient=nutrient).delete()
    before = Food.objects.filter(pk=spinach.pk).values(*SUMMARY).get()
    data = form_of(admin_client.get(change_url(spinach)))
    data["nutrient_values-2-0-nutrient"] = str(nutrient.pk)
    data["nutrient_values-2-0-amount_per_100g"] = amount
    data["nutrient_values-2-0-confirm_high_value"] = "on"

    response = admin_client.post(change_url(spinach), data)

    if words is None:
        assert response.status_code == 302, response.context["errors"]
        assert FoodNutrient.objects.get(food=spinach, nutrient=nutrient).amount_per_100g == Decimal(
            amount
        )
        return
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not FoodNutrient.objects.filter(food=spinach, nutrient=nutrient).exists()
    assert Food.objects.filter(pk=spinach.pk).values(*SUMMARY).get() == before


def test_an_admin_may_confirm_magnesium_up_to_what_100_g_can_hold(admin_client, spinach):
    data = form_of(admin_client.get(change_url(spinach)))
    magnesium = spinach.nutrient_values.get(nutrient__usda_number="304")
    prefix = value_prefix(data, magnesium)
    data[f"{prefix}-amount_per_100g"] = "100000"
    data[f"{prefix}-confirm_high_value"] = "on"
    energy = spinach.nutrient_values.get(nutrient__usda_number="208")
    data[f"{value_prefix(data, energy)}-amount_per_100g"] = "1000"
    carbohydrate = spinach.nutrient_values.get(nutrient__usda_number="205")
    data[f"{value_prefix(data, carbohydrate)}-amount_per_100g"] = "100"

    response = admin_client.post(change_url(spinach), data)

    assert response.status_code == 302, response.context["errors"]
    spinach.refresh_from_db()
    # The summary columns follow the values, at their bounds.
    assert (
        spinach.magnesium_mg_per_100g,
        spinach.energy_kcal_per_100g,
        spinach.net_carbs_g_per_100g,
    ) == (Decimal("100000"), Decimal("1000"), Decimal("97.6"))
    assert admin_client.get(CHANGELIST).status_code == 200
    assert admin_client.get(change_url(spinach)).status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("gram_weight", "0.05", "Enter a weight of at least 0.1 g."),
        ("gram_weight", "10000.001", "Enter a weight of at most 10,000 g."),
        ("amount", "0", "Enter an amount above 0."),
        ("amount", "20000", "Enter an amount of at most 10,000."),
    ],
)
def test_impossible_portions_are_refused(admin_client, spinach, field, value, words):
    data = form_of(admin_client.get(change_url(spinach)))
    data[f"portions-0-{field}"] = value

    response = admin_client.post(change_url(spinach), data)

    assert response.status_code == 200
    assert words in response.content.decode()
    cup = Portion.objects.get(food=spinach)
    assert (cup.amount, cup.gram_weight) == (Decimal("1"), Decimal("180"))


def test_portions_at_the_bounds_are_saved(admin_client, spinach):
    data = form_of(admin_client.get(change_url(spinach)))
    data["portions-0-gram_weight"] = "0.1"
    data["portions-0-amount"] = "10000"

    assert admin_client.post(change_url(spinach), data).status_code == 302
    cup = Portion.objects.get(food=spinach)
    assert (cup.amount, cup.gram_weight) == (Decimal("10000"), Decimal("0.1"))


def test_adding_a_value_and_a_portion(admin_client, spinach, nutrients):
    FoodNutrient.objects.filter(food=spinach, nutrient__usda_number="304").delete()
    data = form_of(admin_client.get(change_url(spinach)))
    data["nutrient_values-2-0-nutrient"] = str(nutrients["304"].pk)
    data["nutrient_values-2-0-amount_per_100g"] = "80"
    data["portions-1-seq"] = "2"
    data["portions-1-amount"] = "0.5"
    data["portions-1-description"] = "cup"
    data["portions-1-gram_weight"] = "90"

    response = admin_client.post(change_url(spinach), data)

    assert response.status_code == 302, response.context["errors"]
    spinach.refresh_from_db()
    assert spinach.magnesium_mg_per_100g == Decimal("80")
    assert spinach.portions.count() == 2


def test_a_duplicate_new_value_is_refused(admin_client, spinach, nutrients):
    data = form_of(admin_client.get(change_url(spinach)))
    data["nutrient_values-2-0-nutrient"] = str(nutrients["304"].pk)
    data["nutrient_values-2-0-amount_per_100g"] = "80"

    response = admin_client.post(change_url(spinach), data)

    assert response.status_code == 200
    assert "already has a value for Magnesium" in response.content.decode()
    assert spinach.nutrient_values.filter(nutrient=nutrients["304"]).count() == 1


def test_new_foods_are_custom_and_belong_to_their_creator(admin_client, staff_user, nutrients):
    data = form_of(admin_client.get("/admin/foods/food/add/"))
    data["name"] = "Grandma's lentil soup"
    data["nutrient_values-2-0-nutrient"] = str(nutrients["304"].pk)
    data["nutrient_values-2-0-amount_per_100g"] = "30"

    response = admin_client.post("/admin/foods/food/add/", data)

    assert response.status_code == 302, response.context["errors"]
    food = Food.objects.get(name="Grandma's lentil soup")
    assert food.data_source == DataSource.objects.get(slug="custom")
    assert food.data_type == Food.DataType.CUSTOM
    assert food.private is False
    assert food.history.earliest().history_user == staff_user  # who created it
    assert food.source_id
    assert food.magnesium_mg_per_100g == Decimal("30")
    assert food.history.latest().history_user == staff_user


def test_bulk_verified_actions_record_history(admin_client, staff_user, spinach):
    other = FoodFactory(verified=True)
    selected = [str(spinach.pk), str(other.pk)]

    response = admin_client.post(
        CHANGELIST, {"action": "mark_verified", "_selected_action": selected}
    )

    assert response.status_code == 302
    spinach.refresh_from_db()
    assert spinach.verified is True
    record = spinach.history.latest()
    assert (record.verified, record.history_user) == (True, staff_user)
    assert other.history.count() == 1  # already verified: no change, no record

    admin_client.post(CHANGELIST, {"action": "mark_unverified", "_selected_action": selected})
    assert not Food.objects.filter(pk__in=selected, verified=True).exists()
    assert admin_client.get(CHANGELIST + "?verified__exact=0").context["cl"].result_count == 2


def test_history_page_shows_who_and_when(admin_client, staff_user, spinach):
    data = form_of(admin_client.get(change_url(spinach)))
    data["verified"] = "on"
    admin_client.post(change_url(spinach), data)

    page = admin_client.get(f"/admin/foods/food/{spinach.pk}/history/").content.decode()

    assert staff_user.email in page


@pytest.mark.parametrize("model", ["foodgroup", "nutrient", "datasource"])
def test_reference_tables_have_admins(admin_client, nutrients, model):
    FoodGroupFactory()
    assert admin_client.get(f"/admin/foods/{model}/").status_code == 200
    assert admin_client.get(f"/admin/foods/{model}/1/change/").status_code in (200, 302)


def test_nutrient_key_is_read_only(admin_client, nutrients):
    magnesium = nutrients["304"]
    response = admin_client.get(f"/admin/foods/nutrient/{magnesium.pk}/change/")
    assert response.status_code == 200
    assert 'name="key"' not in response.content.decode()
