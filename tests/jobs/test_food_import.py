"""A FoodData Central import started from the admin by uploading the download's zip."""

import io
import stat
import zipfile
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from nutrition.foods.models import Food, FoodImportRun
from nutrition.foods.tasks import food_import
from tests.accounts.helpers import sign_in
from tests.clinic.conftest import make_dietitian
from tests.conftest import HttpsClient
from tests.factories import UserFactory
from tests.foods.factories import NutrientFactory
from tests.foods.test_import_fdc import FILES

pytestmark = pytest.mark.django_db

ADD = "/admin/foods/foodimportrun/add/"


def csv_text(rows) -> str:
    return "".join(
        ",".join(f'"{cell}"' if "," in cell else cell for cell in row) + "\r\n" for row in rows
    )


def make_zip(files: dict[str, str | bytes], *, folder="FoodData_Central_csv_2024-10-31/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{folder}{name}", content)
    return buffer.getvalue()


def download(**changes) -> dict[str, str]:
    files = {name: csv_text(rows) for name, rows in FILES.items()}
    files["acquisition_samples.csv"] = "fdc_id_of_sample_food,fdc_id_of_acquisition_food\r\n"
    files["Download & API Field Descriptions.pdf"] = "%PDF-1.4"
    files.update(changes)
    return {k: v for k, v in files.items() if v is not None}


@pytest.fixture
def staff(db, settings, tmp_path):
    settings.FOOD_IMPORT_DIR = tmp_path / "uploads"
    for number in ("304", "208", "205", "291"):
        NutrientFactory(usda_number=number)
    person = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(person, generate_totp_secret())
    return sign_in(HttpsClient(), person), person


def upload(browser, content: bytes, name="FoodData_Central_csv_2024-10-31.zip", captured=None):
    data = {"archive": SimpleUploadedFile(name, content, content_type="application/zip")}
    if captured is None:
        return browser.post(ADD, data)
    with captured(execute=True):
        return browser.post(ADD, data)


def test_an_upload_loads_the_foods_and_records_the_result(
    staff, settings, django_capture_on_commit_callbacks
):
    browser, person = staff
    answer = upload(browser, make_zip(download()), captured=django_capture_on_commit_callbacks)
    run = FoodImportRun.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/admin/foods/foodimportrun/{run.pk}/change/"
    assert run.status == FoodImportRun.Status.SUCCEEDED, run.error
    assert run.started_by == person and run.started_at and run.finished_at
    assert run.summary.startswith("usda-fdc: ") and "foods: 3 created" in run.summary
    assert (run.progress_label, run.progress_percent) == ("done", 100)
    assert set(Food.objects.values_list("source_id", flat=True)) == {"168462", "2346388", "2012128"}
    page = browser.get(answer["Location"])
    assert page.status_code == 200
    assert b"Succeeded" in page.content and b"foods: 3 created" in page.content
    assert b'http-equiv="refresh"' not in page.content  # finished: no more refreshing
    # The upload, the unpacked files and the progress file are gone.
    assert list(Path(settings.FOOD_IMPORT_DIR).iterdir()) == []
    assert run.archive_path == ""
    # The job given again (a broker redelivering it) finds the run finished and does nothing.
    assert food_import.delay(run.pk).get() == "skipped"
    run.refresh_from_db()
    assert run.status == FoodImportRun.Status.SUCCEEDED and Food.objects.count() == 3


def test_the_upload_may_be_larger_than_any_other_request_body(staff, settings):
    # The site refuses bodies above MAX_REQUEST_BODY_BYTES before reading them (an import's
    # 20 MB); the admin's upload address has its own, larger limit.
    browser, _ = staff
    content = make_zip(download())
    settings.MAX_REQUEST_BODY_BYTES = len(content) // 2
    assert upload(browser, content).status_code == 302
    assert FoodImportRun.objects.count() == 1
    refused = browser.post("/admin/foods/food/add/", {"name": "x" * len(content)})
    assert refused.status_code == 413


def test_a_waiting_run_refreshes_itself_without_script(staff):
    browser, _ = staff
    upload(browser, make_zip(download()))  # not committed: the job has not run
    run = FoodImportRun.objects.get()
    assert run.status == FoodImportRun.Status.QUEUED
    page = browser.get(f"/admin/foods/foodimportrun/{run.pk}/change/")
    assert b'<meta http-equiv="refresh" content="3">' in page.content
    assert b"waiting for a worker" in page.content
    listing = browser.get("/admin/foods/foodimportrun/")
    assert listing.status_code == 200 and b"FoodData_Central_csv_2024-10-31.zip" in listing.content


def test_a_malformed_file_names_file_and_line_and_changes_nothing(
    staff, django_capture_on_commit_callbacks
):
    browser, _ = staff
    rows = [*FILES["food_nutrient.csv"], ["12", "168462", "1090", "a lot", ""]]
    bad = make_zip(download(**{"food_nutrient.csv": csv_text(rows)}))
    upload(browser, bad, captured=django_capture_on_commit_callbacks)
    run = FoodImportRun.objects.get()
    assert run.status == FoodImportRun.Status.FAILED
    assert run.error.startswith("food_nutrient.csv, line 13: ")
    assert "nothing was changed" in run.error
    assert not Food.objects.exists()


