"""The admin's FoodData Central import: an upload becomes a `FoodImportRun`, a background job
loads it with the importer (`fdc.load`, the same entry point as `manage.py load_usda`) and
records its progress and result.

Progress goes to a small JSON file beside the upload, not to the database: the importer holds
one transaction for the whole load (all or nothing), so a row written inside it would stay
invisible until the end, and on SQLite a second connection could not write at all meanwhile.
The admin reads the file while the run is going; the row gets the final state."""

import json
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from nutrition.foods import uploads
from nutrition.foods.importers import fdc
from nutrition.foods.importers.common import Bar, MalformedFile, Progress
from nutrition.foods.models import FoodImportRun

logger = logging.getLogger("mgsite.foods")

# The progress file is rewritten at most this often (a load reports every few kilobytes).
PROGRESS_EVERY_SECONDS = 1.0


def _progress_file(run: FoodImportRun) -> Path | None:
    return Path(f"{run.archive_path}.progress.json") if run.archive_path else None


def progress_of(run: FoodImportRun) -> tuple[str, int]:
    """(step, percent) of a run: from its progress file while it runs, else as recorded."""
    path = _progress_file(run)
    if run.status == FoodImportRun.Status.RUNNING and path is not None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return str(data["label"])[:200], max(0, min(100, int(data["percent"])))
        except (OSError, ValueError, KeyError, TypeError):
            pass
    return run.progress_label, run.progress_percent


class _Recorder:
    """The importer's `Progress`: each step's label and how far through its file it is."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.label = ""
        self.percent = 0
        self._written_at = 0.0

    def write(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written_at < PROGRESS_EVERY_SECONDS:
            return
        self._written_at = now
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"label": self.label, "percent": self.percent}), "utf-8")
        os.replace(temporary, self.path)  # a reader sees the old file or the new, never half

    @contextmanager
    def __call__(self, label: str, total: int | None) -> Iterator[Bar]:
        recorder = self

        class _Bar:
            done = 0

            def update(self, n: int) -> None:
                self.done += n
                if total:
                    recorder.percent = min(100, int(100 * self.done / total))
                recorder.write()

        self.label, self.percent = label, 0
        self.write(force=True)
        yield _Bar()
        self.percent = 100
        self.write(force=True)


def food_import_check(*, upload: UploadedFile) -> None:
    """ValidationError (for the admin's form) when the upload is not a safe FDC zip."""
    # A large upload is a temporary file already; a small one is in memory.
    source = getattr(upload, "temporary_file_path", None)
    try:
        uploads.members(source() if source else upload.file, size=upload.size)
    except uploads.UnsafeArchive as exc:
        raise ValidationError(str(exc)) from exc
    finally:
        upload.seek(0)


@transaction.atomic
def food_import_start(*, user, upload: UploadedFile) -> FoodImportRun:
    """Keep the upload where the job finds it, record the run and queue the job (once this
    transaction commits; without a broker it runs at once). ValidationError, and nothing kept,
    when the upload is not a safe FDC zip."""
    from nutrition.foods.tasks import food_import  # the task module imports this one

    food_import_check(upload=upload)
    folder = Path(settings.FOOD_IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / f"{uuid.uuid4().hex}.zip"
    with archive.open("xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        run = FoodImportRun.objects.create(
            file_name=Path(upload.name or "upload.zip").name[:255],
            file_size=upload.size,
            archive_path=str(archive),
            started_by=user,
        )
    except Exception:
        uploads.remove(archive)
        raise
    transaction.on_commit(lambda: food_import.delay(run.pk))
    return run


def _claim(run_id: int) -> FoodImportRun | None:
    """Mark the run as running (committed, so the admin sees it), unless it is finished: a
    job given again after its worker died starts over, which the all-or-nothing load allows."""
    with transaction.atomic():
        run = FoodImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.finished:
            return None
        run.status = FoodImportRun.Status.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
        return run


def _finish(run: FoodImportRun, **fields) -> None:
    fields["finished_at"] = timezone.now()
    fields["archive_path"] = ""
    FoodImportRun.objects.filter(pk=run.pk).update(**fields)


def food_import_run(*, run_id: int) -> FoodImportRun | None:
    """The job: unpack the upload into a temporary folder, load it, record the result, and
    remove the folder, the upload and the progress file whatever happens. A malformed file is
    recorded with its name and line (and the import changed nothing)."""
    run = _claim(run_id)
    if run is None:
        return None
    archive = Path(run.archive_path)
    recorder = _Recorder(_progress_file(run))
    folder = Path(tempfile.mkdtemp(prefix="mgsite-fdc-"))
    try:
        recorder.label = "unpacking"
        recorder.write(force=True)
        uploads.unpack(archive, folder)
        progress: Progress = recorder
        result = fdc.load(folder, progress=progress)
    except uploads.UnsafeArchive as exc:
        _finish(run, status=FoodImportRun.Status.FAILED, error=str(exc))
    except MalformedFile as exc:
        where = (exc.path.name if exc.path != folder else "the download") + (
            f", line {exc.line}" if exc.line else ""
        )
        _finish(
            run,
            status=FoodImportRun.Status.FAILED,
            error=f"{where}: {exc.message} (nothing was changed)",
            progress_label=recorder.label,
            progress_percent=recorder.percent,
        )
    except Exception as exc:
        logger.exception("food import failed", extra={"event": "foods.import_failed"})
        _finish(
            run,
            status=FoodImportRun.Status.FAILED,
            error=f"The import stopped with an unexpected {type(exc).__name__} (nothing was "
            "changed); the server log has the details.",
        )
    else:
        _finish(
            run,
            status=FoodImportRun.Status.SUCCEEDED,
            summary=result.summary(),
            progress_label="done",
            progress_percent=100,
        )
    finally:
        uploads.remove(folder)
        uploads.remove(archive)
        uploads.remove(recorder.path)
        uploads.remove(recorder.path.with_suffix(".tmp"))
    run.refresh_from_db()
    return run
