"""The report of a period: the PDF a dietitian files or a person downloads, and the same figures
as a CSV. Through the test client only: the PDF is read back with pypdf, and every figure is
checked against what the diary's day API says of the same day."""

import csv
import io
import re
import sys
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from nutrition.clinic import services as clinic_services
from nutrition.clinic.models import AccessLog
from nutrition.health import services as health_services
from nutrition.transfer import pdf
from tests.clinic.conftest import as_role
from tests.conftest import HttpsAPIClient, HttpsClient
from tests.diary.factories import DiaryEntryFactory, SupplementIntakeFactory, spinach_boiled
from tests.factories import UserFactory
from tests.foods.factories import FoodFactory

needs_pdf = pytest.mark.skipif(
    not pdf.available(),
    reason=f"WeasyPrint cannot run here ({pdf.unavailable_reason()}): {pdf.NEEDS}",
)

START = date(2025, 3, 1)
END = date(2025, 3, 30)
DAY = date(2025, 3, 10)  # spinach (174 mg) and a 400 mg supplement: above the limit
PERIOD = f"start={START.isoformat()}&end={END.isoformat()}"


def client_pdf(client_id: int, query: str = PERIOD) -> str:
    return f"/clinic/clients/{client_id}/report.pdf?{query}"


def client_csv(client_id: int, query: str = PERIOD) -> str:
    return f"/clinic/clients/{client_id}/report.csv?{query}"


def fill_period(person) -> None:
    """A month with spinach on ten days, a supplement over the limit on one, an HbA1c, a
    fasting glucose and insulin (HOMA-IR) and a note about one day."""
    food, _cup = spinach_boiled()
    for offset in range(0, 30, 3):
        DiaryEntryFactory(user=person, date=START + timedelta(days=offset), food=food, grams=200)
    SupplementIntakeFactory(
        supplement__user=person,
        supplement__name="Slow release magnesium",
        supplement__elemental_mg_per_unit=Decimal("400"),
        date=DAY,
    )
    for analyte, value, unit in (
        ("hba1c", "6.1", "%"),
        ("glucose_fasting", "5.9", "mmol/L"),
        ("insulin_fasting", "90", "pmol/L"),
    ):
        health_services.lab_result_create(
            user=person, analyte=analyte, value=Decimal(value), unit=unit, taken_on=DAY
        )


@pytest.fixture
def filled(client_user, relationship, dietitian):
    fill_period(client_user)
    clinic_services.note_create(
        dietitian=dietitian, client=client_user, text="Try pumpkin seeds at breakfast.", day=DAY
    )
    return client_user


def signed_in(person):
    from tests.accounts.helpers import sign_in

    return sign_in(HttpsClient(), person)


def day_api(person, day: date) -> dict:
    """The day's magnesium as the diary's own day API gives it, each amount as the site
    writes it (one decimal)."""
    api = HttpsAPIClient()
    api.force_authenticate(person)
    response = api.get(f"/api/v1/diary/days/{day.isoformat()}/")
    assert response.status_code == 200
    figures = response.json()["magnesium"]
    for key in ("food_mg", "supplement_mg", "total_mg"):
        figures[key] = f"{Decimal(str(figures[key])):.1f}"
    return figures


def day_api_total(person, day: date) -> str:
    return day_api(person, day)["total_mg"]


def pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def csv_table(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def assert_download_headers(response, extension: str) -> None:
    disposition = response["Content-Disposition"]
    match = re.fullmatch(r'attachment; filename="([a-z0-9-]+)\.(\w+)"', disposition)
    assert match, disposition
    assert match.group(2) == extension
    assert response["Cache-Control"] == "private, no-store"


# --- The PDF --------------------------------------------------------------------------------
@needs_pdf
@pytest.mark.django_db
def test_the_pdf_opens_and_shows_the_figures(filled, dietitian):
    response = signed_in(dietitian).get(client_pdf(filled.pk))
    text = pdf_text(response)
    assert_download_headers(response, "pdf")
    assert "carla-client-2025-03-01-to-2025-03-30" in response["Content-Disposition"]
    assert "Carla Client" in text
    assert "1 March 2025 to 30 March 2025" in text
    total = day_api_total(filled, DAY)
    assert total == "574.0"  # 174 mg of spinach and a 400 mg dose
    assert re.search(rf"Mon 10 Mar 2025\s+174\.0\s+400\.0\s+{re.escape(total)}", text), text
    assert "6.1 %" in text  # the HbA1c, as entered
    assert "HOMA-IR" in text and "Slow release magnesium" in text
    assert "Spinach, cooked, boiled" in text
    assert "Try pumpkin seeds at breakfast." in text
    assert "Page 1 of" in text
    # Ten spinach days of 174 mg and one dose of 400 mg: the totals add up.
    assert "1740.0 mg" in text and "2140.0 mg" in text


@needs_pdf
@pytest.mark.django_db
def test_a_person_downloads_the_same_report_of_themselves(filled):
    response = signed_in(filled).get(f"/diary/report.pdf?{PERIOD}")
    text = pdf_text(response)
    assert_download_headers(response, "pdf")
    assert "Carla Client" in text and "Downloaded by the person" in text
    assert re.search(rf"Mon 10 Mar 2025\s+174\.0\s+400\.0\s+{day_api_total(filled, DAY)}", text)
    assert not AccessLog.objects.exists()  # a person's own look is nobody's access


@needs_pdf
@pytest.mark.django_db
def test_the_default_period_is_the_30_days_up_to_the_persons_today(client_user):
    today = timezone.localdate()  # the client's time zone is UTC
    response = signed_in(client_user).get("/diary/report.pdf")
    start = today - timedelta(days=29)
    assert f"{start.isoformat()}-to-{today.isoformat()}.pdf" in response["Content-Disposition"]
    assert "30 days" in pdf_text(response)


# --- Who may have it ------------------------------------------------------------------------
ROLES = [
    "anonymous",
    "client",
    "stranger",
    "dietitian_without_consent",
    "dietitian_revoked",
    "staff",
    "dietitian_consented",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["pdf", "csv"])
def test_a_clients_report_role_matrix(role, kind, dietitian, filled):
    if kind == "pdf" and not pdf.available():
        pytest.skip(pdf.unavailable_reason())
    c = as_role(role, dietitian=dietitian, client_user=filled, api=False)
    url = client_pdf(filled.pk) if kind == "pdf" else client_csv(filled.pk)
    before = AccessLog.objects.count()
    response = c.get(url)
    if role == "dietitian_consented":
        assert response.status_code == 200
        row = AccessLog.objects.get()
        assert (row.client, row.dietitian) == (filled, dietitian)
        assert row.what == f"report ({kind.upper()}), 2025-03-01 to 2025-03-30"
    elif role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == 404, role
        assert b"Carla" not in response.content
    if role != "dietitian_consented":
        assert AccessLog.objects.count() == before
    assert c.post(url).status_code in (302, 404, 405)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["pdf", "csv"])
def test_ones_own_report_holds_only_ones_own_diary(kind, filled):
    if kind == "pdf" and not pdf.available():
        pytest.skip(pdf.unavailable_reason())
    url = f"/diary/report.{kind}?{PERIOD}"
    assert HttpsClient().get(url).status_code == 302  # anonymous: sign in first
    stranger = UserFactory(name="Sam Stranger")
    response = signed_in(stranger).get(url)
    assert response.status_code == 200
    body = pdf_text(response) if kind == "pdf" else response.content.decode()
    assert "Sam Stranger" in body
    assert "Carla" not in body and "Spinach" not in body and "574.0" not in body
    unverified = UserFactory(verified=False)
    refused = signed_in(unverified).get(url)
    assert refused.status_code == 200 and b"verify" in refused.content.lower()
    assert refused["Content-Type"].startswith("text/html")


# --- The period -----------------------------------------------------------------------------
BAD_PERIODS = [
    ("start=2025-02-30&end=2025-03-30", "Enter a real date"),
    ("start=yesterday", "Enter a real date"),
    ("start=2025-03-01&end=3000-01-01", "between 1900 and 2100"),
    ("start=1899-12-31&end=1900-01-05", "between 1900 and 2100"),
    ("start=2025-03-30&end=2025-03-01", "The start comes after the end."),
    ("start=2024-01-01&end=2025-03-01", "at most 366 days"),
    ("end=2025-13-01", "Enter a real date"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "message"), BAD_PERIODS)
def test_a_period_that_is_not_one_is_a_400_saying_why(query, message, filled, dietitian):
    if not pdf.available():
        pytest.skip(pdf.unavailable_reason())
    for c, url in (
        (signed_in(filled), f"/diary/report.pdf?{query}"),
        (signed_in(filled), f"/diary/report.csv?{query}"),
        (signed_in(dietitian), client_pdf(filled.pk, query)),
        (signed_in(dietitian), client_csv(filled.pk, query)),
    ):
        response = c.get(url)
        assert response.status_code == 400, url
        assert response["Content-Type"].startswith("text/html")
        assert message in response.content.decode(), url
    # The dietitian's refused asks are logged as what they were.
    assert [row.what for row in AccessLog.objects.order_by("id")] == [
        "report (PDF): refused, the dates were not valid",
        "report (CSV): refused, the dates were not valid",
    ]


