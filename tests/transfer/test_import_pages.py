"""The pages under /diary/import/: upload, preview, change a match (htmx), commit, undo; who may
see them; their query counts; the link from the profile; the imported figure on the day page
and in the person's export."""

import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nutrition.diary.models import DiaryEntry
from nutrition.transfer import services
from nutrition.transfer.models import Import, ImportRow, Status
from tests.accounts.helpers import reauthenticate
from tests.clinic.conftest import as_role
from tests.diary.factories import FoodFactory
from tests.factories import PASSWORD
from tests.transfer.helpers import csv_file, servings

PAGE = "/diary/import/"
TEXT = servings(
    '2026-03-02,,Breakfast,"Oats, Rolled, Dry",80.00 g,303.2,110.37,',
    "2026-03-02,,Snacks,Zzyzx root,10.00 g,5,,",
)


@pytest.fixture
def oats(db):
    return FoodFactory(name="Oats, rolled, dry", magnesium_mg_per_100g=Decimal("138"))


def test_upload_preview_change_commit_and_undo(user_client, user, oats):
    page = user_client.get(PAGE)
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    r = user_client.post(PAGE, {"file": csv_file(TEXT), "format": ""})
    batch = Import.objects.get(owner=user)
    assert r.status_code == 302 and r["Location"] == f"{PAGE}{batch.pk}/"
    preview = user_client.get(r["Location"]).content.decode()
    assert "preview: nothing is in your diary yet" in preview
    assert "110.4" in preview and "from the file" in preview
    assert "Not matched: left out" in preview and "Zzyzx root" in preview
    # Match the unknown root to oats through htmx: the row comes back alone, estimated.
    row = ImportRow.objects.get(batch=batch, name="Zzyzx root")
    answer = user_client.post(
        f"{PAGE}{batch.pk}/rows/{row.pk}/", {"food": oats.pk, "grams": ""}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.startswith(f'<li class="import-row import-row-food" id="row-{row.pk}"')
    assert "13.8 mg" in html and "estimate" in html
    # Commit: the day shows the file's figure and says where it came from.
    r = user_client.post(f"{PAGE}{batch.pk}/commit/")
    assert r.status_code == 302
    batch.refresh_from_db()
    assert batch.status == Status.COMMITTED and batch.entries_added == 2
    day = user_client.get("/diary/2026-03-02/").content.decode()
    assert "110.4 mg · imported from Cronometer" in day
    assert "13.8 mg · estimated (matched by name from Cronometer)" in day
    csv = b"".join(user_client.get("/diary/export.csv").streaming_content).decode()
    assert "110.4" in csv and "2026-03-02,day total,,from food,,,124.2" in csv
    listing = user_client.get(PAGE).content.decode()
    assert "Undo" in listing and 'data-confirm="Undo this import?' in listing
    r = user_client.post(f"{PAGE}{batch.pk}/undo/")
    assert r.status_code == 302 and not DiaryEntry.objects.filter(user=user).exists()


def test_a_dietitian_sees_the_files_figure_on_the_clients_day(
    client_user, dietitian, relationship, oats
):
    batch = services.import_preview(owner=client_user, content=TEXT.encode())
    services.import_commit(owner=client_user, batch_id=batch.pk)
    c = as_role("dietitian_consented", dietitian=dietitian, client_user=client_user, api=True)
    day = c.get(f"/api/v1/clinic/clients/{client_user.pk}/days/2026-03-02/").json()
    assert day["magnesium"]["food_mg"] == 110.4  # the root is not matched: left out
    assert day["entries"][0]["magnesium_origin"] == "imported from Cronometer"


def test_a_bad_file_shows_the_error_naming_the_line_and_saves_nothing(user_client):
    r = user_client.post(PAGE, {"file": csv_file(servings("2026-02-30,,Lunch,Oats,1 g,1,2,"))})
    assert r.status_code == 400 and "line 2" in r.content.decode()
    assert b'aria-invalid="true"' in r.content
    r = user_client.post(PAGE, {})
    assert r.status_code == 400 and b"Choose the file" in r.content
    assert not Import.objects.exists()


def test_a_change_that_is_refused_says_why(user_client, user, oats):
    batch = services.import_preview(owner=user, content=TEXT.encode())
    row = ImportRow.objects.filter(batch=batch).first()
    r = user_client.post(
        f"{PAGE}{batch.pk}/rows/{row.pk}/", {"grams": "-4"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 400 and b"Enter a weight above 0 g" in r.content
    r = user_client.post(f"{PAGE}{batch.pk}/rows/{row.pk}/", {"food": "abc"})
    assert r.status_code == 302  # back to the preview, with the message
    assert "Choose a food" in user_client.get(r["Location"]).content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("client", 200),
        ("stranger", 404),
        ("dietitian_consented", 404),
        ("dietitian_without_consent", 404),
        ("staff", 404),
    ],
)
def test_role_matrix_of_the_pages(role, status, client_user, dietitian, relationship, oats):
    batch = services.import_preview(owner=client_user, content=TEXT.encode())
    row = ImportRow.objects.filter(batch=batch).first()
    c = as_role(role, dietitian=dietitian, client_user=client_user, api=False)
    assert c.get(f"{PAGE}{batch.pk}/").status_code == status
    assert c.get(PAGE).status_code == (302 if role == "anonymous" else 200)
    if role == "client":
        return
    for path in (f"{batch.pk}/rows/{row.pk}/", f"{batch.pk}/commit/", f"{batch.pk}/undo/"):
        assert c.post(f"{PAGE}{path}", {"food": oats.pk}).status_code == status
    batch.refresh_from_db()
    assert batch.status == Status.PREVIEW and not DiaryEntry.objects.exists()
    assert ImportRow.objects.get(pk=row.pk).food_id == row.food_id


@pytest.mark.parametrize("n", [1, 5])
def test_the_pages_cost_the_same_queries_whatever_their_size(user_client, user, oats, n):
    user_client.get(PAGE)  # the session's first request records the session once
    for i in range(n):
        rows = [
            f"2026-03-{d:02d},,Lunch,Oats rolled,{i + 1}0.00 g,37,13.8," for d in range(1, n + 2)
        ]
        services.import_preview(owner=user, content=servings(*rows).encode())
    with CaptureQueriesContext(connection) as listing:
        assert user_client.get(PAGE).status_code == 200
    batch = Import.objects.filter(owner=user).first()
    with CaptureQueriesContext(connection) as preview:
        assert user_client.get(f"{PAGE}{batch.pk}/").status_code == 200
    # The session, the person, the verified e-mail; then the imports.
    assert len(listing) == 4
    # ... the import, its summary, the same file committed before, the rows' count and page,
    # the names of the foods offered.
    assert len(preview) == 9


def test_the_profile_links_to_the_import(user_client):
    profile = user_client.get("/profile/").content.decode()
    assert 'href="/diary/import/"' in profile


def test_the_pages_carry_no_inline_script_or_style(user_client, user, oats):
    batch = services.import_preview(owner=user, content=TEXT.encode())
    for path in (PAGE, f"{PAGE}{batch.pk}/"):
        html = user_client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert " style=" not in html and "<style" not in html and "onclick" not in html


def test_imports_are_in_the_export_and_go_with_the_account(client, user, oats):
    batch = services.import_preview(owner=user, content=TEXT.encode(), file_name="mine.csv")
    services.import_commit(owner=user, batch_id=batch.pk)
    client.force_login(user)
    reauthenticate(client, PASSWORD)
    data = json.loads(client.post("/profile/export/").content)["data"]
    assert [row["file_name"] for row in data["transfer.Import"]] == ["mine.csv"]
    assert len(data["transfer.ImportRow"]) == 2
    assert data["diary.DiaryEntry"][0]["origin_note"] == "imported from Cronometer"
    from accounts.services import account_delete

    account_delete(user=user)
    assert not Import.objects.exists() and not ImportRow.objects.exists()


def test_the_search_box_offers_the_foods_found_for_a_row(user_client, user, oats, other_user):
    muesli = FoodFactory(name="Muesli, plain", magnesium_mg_per_100g=Decimal("100"))
    FoodFactory(name="Muesli of someone else", owner=other_user)
    batch = services.import_preview(owner=user, content=TEXT.encode())
    row = ImportRow.objects.get(batch=batch, name="Zzyzx root")
    url = f"{PAGE}{batch.pk}/rows/{row.pk}/foods/"
    html = user_client.get(url, {"q": "muesli"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'<option value="{muesli.pk}" selected>Muesli, plain</option>' in html
    assert "someone else" not in html
    nothing = user_client.get(url, {"q": ""}).content.decode()
    assert nothing.strip() == '<option value="">None: leave it out</option>'
    c = as_role("stranger", dietitian=None, client_user=user, api=False)
    assert c.get(url, {"q": "muesli"}).status_code == 404


def test_a_body_larger_than_any_file_is_refused_before_it_is_read(user_client):
    r = user_client.generic(
        "POST",
        PAGE,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1),
    )
    assert r.status_code == 413 and b"at most 20 MB" in r.content
    assert not Import.objects.exists()