def _zip_with(name: str, *, link=False) -> bytes:
    files = download()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file_name, content in files.items():
            archive.writestr(file_name, content)
        info = zipfile.ZipInfo(name)
        if link:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "x")
    return buffer.getvalue()


def _bomb() -> bytes:
    files = download()
    files["food.csv"] = files["food.csv"] + "\r\n" * 3_000_000  # 6 MB of blank lines
    return make_zip(files)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 not really a zip", "This is not a zip archive."),
        (b"fdc_id,description\r\n1,Spinach\r\n", "This is not a zip archive."),
        (_zip_with("../../etc/cron.d/evil"), "a path outside its folder"),
        (_zip_with("/etc/passwd"), "a path outside its folder"),
        (_zip_with("..\\evil.csv"), "a path outside its folder"),
        (_zip_with("food.csv.lnk", link=True), "holds a link"),
        (make_zip(download(**{"food_portion.csv": None})), "missing food_portion.csv"),
        (make_zip(download(), folder="a/b/"), "at the top of the archive or in one folder"),
        (_bomb(), "would unpack to more than 5,000,000 bytes"),
    ],
)
def test_unsafe_uploads_are_a_form_error_and_keep_nothing(
    staff, settings, django_capture_on_commit_callbacks, content, message
):
    settings.FOOD_IMPORT_MAX_UNPACKED_BYTES = 5_000_000
    browser, _ = staff
    answer = upload(browser, content, captured=django_capture_on_commit_callbacks)
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not FoodImportRun.objects.exists() and not Food.objects.exists()
    folder = Path(settings.FOOD_IMPORT_DIR)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_an_upload_above_the_size_cap_is_refused(staff, settings):
    settings.FOOD_IMPORT_MAX_UPLOAD_BYTES = 1000
    browser, _ = staff
    answer = upload(browser, make_zip(download()))
    assert answer.status_code == 200 and "larger than 1,000 bytes" in answer.content.decode()
    assert not FoodImportRun.objects.exists()


def test_a_member_that_unpacks_beyond_its_declared_size_stops_the_job(
    staff, settings, django_capture_on_commit_callbacks
):
    """The job checks again while unpacking: a lying size header cannot fill the disk."""
    from nutrition.foods import imports

    browser, _ = staff
    upload(browser, make_zip(download()))  # queued, not run
    run = FoodImportRun.objects.get()
    archive = Path(run.archive_path)
    name = b"FoodData_Central_csv_2024-10-31/food.csv"
    data = bytearray(archive.read_bytes())
    # Halve food.csv's uncompressed size in its central directory entry (what zipfile reads).
    entry = next(
        at
        for at in range(len(data))
        if data[at : at + 4] == b"PK\x01\x02" and data[at + 46 : at + 46 + len(name)] == name
    )
    declared = int.from_bytes(data[entry + 24 : entry + 28], "little")
    data[entry + 24 : entry + 28] = (declared // 2).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    imports.food_import_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == FoodImportRun.Status.FAILED
    # zipfile stops at the declared size and finds the checksum wrong; the unpacker's own
    # count would stop it otherwise. Either way nothing beyond the declared size is written.
    assert run.error in {
        "food.csv is damaged in the archive.",
        "food.csv unpacks to more than it declares.",
    }
    assert not Food.objects.exists() and not archive.exists()


def _role(role):
    browser = HttpsClient()
    people = {
        "anonymous": None,
        "person": UserFactory(),
        "dietitian": make_dietitian(),
        "staff without the permission": UserFactory(is_staff=True),
        "staff with it": UserFactory(is_staff=True),
    }
    who = people[role]
    if role.startswith("staff"):
        TOTP.activate(who, generate_totp_secret())
    if role == "staff with it":
        who.user_permissions.add(
            *Permission.objects.filter(codename__in=["add_foodimportrun", "view_foodimportrun"])
        )
    if who is not None:
        sign_in(browser, who)
    return browser


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("person", 302),
        ("dietitian", 302),
        ("staff without the permission", 403),
        ("staff with it", 200),
    ],
)
def test_only_staff_with_the_permission_start_an_import(
    db, settings, tmp_path, role, expected, django_capture_on_commit_callbacks
):
    settings.FOOD_IMPORT_DIR = tmp_path
    for number in ("304", "208", "205", "291"):
        NutrientFactory(usda_number=number)
    browser = _role(role)
    page = browser.get(ADD)
    assert page.status_code == expected
    if expected == 302:
        assert "login" in page["Location"]
    answer = upload(browser, make_zip(download()), captured=django_capture_on_commit_callbacks)
    assert FoodImportRun.objects.exists() is (expected == 200), answer.status_code
    assert Food.objects.exists() is (expected == 200)


def test_the_list_of_runs_costs_the_same_queries_for_many(staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    browser, person = staff
    browser.get("/admin/foods/foodimportrun/")  # the session's first admin page settles in

    def queries(runs: int) -> int:
        for n in range(runs):
            FoodImportRun.objects.create(file_name=f"fdc-{n}.zip", file_size=n, started_by=person)
        with CaptureQueriesContext(connection) as captured:
            listing = browser.get("/admin/foods/foodimportrun/")
        assert listing.status_code == 200
        return len(captured)

    few = queries(2)
    assert queries(40) == few <= 12
