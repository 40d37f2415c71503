"""The health record pages: entering a result as on the report, editing and deleting it, the
markers on today, and who may see what."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from freezegun import freeze_time

from accounts.models import Profile
from nutrition import labs
from nutrition.health import selectors, services
from nutrition.health.models import LabResult, Source
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import connect, make_dietitian
from tests.conftest import HttpsClient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RECORD = "/health-record/"
CHARTS = "/health-record/charts/"
DAY = date(2026, 1, 10)


def add(user, analyte, value, unit, taken_on=DAY, **extra) -> LabResult:
    return services.lab_result_create(
        user=user, analyte=analyte, value=Decimal(str(value)), unit=unit, taken_on=taken_on, **extra
    )


def form(**fields) -> dict:
    body = {
        "analyte": "glucose_fasting",
        "value": "100",
        "unit": "glucose_fasting:mg/dL",
        "taken_on": DAY.isoformat(),
        "note": "",
    }
    body.update(fields)
    return body


def test_a_result_in_mg_dl_is_stored_in_si_and_the_page_says_so(user_client, user):
    response = user_client.post(RECORD, form(note="Lab A"))
    assert response.status_code == 302 and response["Location"] == RECORD
    result = LabResult.objects.get()
    assert result.user == user and result.source == Source.SELF
    assert (result.value, result.unit) == (Decimal("100"), "mg/dL")
    assert result.value_si == Decimal("5.550622")  # 100 / 18.016
    page = user_client.get(RECORD).content.decode()
    assert "Saved your Fasting glucose of 10 January 2026." in page
    assert "100 mg/dL = 5.6 mmol/L" in page  # as entered, and in SI as a lab reports it
    assert "Prediabetes range" in page
    assert "Note: Lab A" in page


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"unit": "hba1c:%"}, "Fasting glucose is given in mmol/L, mg/dL."),
        ({"unit": "furlongs"}, "Fasting glucose is given in mmol/L, mg/dL."),
        ({"unit": ""}, "Choose the unit on your report."),
        ({"analyte": "cortisol"}, "Choose one of the tests in the list."),
        ({"value": "abc"}, "Enter a number, such as 5.4 or 97."),
        ({"value": "-5"}, "Enter a value above zero."),
        ({"value": "5000"}, "Fasting glucose must be between 0.5 and 60 mmol/L"),
        ({"value": "1e300"}, "Enter a smaller number"),
        ({"taken_on": "2099-01-01"}, services.FUTURE_DAY),
        ({"taken_on": "2026-02-30"}, "Enter a real date as YYYY-MM-DD"),
        ({"taken_on": "0001-01-01"}, "Choose a date between 1900 and 2100."),
        ({"note": "x" * 201}, "Keep the note to 200 characters."),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(user_client, fields, message):
    response = user_client.post(RECORD, form(**fields))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'class="field field-invalid"' in page
    assert LabResult.objects.count() == 0


def test_the_unit_picked_is_shown_again_after_an_error(user_client):
    page = user_client.post(
        RECORD, form(analyte="magnesium_serum", unit="magnesium_serum:mmol/L", value="x")
    ).content.decode()
    selected = re.findall(r'<option value="([^"]+)" selected>', page)
    assert "magnesium_serum:mmol/L" in selected and "glucose_fasting:mmol/L" not in selected


def test_units_are_grouped_by_analyte(user_client):
    page = user_client.get(RECORD).content.decode()
    for analyte in labs.ANALYTES.values():
        assert f'<optgroup label="{analyte.name}">' in page
        for unit in analyte.units:
            assert f'value="{analyte.code}:{unit.code}"' in page


def test_the_date_defaults_to_today_in_the_persons_time_zone(user_client, user):
    Profile.objects.filter(user=user).update(timezone="Pacific/Auckland")
    with freeze_time("2026-03-01 20:00:00"):  # already 2 March in Auckland
        page = user_client.get(RECORD).content.decode()
        assert 'name="taken_on" value="2026-03-02"' in page
        # Today there is not the future.
        assert user_client.post(RECORD, form(taken_on="2026-03-02")).status_code == 302
        assert user_client.post(RECORD, form(taken_on="2026-03-03")).status_code == 400
    assert LabResult.objects.count() == 1


def test_edit_shows_the_stored_values_and_saves_changes(user_client, user):
    result = add(user, "hba1c", "6.1", "%")
    url = f"/health-record/results/{result.pk}/"
    page = user_client.get(url).content.decode()
    assert 'value="6.1"' in page and '<option value="hba1c:%" selected>' in page
    response = user_client.post(url, form(analyte="hba1c", value="42", unit="hba1c:mmol/mol"))
    assert response.status_code == 302 and response["Location"] == RECORD
    result.refresh_from_db()
    assert (result.value, result.unit, result.value_si) == (
        Decimal("42"),
        "mmol/mol",
        Decimal("42"),
    )
    assert "Updated your HbA1c" in user_client.get(RECORD).content.decode()


def test_a_bad_edit_changes_nothing(user_client, user):
    result = add(user, "hba1c", "6.1", "%")
    url = f"/health-record/results/{result.pk}/"
    response = user_client.post(url, form(analyte="hba1c", value="6.1", unit="hba1c:mg/dL"))
    assert response.status_code == 400
    assert "HbA1c is given in mmol/mol, %." in response.content.decode()
    result.refresh_from_db()
    assert result.unit == "%" and result.value == Decimal("6.1")


def test_delete_asks_first_then_deletes(user_client, user):
    result = add(user, "egfr", 80, "mL/min/1.73m2")
    url = f"/health-record/results/{result.pk}/delete/"
    page = user_client.get(url)
    assert page.status_code == 200 and "Delete this result?" in page.content.decode()
    assert LabResult.objects.count() == 1  # a GET deletes nothing
    response = user_client.post(url)
    assert response.status_code == 302 and response["Location"] == RECORD
    assert LabResult.objects.count() == 0
    assert "Deleted your eGFR of 10 January 2026." in user_client.get(RECORD).content.decode()


@pytest.mark.parametrize("suffix", ["", "delete/"])
def test_another_persons_result_is_not_found_and_untouched(user_client, other_user, suffix):
    theirs = add(other_user, "hba1c", "6.1", "%")
    url = f"/health-record/results/{theirs.pk}/{suffix}"
    assert user_client.get(url).status_code == 404
    assert (
        user_client.post(url, form(analyte="hba1c", value="7", unit="hba1c:%")).status_code == 404
    )
    theirs.refresh_from_db()
    assert theirs.value == Decimal("6.1")


# --- Who may see what -----------------------------------------------------------------------
ROLES = ["anonymous", "owner", "stranger", "dietitian_without_consent", "dietitian", "staff"]


def _as(role: str, owner) -> HttpsClient:
    client = HttpsClient()
    people = {
        "anonymous": None,
        "owner": owner,
        "stranger": UserFactory(),
        "dietitian_without_consent": make_dietitian(),
        "staff": UserFactory(is_staff=True, is_superuser=True),
    }
    if role == "dietitian":
        people[role] = make_dietitian()
        connect(people[role], owner)
    if people[role] is not None:
        sign_in(client, people[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, user):
    result = add(user, "glucose_fasting", 100, "mg/dL", note="owner's secret note")
    client = _as(role, user)
    pages = [RECORD, CHARTS]
    own = [f"/health-record/results/{result.pk}/", f"/health-record/results/{result.pk}/delete/"]
    for url in pages + own:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=")
        elif role == "owner":
            assert response.status_code == 200, url
        elif url in own:
            assert response.status_code == 404, (role, url)
        else:
            # Everyone signed in has their own record: never someone else's results.
            assert response.status_code == 200
            assert "owner&#x27;s secret note" not in response.content.decode()
            assert "No results" in response.content.decode()
    if role == "owner":
        assert "owner&#x27;s secret note" in client.get(RECORD).content.decode()
    assert LabResult.objects.get() == result


def test_pages_refuse_other_methods(user_client):
    assert user_client.post(CHARTS).status_code == 405
    assert user_client.put(RECORD).status_code == 405


# --- The markers and warnings ---------------------------------------------------------------
def test_markers_with_their_inputs_meaning_and_the_not_a_diagnosis_text(user_client, user):
    Profile.objects.filter(user=user).update(sex="female", birth_date=date(1970, 1, 1))
    add(user, "glucose_fasting", 100, "mg/dL")
    add(user, "insulin_fasting", 15, "uIU/mL")
    add(user, "triglycerides", 150, "mg/dL")
    add(user, "creatinine_serum", "1.0", "mg/dL")
    add(user, "hba1c", "6.0", "%")
    add(user, "magnesium_serum", "0.85", "mmol/L")
    page = user_client.get(RECORD).content.decode()
    assert escape(labs.NOT_A_DIAGNOSIS) in page
    homa = page.split('id="marker-homa-ir"')[1].split('id="marker-tyg"')[0]
    assert '<p class="marker-value">3.7</p>' in homa
    assert "Fasting glucose 100 mg/dL (5.6 mmol/L), taken 10 Jan 2026" in homa
    assert "Fasting insulin 15 µIU/mL (90 pmol/L)" in homa
    assert escape(labs.HOMA_IR_MEANING) in page and escape(labs.TYG_MEANING) in page
    egfr = page.split('id="marker-egfr"')[1]
    assert "CKD-EPI 2021" in egfr and "Serum creatinine 1 mg/dL" in egfr
    assert escape(labs.EGFR_MEANING) in page
    glycaemia = page.split('id="marker-glycaemia"')[1]
    assert "Prediabetes range" in glycaemia and "From your HbA1c" in glycaemia
    assert "Normal magnesium" in page and escape(labs.MAGNESIUM_NORMAL_CAVEAT) in page


def test_no_markers_yet_says_what_to_enter(user_client):
    page = user_client.get(RECORD).content.decode()
    assert "No markers yet" in page and escape(labs.NOT_A_DIAGNOSIS) in page


def test_low_egfr_is_a_caution_and_very_low_egfr_a_strong_warning(user_client, user):
    add(user, "egfr", 50, "mL/min/1.73m2", taken_on=DAY)
    page = user_client.get(RECORD).content.decode()
    assert 'class="notice notice-caution" data-code="low_egfr"' in page
    assert escape(selectors.LOW_EGFR) in page
    add(user, "egfr", 25, "mL/min/1.73m2", taken_on=DAY + timedelta(days=1))
    page = user_client.get(RECORD).content.decode()
    assert 'class="notice notice-danger" data-code="very_low_egfr"' in page
    assert "<strong>Important:</strong>" in page
    assert page.index("very_low_egfr") < page.index("Add a result")  # before everything else


def test_a_result_from_a_dietitian_says_so(user_client, user):
    dietitian = make_dietitian(name="Dana Dietitian")
    add(user, "hba1c", "6.1", "%", source=Source.DIETITIAN, entered_by=dietitian)
    page = user_client.get(RECORD).content.decode()
    assert "Entered by your dietitian (Dana Dietitian)" in page


def test_results_are_newest_first(user_client, user):
    add(user, "hba1c", "5.1", "%", taken_on=date(2025, 3, 15))
    add(user, "hba1c", "5.2", "%", taken_on=DAY)
    page = user_client.get(RECORD).content.decode()
    assert page.index("10 Jan 2026") < page.index("15 Mar 2025")


# --- Query counts and CSP -------------------------------------------------------------------
def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [RECORD, CHARTS])
def test_query_count_is_the_same_with_1_and_200_results(user_client, user, url):
    Profile.objects.filter(user=user).update(sex="male", birth_date=date(1960, 5, 1))
    analytes = [
        ("glucose_fasting", 95, "mg/dL"),
        ("insulin_fasting", 10, "uIU/mL"),
        ("triglycerides", 120, "mg/dL"),
        ("creatinine_serum", 80, "umol/L"),
        ("egfr", 85, "mL/min/1.73m2"),
        ("hba1c", 40, "mmol/mol"),
        ("magnesium_serum", "0.8", "mmol/L"),
        ("hdl_cholesterol", 50, "mg/dL"),
    ]
    add(user, "glucose_fasting", 95, "mg/dL", taken_on=DAY)
    user_client.get(url)  # the session is recorded once
    one = _queries(user_client, url)
    for i in range(199):
        analyte, value, unit = analytes[i % len(analytes)]
        add(user, analyte, value, unit, taken_on=DAY - timedelta(days=i // len(analytes) * 7))
    assert LabResult.objects.count() == 200
    assert _queries(user_client, url) == one
    # 3 for the site (session, user, verified e-mail), the profile, the results; the charts
    # read the diary's figures once more (entries and doses).
    assert one == (5 if url == RECORD else 7)


@pytest.mark.parametrize(
    "url", [RECORD, CHARTS, "/health-record/results/{pk}/", "/health-record/results/{pk}/delete/"]
)
def test_pages_carry_no_inline_script_or_style(user_client, user, url):
    result = add(user, "glucose_fasting", 100, "mg/dL")
    add(user, "insulin_fasting", 15, "uIU/mL")
    body = user_client.get(url.format(pk=result.pk)).content.decode()
    for tag in re.findall(r"<script[^>]*>", body):
        assert "src=" in tag or "application/json" in tag, f"inline script on {url}: {tag}"
    assert " style=" not in body and "<style" not in body
    assert not re.search(r"\son[a-z]+=", body)  # no inline event handlers


def test_the_site_navigation_links_the_record(user_client):
    page = user_client.get("/diary/").content.decode()
    assert '<a href="/health-record/">Health record</a>' in page
    page = user_client.get(RECORD).content.decode()
    assert '<a href="/health-record/" aria-current="page">Health record</a>' in page
