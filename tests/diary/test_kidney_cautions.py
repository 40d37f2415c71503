"""The diary reads kidney function and serum magnesium from the health record: a supplement
logged with an eGFR under 60 is a caution (stronger under 30), the supplement forms say so
before a dose is logged, a low serum magnesium points to the foods that close the gap, and
the health record gets the diary's panel. The day costs no query more for any of it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from mgsite import registry
from nutrition import labs
from nutrition.health import selectors as health
from nutrition.health.services import lab_result_create
from tests.conftest import throttle_queries
from tests.diary.conftest import set_profile
from tests.diary.factories import DiaryEntryFactory, SupplementFactory, SupplementIntakeFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 3)
DAY_URL = "/diary/2026-02-03/"
DAY_API = "/api/v1/diary/days/2026-02-03/"
QUERIES_DAY_PAGE = 7  # as in tests/diary/test_views.py: the labs come with the person
QUERIES_DAY_API = 5  # as in tests/diary/test_api.py
UNDER_60 = "under 60"
UNDER_30 = "under 30. Do not take magnesium supplements"
FORM_CAUTION = 'id="supplement-caution"'


def egfr(user, value, taken_on=DAY - timedelta(days=1)):
    return lab_result_create(
        user=user, analyte="egfr", value=str(value), unit="mL/min/1.73m2", taken_on=taken_on
    )


def serum_magnesium(user, mmol_l, taken_on=DAY - timedelta(days=1)):
    return lab_result_create(
        user=user, analyte="magnesium_serum", value=mmol_l, unit="mmol/L", taken_on=taken_on
    )


def dose(user, day=DAY):
    return SupplementIntakeFactory(
        supplement__user=user, supplement__elemental_mg_per_unit=Decimal("100"), date=day
    )


def api_warnings(user_api) -> dict[str, str]:
    r = user_api.get(DAY_API)
    assert r.status_code == 200
    return {w["code"]: w["message"] for w in r.json()["warnings"]}


def page(user_client, url=DAY_URL) -> str:
    r = user_client.get(url)
    assert r.status_code == 200
    return r.content.decode()


def test_egfr_59_the_day_before_and_a_dose_warn_in_the_api_and_on_the_page(
    man_56, user_api, user_client
):
    egfr(man_56, 59)
    dose(man_56)
    warnings = api_warnings(user_api)
    assert "low_egfr_supplement" in warnings
    assert "59 mL/min/1.73 m²" in warnings["low_egfr_supplement"]
    assert UNDER_60 in warnings["low_egfr_supplement"]
    assert UNDER_30 not in warnings["low_egfr_supplement"]
    html = page(user_client)
    assert 'data-code="low_egfr_supplement"' in html.split('id="warnings-title"')[1]
    assert html.count(FORM_CAUTION) == 1


def test_egfr_60_is_no_caution(man_56, user_api, user_client):
    egfr(man_56, 60)
    dose(man_56)
    assert "low_egfr_supplement" not in api_warnings(user_api)
    html = page(user_client)
    assert "low_egfr_supplement" not in html and FORM_CAUTION not in html


def test_egfr_29_says_so_strongly(man_56, user_api, user_client):
    egfr(man_56, 29)
    dose(man_56)
    strong = api_warnings(user_api)["low_egfr_supplement"]
    assert UNDER_30 in strong and UNDER_60 not in strong
    html = page(user_client)
    caution = html.split(FORM_CAUTION)[1].split("</p>")[0]
    assert "Before you log a dose" in caution and UNDER_30 in caution


def test_the_two_messages_differ(man_56, user_api):
    dose(man_56)
    egfr(man_56, 45, DAY - timedelta(days=3))
    moderate = api_warnings(user_api)["low_egfr_supplement"]
    egfr(man_56, 25, DAY - timedelta(days=2))
    strong = api_warnings(user_api)["low_egfr_supplement"]
    assert moderate != strong


def test_an_egfr_taken_after_the_day_is_not_used(man_56, user_api, user_client):
    egfr(man_56, 75, DAY - timedelta(days=10))
    egfr(man_56, 40, DAY + timedelta(days=1))
    dose(man_56)
    assert "low_egfr_supplement" not in api_warnings(user_api)
    assert FORM_CAUTION not in page(user_client)
    # The next day, the new result counts.
    dose(man_56, DAY + timedelta(days=1))
    r = user_api.get(f"/api/v1/diary/days/{DAY + timedelta(days=1)}/")
    assert "low_egfr_supplement" in {w["code"] for w in r.json()["warnings"]}


def test_the_latest_egfr_wins_over_an_older_low_one(man_56, user_api):
    egfr(man_56, 40, DAY - timedelta(days=30))
    egfr(man_56, 70, DAY - timedelta(days=2))
    dose(man_56)
    assert "low_egfr_supplement" not in api_warnings(user_api)


def test_creatinine_alone_gives_a_computed_egfr(man_56, user_api, user_client):
    # 160 µmol/L for a man of 56: CKD-EPI 2021 gives about 43.
    lab_result_create(
        user=man_56,
        analyte="creatinine_serum",
        value="160",
        unit="umol/L",
        taken_on=DAY - timedelta(days=1),
    )
    expected = labs.ckd_epi_for(
        Decimal("160"), sex="male", born=date(1970, 1, 20), on=DAY - timedelta(days=1)
    )
    assert expected is not None and 30 <= expected < 60
    dose(man_56)
    message = api_warnings(user_api)["low_egfr_supplement"]
    assert f"{expected} mL/min/1.73 m² (computed from your creatinine" in message
    html = page(user_client)
    assert 'data-code="low_egfr_supplement"' in html
    assert labs.NOT_A_DIAGNOSIS.split(":")[0] in html  # the computed marker is no diagnosis


def test_creatinine_without_sex_and_birth_date_gives_no_egfr(user, user_api):
    lab_result_create(
        user=user,
        analyte="creatinine_serum",
        value="160",
        unit="umol/L",
        taken_on=DAY - timedelta(days=1),
    )
    dose(user)
    assert "low_egfr_supplement" not in api_warnings(user_api)


def test_no_dose_no_warning_but_the_form_still_cautions(man_56, user_api, user_client):
    egfr(man_56, 50)
    SupplementFactory(user=man_56, name="Magnesium glycinate")  # on the list, not taken
    assert "low_egfr_supplement" not in api_warnings(user_api)
    html = page(user_client)
    assert 'data-code="low_egfr_supplement"' in html  # the form's caution, not a warning
    assert 'id="warnings-title"' not in html
    supplements_section = html.split('id="supplements-title"')[1]
    assert supplements_section.index(FORM_CAUTION) < supplements_section.index("Log dose")
    assert "Before you log a dose" in supplements_section


def test_the_supplements_page_cautions_too(man_56, user_client):
    egfr(man_56, 28, date.today() - timedelta(days=1))
    html = page(user_client, "/diary/supplements/")
    assert FORM_CAUTION in html and UNDER_30 in html


def test_the_supplements_page_says_nothing_with_a_good_egfr(man_56, user_client):
    egfr(man_56, 90, date.today() - timedelta(days=1))
    assert FORM_CAUTION not in page(user_client, "/diary/supplements/")


def test_kidney_disease_box_and_egfr_45_give_one_kidney_warning(man_56, user_api, user_client):
    """Both say the same: the measured eGFR's warning stands alone and names the box too."""
    set_profile(man_56, kidney_disease=True)
    egfr(man_56, 45)
    dose(man_56)
    warnings = api_warnings(user_api)
    assert list(warnings) == ["low_egfr_supplement", "medicine_timing"]
    assert "Your profile also says you have kidney disease." in warnings["low_egfr_supplement"]
    html = page(user_client)
    assert html.count('data-code="low_egfr_supplement"') == 2  # the warning and the form
    assert 'data-code="kidney_disease_supplement"' not in html