@pytest.mark.django_db
def test_a_full_year_is_a_period_and_a_day_more_is_not(filled):
    c = signed_in(filled)
    assert c.get("/diary/report.csv?start=2024-03-30&end=2025-03-30").status_code == 200
    assert c.get("/diary/report.csv?start=2024-03-29&end=2025-03-30").status_code == 400
    single = c.get(f"/diary/report.csv?start={DAY}&end={DAY}")
    days = [row for row in csv_table(single) if row["section"] == "day"]
    assert [row["date"] for row in days] == [DAY.isoformat()]


@pytest.mark.django_db
def test_one_end_given_the_other_is_the_default(client_user):
    c = signed_in(client_user)
    ending = csv_table(c.get("/diary/report.csv?end=2025-03-30"))
    days = [row["date"] for row in ending if row["section"] == "day"]
    assert (days[0], days[-1], len(days)) == ("2025-03-01", "2025-03-30", 30)
    today = timezone.localdate()
    starting = csv_table(c.get(f"/diary/report.csv?start={today - timedelta(days=4)}&end="))
    days = [row["date"] for row in starting if row["section"] == "day"]
    assert days == [(today - timedelta(days=n)).isoformat() for n in range(4, -1, -1)]


@pytest.mark.django_db
def test_bad_dates_from_a_dietitian_without_consent_are_still_a_404(client_user):
    from tests.clinic.conftest import make_dietitian

    outsider = make_dietitian()
    response = signed_in(outsider).get(client_csv(client_user.pk, "start=nonsense"))
    assert response.status_code == 404
    assert not AccessLog.objects.exists()


# --- The CSV --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_csv_has_the_figures_of_the_day_api(filled, dietitian):
    response = signed_in(dietitian).get(client_csv(filled.pk))
    assert_download_headers(response, "csv")
    rows = csv_table(response)
    days = {row["date"]: row for row in rows if row["section"] == "day"}
    assert len(days) == 30
    for day in (DAY, START, START + timedelta(days=1)):
        figures = day_api(filled, day)
        row = days[day.isoformat()]
        if row["detail"] == "not logged":
            assert figures["total_mg"] == "0.0"
            continue
        assert row["food_mg"] == figures["food_mg"]
        assert row["supplements_mg"] == figures["supplement_mg"]
        assert row["total_mg"] == figures["total_mg"]
        assert row["target_mg"] == str(figures["rda_mg"])
    assert "supplements above the 350 mg upper limit" in days[DAY.isoformat()]["detail"]
    (total,) = [row for row in rows if row["section"] == "period total"]
    assert (total["food_mg"], total["supplements_mg"], total["total_mg"]) == (
        "1740.0",
        "400.0",
        "2140.0",
    )
    (result,) = [row for row in rows if row["item"] == "HbA1c"]
    assert (result["value"], result["unit"], result["date"]) == ("6.1", "%", DAY.isoformat())
    assert any(row["section"] == "marker" and row["item"] == "HOMA-IR" for row in rows)
    (note,) = [row for row in rows if row["section"] == "note"]
    assert note["detail"] == "Try pumpkin seeds at breakfast."
    (taken,) = [row for row in rows if row["section"] == "supplement"]
    assert taken["item"] == "Slow release magnesium (Magnesium citrate)"
    assert (taken["supplements_mg"], taken["value"], taken["unit"]) == ("400.0", "1", "doses")
    (source,) = [row for row in rows if row["section"] == "top source"]
    assert source["item"].startswith("Spinach") and source["food_mg"] == "1740.0"


@pytest.mark.django_db
def test_the_csv_is_safe_to_open_in_a_spreadsheet(client_user, dietitian, relationship):
    """Text a person or a dietitian typed never starts a cell as a formula."""
    food = FoodFactory(name='=HYPERLINK("http://evil.example","x")', owner=client_user)
    DiaryEntryFactory(user=client_user, date=DAY, food=food, grams=100)
    SupplementIntakeFactory(supplement__user=client_user, supplement__name="+SUM(1,2)", date=DAY)
    clinic_services.note_create(dietitian=dietitian, client=client_user, text="@cmd", day=DAY)
    client_user.name = "-2+3"
    client_user.save(update_fields=["name"])
    for c, url in (
        (signed_in(dietitian), client_csv(client_user.pk)),
        (signed_in(client_user), f"/diary/report.csv?{PERIOD}"),
    ):
        text = c.get(url).content.decode()
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert "'=HYPERLINK" in text and "'+SUM(1,2) (Magnesium citrate)" in text
        assert "'@cmd" in text and "'-2+3" in text


# --- Queries: bounded, not one per day ------------------------------------------------------
def _fill_days(person, days: int, foods: list) -> None:
    """Two foods, a dose and a result a day, rotating over the foods (so many top sources)."""
    for offset in range(days):
        for n in range(2):
            food = foods[(offset + n) % len(foods)]
            DiaryEntryFactory(user=person, date=END - timedelta(days=offset), food=food)
        SupplementIntakeFactory(supplement__user=person, date=END - timedelta(days=offset))
        health_services.lab_result_create(
            user=person,
            analyte="hba1c",
            value=Decimal("5.5"),
            unit="%",
            taken_on=END - timedelta(days=offset),
        )


