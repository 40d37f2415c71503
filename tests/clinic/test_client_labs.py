"""A client's lab results on the dietitian's side: the labs and metabolic endpoints, the
"Lab results" section of the client page with its form, the board's flags from lab results,
consent that ends at once, and every look written in the client's access log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from nutrition import labs
from nutrition.clinic.models import AccessLog
from nutrition.clinic.services import (
    BOARD_VIEW,
    CLIENT_PAGE,
    LAB_ADDED,
    LAB_NOT_ADDED,
    LABS_VIEWED,
)
from nutrition.health.models import LabResult
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import add_results, connect
from tests.conftest import HttpsAPIClient, HttpsClient, throttle_queries
from tests.diary.factories import SupplementIntakeFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def logged(client_user) -> list[str]:
    return list(AccessLog.objects.filter(client=client_user).values_list("what", flat=True))


def api_as(user) -> HttpsAPIClient:
    return sign_in(HttpsAPIClient(), user)


def page_as(user) -> HttpsClient:
    return sign_in(HttpsClient(), user)


def labs_url(client_user) -> str:
    return f"/api/v1/clinic/clients/{client_user.pk}/labs/"


def metabolic_url(client_user, day=None) -> str:
    query = f"?date={day.isoformat()}" if day else ""
    return f"/api/v1/clinic/clients/{client_user.pk}/metabolic/{query}"


def full_panel(client_user, day) -> None:
    """A morning's results: HOMA-IR 3.7, prediabetes by HbA1c, low serum magnesium, and a
    creatinine from which CKD-EPI 2021 computes the eGFR (the client is a woman of 35)."""
    add_results(
        client_user,
        ("glucose_fasting", 100, "mg/dL", day),
        ("insulin_fasting", 15, "uIU/mL", day),
        ("triglycerides", 150, "mg/dL", day),
        ("creatinine_serum", "1.0", "mg/dL", day),
        ("hba1c", "6.0", "%", day),
        ("magnesium_serum", "1.7", "mg/dL", day),
    )


# --- The API --------------------------------------------------------------------------------


def test_the_dietitian_lists_the_clients_results_newest_first(dietitian, client_user, relationship):
    today = timezone.localdate()
    add_results(
        client_user,
        ("hba1c", "6.0", "%", today - timedelta(days=40)),
        ("egfr", 72, "mL/min/1.73m2", today - timedelta(days=3)),
    )
    add_results(UserFactory(), ("hba1c", "9.0", "%", today))  # someone else's
    response = api_as(dietitian).get(labs_url(client_user))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [r["analyte"] for r in body["results"]] == ["egfr", "hba1c"]
    hba1c = body["results"][1]
    assert (hba1c["value"], hba1c["unit"], hba1c["source"]) == (6.0, "%", "self")
    assert hba1c["category"] == {"code": "prediabetes", "label": "prediabetes range"}
    assert logged(client_user) == [LABS_VIEWED]


def test_a_result_the_dietitian_enters_is_the_clients_marked_as_theirs(
    dietitian, client_user, relationship
):
    day = timezone.localdate() - timedelta(days=2)
    body = {"analyte": "magnesium_serum", "value": 1.7, "unit": "mg/dL", "taken_on": str(day)}
    response = api_as(dietitian).post(labs_url(client_user), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["source"] == "dietitian"
    assert response.json()["category"]["code"] == "low"
    saved = LabResult.objects.get()
    assert (saved.user, saved.entered_by, saved.source) == (client_user, dietitian, "dietitian")
    assert logged(client_user) == [LAB_ADDED]
    mine = api_as(client_user).get("/api/v1/me/labs/").json()["results"]
    assert [(r["id"], r["source"]) for r in mine] == [(saved.pk, "dietitian")]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"analyte": "hba1c", "value": 55, "unit": "%"}, "value"),  # impossible
        ({"analyte": "hba1c", "value": 6, "unit": "mg/dL"}, "unit"),  # not HbA1c's unit
        ({"analyte": "cortisol", "value": 5, "unit": "mmol/L"}, "analyte"),
        (
            {"analyte": "egfr", "value": 70, "unit": "mL/min/1.73m2", "taken_on": "2099-01-01"},
            "taken_on",
        ),
    ],
)
def test_a_refused_result_saves_nothing_and_is_logged_as_none_added(
    dietitian, client_user, relationship, body, field
):
    payload = {"taken_on": str(timezone.localdate()), **body}
    response = api_as(dietitian).post(labs_url(client_user), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not LabResult.objects.exists()
    assert logged(client_user) == [LAB_NOT_ADDED]


def test_the_metabolic_picture_of_a_client(dietitian, client_user, relationship):
    day = timezone.localdate() - timedelta(days=10)
    full_panel(client_user, day)
    api = api_as(dietitian)
    body = api.get(metabolic_url(client_user, day)).json()
    assert body["date"] == day.isoformat()
    assert body["homa_ir"] == {"value": pytest.approx(3.7, abs=0.01), "taken_on": str(day)}
    assert body["egfr"]["computed"] is True and body["egfr"]["stage"] in ("G1", "G2")
    assert body["glycaemia"] == {"code": "prediabetes", "basis": "hba1c"}
    assert body["magnesium_status"]["code"] == "low"
    assert [w["code"] for w in body["warnings"]] == ["low_serum_magnesium"]
    assert body["not_a_diagnosis"] == labs.NOT_A_DIAGNOSIS
    # Without a date: the client's today; before the results: nothing to compute.
    assert api.get(metabolic_url(client_user)).json()["date"] == timezone.localdate().isoformat()
    empty = api.get(metabolic_url(client_user, day - timedelta(days=1))).json()
    assert empty["homa_ir"] is None and empty["warnings"] == []
    assert logged(client_user) == [
        f"metabolic picture on {day - timedelta(days=1)}",
        f"metabolic picture on {timezone.localdate()}",
        f"metabolic picture on {day}",
    ]


def test_a_bad_date_is_a_400_and_no_look(dietitian, client_user, relationship):
    api = api_as(dietitian)
    for bad in ("2026-02-30", "1800-01-01", ""):
        url = f"/api/v1/clinic/clients/{client_user.pk}/metabolic/?date={bad}"
        assert api.get(url).status_code == 400, bad
    assert logged(client_user) == []


# Besides the throttle: the session, the user, the verified address, the second factor, the
# consent and the access-log row; then the list's count and page, or the profile and results.
API_QUERIES = {"labs": 8, "metabolic": 8}


@pytest.mark.parametrize("name, url", [("labs", labs_url), ("metabolic", metabolic_url)])
def test_api_queries_are_the_same_for_1_and_200_results(
    dietitian, client_user, relationship, django_assert_num_queries, name, url
):
    api = api_as(dietitian)
    assert api.get(url(client_user)).status_code == 200  # the session's first request records it
    day = timezone.localdate() - timedelta(days=1)
    for copies in (1, 199):
        add_results(client_user, ("glucose_fasting", "5.5", "mmol/L", day), copies=copies)
        with django_assert_num_queries(API_QUERIES[name] + throttle_queries()):
            assert api.get(url(client_user)).status_code == 200
    assert LabResult.objects.filter(user=client_user).count() == 200


# --- The client page ------------------------------------------------------------------------


def page_url(client_user) -> str:
    return f"/clinic/clients/{client_user.pk}/"


def test_the_client_page_shows_results_markers_and_warnings(dietitian, client_user, relationship):
    day = timezone.localdate() - timedelta(days=10)
    full_panel(client_user, day)
    add_results(client_user, ("egfr", 41, "mL/min/1.73m2", timezone.localdate()))
    response = page_as(dietitian).get(page_url(client_user))
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="labs-title"') :]
    assert labs.NOT_A_DIAGNOSIS in section
    # The table: date, test, value and unit as entered, category in words, who entered it.
    assert "Serum magnesium" in section and "1.70 mg/dL" in section and "low magnesium" in section
    assert "6.0 %" in section and "prediabetes range" in section
    assert "G3b: moderately to severely decreased kidney function" in section
    assert "the client" in section
    # The markers of today, each with its date: the reported eGFR of today wins.
    assert "3.70" in section and day.strftime("%-d %b %Y") in section
    assert "as reported by the laboratory" in section
    assert "from HbA1c" in section
    assert "0.70</strong> mmol/L" in section
    # The warnings the client sees.
    assert 'data-code="low_egfr"' in section and 'data-code="low_serum_magnesium"' in section
    assert logged(client_user) == [CLIENT_PAGE]


def test_a_client_without_results_gets_an_empty_section(dietitian, client_user, relationship):
    html = page_as(dietitian).get(page_url(client_user)).content.decode()
    assert "No lab results yet." in html and labs.NOT_A_DIAGNOSIS in html


def test_the_page_form_saves_a_result_as_entered_by_the_dietitian(
    dietitian, client_user, relationship
):
    page = page_as(dietitian)
    day = timezone.localdate() - timedelta(days=1)
    form = {"analyte": "hba1c", "value": "7.1", "unit": "%", "taken_on": day.isoformat()}
    response = page.post(f"/clinic/clients/{client_user.pk}/labs/", form)
    assert response.status_code == 302
    assert response["Location"] == f"/clinic/clients/{client_user.pk}/#labs-title"
    saved = LabResult.objects.get()
    assert (saved.user, saved.source, saved.entered_by) == (client_user, "dietitian", dietitian)
    assert logged(client_user) == [LAB_ADDED]
    html = page.get(response["Location"]).content.decode()
    assert "Dana Dietitian (dietitian)" in html and "diabetes range" in html


@pytest.mark.parametrize(
    "form, message",
    [
        ({"analyte": "hba1c", "value": "55", "unit": "%"}, "HbA1c must be between"),
        ({"analyte": "hba1c", "value": "6", "unit": "mg/dL"}, "HbA1c is given in"),
        (
            {"analyte": "egfr", "value": "70", "unit": "mL/min/1.73m2", "taken_on": "2099-01-01"},
            "cannot be dated in the future",
        ),
        ({"analyte": "egfr", "value": "many", "unit": "mL/min/1.73m2"}, "Enter a number"),
    ],
)
def test_a_refused_result_on_the_page_shows_the_error_and_saves_nothing(
    dietitian, client_user, relationship, form, message
):
    data = {"taken_on": timezone.localdate().isoformat(), **form}
    response = page_as(dietitian).post(f"/clinic/clients/{client_user.pk}/labs/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html[html.index('id="lab-form-title"') :]
    assert not LabResult.objects.exists()
    assert logged(client_user) == [CLIENT_PAGE]


def test_page_queries_are_the_same_for_1_and_200_results(
    dietitian, client_user, relationship, logged_day, django_assert_max_num_queries
):
    page = page_as(dietitian)
    assert page.get(page_url(client_user)).status_code == 200  # the session's first request
    counts = []
    for copies in (1, 199):
        add_results(client_user, ("glucose_fasting", "5.5", "mmol/L", logged_day), copies=copies)
        with django_assert_max_num_queries(60) as ctx:
            assert page.get(page_url(client_user)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert LabResult.objects.count() == 200
    assert counts[0] == counts[1]


# --- Consent ends at once -------------------------------------------------------------------


def test_revoking_consent_ends_access_to_the_results_at_once(dietitian, client_user, relationship):
    day = timezone.localdate()
    add_results(client_user, ("hba1c", "6.0", "%", day))
    api, page = api_as(dietitian), page_as(dietitian)
    form = {"analyte": "hba1c", "value": "6.1", "unit": "%", "taken_on": day.isoformat()}
    assert api.get(labs_url(client_user)).status_code == 200
    assert api.get(metabolic_url(client_user)).status_code == 200
    assert "prediabetes range" in page.get(page_url(client_user)).content.decode()
    before = AccessLog.objects.count()

    me = api_as(client_user)
    assert me.delete(f"/api/v1/me/care-team/{relationship.pk}/").status_code == 204

    assert api.get(labs_url(client_user)).status_code == 404
    assert api.post(labs_url(client_user), form, format="json").status_code == 404
    assert api.get(metabolic_url(client_user, day)).status_code == 404
    assert page.get(page_url(client_user)).status_code == 404
    assert page.post(f"/clinic/clients/{client_user.pk}/labs/", form).status_code == 404
    assert LabResult.objects.count() == 1  # nothing was added after the consent ended
    assert AccessLog.objects.count() == before  # and a refused look is not a look
    board = api.get("/api/v1/clinic/clients/").json()
    assert board["count"] == 0


# --- The board's flags from lab results -----------------------------------------------------


def test_board_flags_from_lab_results(dietitian, client_user, relationship, logged_day):
    """client_user took a supplement today (logged_day); calm took none."""
    calm = UserFactory(name="Calvin Calm")
    connect(dietitian, calm)
    earlier, later = logged_day - timedelta(days=30), logged_day - timedelta(days=2)
    add_results(
        client_user,
        ("egfr", 45, "mL/min/1.73m2", later),
        ("magnesium_serum", "0.60", "mmol/L", later),
        ("hba1c", "7.0", "%", later),
        ("glucose_fasting", "5.0", "mmol/L", earlier),
        ("insulin_fasting", 60, "pmol/L", earlier),  # HOMA-IR 2.22
        ("glucose_fasting", "5.5", "mmol/L", later),
        ("insulin_fasting", 90, "pmol/L", later),  # HOMA-IR 3.67: rising
    )
    add_results(
        calm,
        ("egfr", 45, "mL/min/1.73m2", later),  # under 60, but no supplement this week
        ("magnesium_serum", "0.85", "mmol/L", later),
        ("hba1c", "5.0", "%", later),
        ("glucose_fasting", "126", "mg/dL", later),  # fasting glucose alone in the range
        ("insulin_fasting", 90, "pmol/L", earlier),
        ("glucose_fasting", "5.5", "mmol/L", earlier),
        ("insulin_fasting", 60, "pmol/L", later),  # HOMA-IR falling
    )
    rows = {
        r["email"]: r["flags"]
        for r in api_as(dietitian).get("/api/v1/clinic/clients/").json()["results"]
    }
    assert rows[client_user.email] == [
        "supplement_above_ul",
        "egfr_under_60_supplements",
        "low_serum_magnesium",
        "diabetes_range",
        "homa_ir_rising",
    ]
    assert rows[calm.email] == ["nothing_logged", "diabetes_range"]

    html = page_as(dietitian).get("/clinic/").content.decode()
    for label in (
        "Supplements with eGFR under 60",
        "Low serum magnesium",
        "A result in the diabetes range",
        "HOMA-IR rising",
    ):
        assert label in html
    assert labs.NOT_A_DIAGNOSIS in html
    assert logged(client_user) == [BOARD_VIEW]


def test_a_supplement_outside_the_week_raises_no_egfr_flag(dietitian, client_user, relationship):
    today = timezone.localdate()
    SupplementIntakeFactory(supplement__user=client_user, date=today - timedelta(days=8))
    add_results(client_user, ("egfr", 30, "mL/min/1.73m2", today - timedelta(days=20)))
    rows = api_as(dietitian).get("/api/v1/clinic/clients/").json()["results"]
    assert "egfr_under_60_supplements" not in rows[0]["flags"]
    html = page_as(dietitian).get("/clinic/").content.decode()
    assert labs.NOT_A_DIAGNOSIS not in html  # no flag from a lab result: nothing to qualify


def test_homa_ir_rising_is_seen_through_later_single_results(dietitian, client_user, relationship):
    """The board reads the latest few results of each analyte, and for HOMA-IR the latest
    days with both a glucose and an insulin: five glucose-only results after the two paired
    mornings do not hide that HOMA-IR rose."""
    today = timezone.localdate()
    add_results(
        client_user,
        ("glucose_fasting", 90, "mg/dL", today - timedelta(days=200)),
        ("insulin_fasting", 8, "uIU/mL", today - timedelta(days=200)),  # HOMA-IR 1.78
        ("glucose_fasting", 100, "mg/dL", today - timedelta(days=100)),
        ("insulin_fasting", 15, "uIU/mL", today - timedelta(days=100)),  # HOMA-IR 3.70
        *(("glucose_fasting", 95, "mg/dL", today - timedelta(days=50 - i)) for i in range(5)),
    )
    rows = api_as(dietitian).get("/api/v1/clinic/clients/").json()["results"]
    assert "homa_ir_rising" in rows[0]["flags"]