def test_the_kidney_disease_box_keeps_its_own_warning(man_56, user_api, user_client):
    set_profile(man_56, kidney_disease=True)
    egfr(man_56, 75)
    dose(man_56)
    assert list(api_warnings(user_api)) == ["kidney_disease_supplement", "medicine_timing"]
    html = page(user_client)
    assert html.count('data-code="kidney_disease_supplement"') == 2  # the warning and the form


def test_a_low_serum_magnesium_points_to_a_clinician_and_the_gap(man_56, user_client, user_api):
    serum_magnesium(man_56, "0.60")
    html = page(user_client)
    note = html.split('data-code="low_serum_magnesium"')[1].split("</p>")[0]
    assert "0.6 mmol/L" in note or "0.60 mmol/L" in note
    assert "talk to your doctor" in note.lower()
    assert 'href="#gap-title"' in note and 'href="/foods/magnesium-rich/"' in note
    assert 'id="gap-title"' in html
    # A note on the page; the API's warnings keep to the contract.
    assert "low_serum_magnesium" not in api_warnings(user_api)


def test_a_normal_or_later_serum_magnesium_gives_no_note(man_56, user_client):
    serum_magnesium(man_56, "0.85")
    serum_magnesium(man_56, "0.55", DAY + timedelta(days=1))
    assert "low_serum_magnesium" not in page(user_client)