# The person's own report: the session, the user and their verified address (3); the profile
# (for the person's today), then range_summary's profile, entries, doses and top-source names
# (5); the doses by product, the lab results, the notes (3).
OWN_REPORT_QUERIES = 11
# A dietitian's: the session, the user, the verified address and the two-factor check (4), the
# consent, the report's reads as above (8) and the access-log row.
CLIENT_REPORT_QUERIES = 14


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["pdf", "csv"])
def test_the_report_costs_the_same_queries_for_3_and_90_days(
    kind, client_user, relationship, dietitian, django_assert_num_queries
):
    if kind == "pdf" and not pdf.available():
        pytest.skip(pdf.unavailable_reason())
    foods = FoodFactory.create_batch(12)
    few = UserFactory()
    _fill_days(few, 3, foods)
    _fill_days(client_user, 90, foods)
    query = f"start={(END - timedelta(days=89)).isoformat()}&end={END.isoformat()}"
    for person in (few, client_user):
        c = signed_in(person)
        url = f"/diary/report.{kind}?{query}"
        assert c.get(url).status_code == 200  # the first request records the session
        with django_assert_num_queries(OWN_REPORT_QUERIES):
            assert c.get(url).status_code == 200
    c = signed_in(dietitian)
    url = f"/clinic/clients/{client_user.pk}/report.{kind}?{query}"
    assert c.get(url).status_code == 200
    with django_assert_num_queries(CLIENT_REPORT_QUERIES):
        assert c.get(url).status_code == 200


# --- The forms that ask for it --------------------------------------------------------------
@pytest.mark.django_db
def test_the_client_page_and_the_profile_offer_the_report(filled, dietitian):
    today = timezone.localdate()
    start = (today - timedelta(days=29)).isoformat()
    page = signed_in(dietitian).get(f"/clinic/clients/{filled.pk}/").content.decode()
    assert f'action="/clinic/clients/{filled.pk}/report.pdf"' in page
    assert f'formaction="/clinic/clients/{filled.pk}/report.csv"' in page
    assert f'name="start" value="{start}"' in page and f'value="{today.isoformat()}"' in page
    profile = signed_in(filled).get("/profile/").content.decode()
    assert 'action="/diary/report.pdf"' in profile
    assert 'formaction="/diary/report.csv"' in profile
    assert f'name="start" value="{start}"' in profile


# --- Without WeasyPrint's libraries ---------------------------------------------------------
@pytest.fixture
def without_weasyprint(monkeypatch):
    """As on a server without Pango: importing WeasyPrint fails."""
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` raises
    pdf._engine.cache_clear()
    yield
    monkeypatch.undo()
    pdf._engine.cache_clear()


@pytest.mark.django_db
def test_without_the_libraries_the_pdf_is_a_clear_503_and_the_csv_works(
    without_weasyprint, filled, dietitian
):
    assert not pdf.available()
    for c, url in (
        (signed_in(dietitian), client_pdf(filled.pk)),
        (signed_in(filled), f"/diary/report.pdf?{PERIOD}"),
    ):
        response = c.get(url)
        assert response.status_code == 503
        assert "PDF reports are not available" in response.content.decode()
        assert "make pdf-libs" in response.content.decode()
    assert not AccessLog.objects.exists()  # nothing of the client was read
    assert signed_in(dietitian).get(client_csv(filled.pk)).status_code == 200


# --- Offline --------------------------------------------------------------------------------
@needs_pdf
@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/style.css",
        "https://example.com/static/css/report.css",
        "file:///etc/passwd",
        "https://report.invalid/etc/passwd",
        "https://report.invalid/static/../../mgsite/settings.py",
        "https://report.invalid/static/%2e%2e/%2e%2e/mgsite/settings.py",
        "https://report.invalid/static//etc/passwd",
        "https://report.invalid:8443/static/css/report.css",
        "https://report.invalid/static/css/no-such-file.css",
        "ftp://report.invalid/static/css/report.css",
    ],
)
def test_the_report_loads_nothing_but_the_sites_static_files(url):
    with pytest.raises(ValueError, match="static files only"):
        pdf.fetcher().fetch(url)


@needs_pdf
def test_the_report_loads_its_stylesheet_and_data_uris():
    sheet = pdf.fetcher().fetch(f"{pdf.BASE_URL}static/css/report.css")
    assert b"size: A4" in sheet.read() and sheet.content_type == "text/css"
    inline = pdf.fetcher().fetch("data:text/plain;base64,aGVsbG8=")
    assert inline.read() == b"hello"