def test_another_persons_results_are_not_read(man_56, other_user, user_api, user_client):
    set_profile(other_user)
    egfr(other_user, 20)
    serum_magnesium(other_user, "0.50")
    dose(man_56)
    assert "low_egfr_supplement" not in api_warnings(user_api)
    html = page(user_client)
    assert FORM_CAUTION not in html and "low_serum_magnesium" not in html


def _results(user, count: int) -> None:
    """`count` results of every kind, the latest a low eGFR and a low serum magnesium."""
    kinds = [
        ("egfr", "50", "mL/min/1.73m2"),
        ("creatinine_serum", "150", "umol/L"),
        ("magnesium_serum", "0.62", "mmol/L"),
        ("glucose_fasting", "5.4", "mmol/L"),
    ]
    for i in range(count):
        analyte, value, unit = kinds[i % len(kinds)]
        lab_result_create(
            user=user,
            analyte=analyte,
            value=value,
            unit=unit,
            taken_on=DAY - timedelta(days=i // len(kinds)),
        )


@pytest.mark.parametrize("count", [1, 200])
def test_the_day_costs_no_query_more_for_the_record(man_56, spinach, user_client, user_api, count):
    _results(man_56, count)
    food, cup = spinach
    DiaryEntryFactory(user=man_56, date=DAY, food=food, portion=cup, quantity=1, grams=180)
    dose(man_56)
    page(user_client)  # records the session; caches the pickers and the gap foods
    with CaptureQueriesContext(connection) as queries:
        html = page(user_client)
    assert len(queries) == QUERIES_DAY_PAGE
    assert FORM_CAUTION in html
    with CaptureQueriesContext(connection) as queries:
        warnings = api_warnings(user_api)
    assert len(queries) == QUERIES_DAY_API + throttle_queries()
    assert "low_egfr_supplement" in warnings


# --- The diary's panel on the health record --------------------------------------------------
def _record_panels(user, viewer=None) -> list[str]:
    request = RequestFactory().get("/health-record/")
    request.user = viewer or user
    picture = health.picture_for(user=user, on=date.today())
    return [
        str(p) for p in registry.collect("health.record_page", request, user=user, picture=picture)
    ]


def test_record_panel_for_a_low_serum_magnesium_links_to_the_foods(man_56):
    serum_magnesium(man_56, "0.60", date.today() - timedelta(days=3))
    (panel,) = _record_panels(man_56)
    assert 'data-code="low_serum_magnesium"' in panel
    assert 'href="/diary/#gap-title"' in panel
    assert 'href="/foods/magnesium-rich/"' in panel
    assert "low_egfr_supplement" not in panel


def test_record_panel_cautions_about_supplements_with_a_low_egfr(man_56):
    egfr(man_56, 42, date.today() - timedelta(days=3))
    SupplementFactory(user=man_56, name="Magnesium citrate")
    SupplementFactory(user=man_56, name="Old product", archived=True)
    (panel,) = _record_panels(man_56)
    assert 'data-code="low_egfr_supplement"' in panel
    assert "Magnesium citrate" in panel and "Old product" not in panel
    assert UNDER_60 in panel
    assert "low_serum_magnesium" not in panel


def test_record_panel_is_absent_without_supplements_or_low_results(man_56):
    egfr(man_56, 42, date.today() - timedelta(days=3))  # low, but no supplement on the list
    serum_magnesium(man_56, "0.85", date.today() - timedelta(days=3))
    assert _record_panels(man_56) == []
    SupplementFactory(user=man_56, archived=True)
    assert _record_panels(man_56) == []


def test_record_panel_with_both(man_56):
    egfr(man_56, 22, date.today() - timedelta(days=3))
    serum_magnesium(man_56, "0.55", date.today() - timedelta(days=3))
    SupplementFactory(user=man_56, name="Magnesium glycinate")
    (panel,) = _record_panels(man_56)
    assert "low_egfr_supplement" in panel and "low_serum_magnesium" in panel
    assert UNDER_30 in panel


def test_record_panel_is_only_for_the_person_themself(man_56, other_user):
    serum_magnesium(man_56, "0.60", date.today() - timedelta(days=3))
    assert _record_panels(man_56, viewer=other_user) == []
