"""Bringing a diary over from another tracker: preview, change a match, commit, undo.

- `import_preview` reads a file (the readers of `nutrition.transfer.formats`), matches each
  food name through the site's search (each name once), works out each row's weight and
  magnesium with the diary's arithmetic, and keeps it all as a preview: nothing is added to
  the diary yet. `import_upload` does it at once for a small file, and keeps a big one
  (over `BACKGROUND_MIN_BYTES` or `BACKGROUND_MIN_LINES`) as an import "reading" for the
  background job (`import_read`, from nutrition/transfer/tasks.py), which records its progress
  and ends in the same preview, or "failed" with the error naming the line.
- `import_row_update` changes a row's match (for every row of that name) or its weight.
- `import_commit` adds the preview's entries and lab results in one transaction, through the
  diary's and the health record's services, so each of their rules holds (the day limits,
  the foods a person can see, the lab values a person can have); any refusal names the line
  and saves nothing. The same file (by its SHA-256) adds to a person's diary once.
- `import_undo` removes exactly what the import added, or discards a preview.
"""

import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from mgsite.converters import database_id
from mgsite.limits import RateLimited
from nutrition import amounts
from nutrition.diary import selectors as diary_selectors
from nutrition.diary import services as diary_services
from nutrition.diary.models import MAX_ENTRY_GRAMS, MAX_RECORDED_MAGNESIUM_MG, Meal
from nutrition.foods.models import Food, Portion
from nutrition.foods.search import search_food_ids
from nutrition.health import services as health_services
from nutrition.health.models import LabResult, Source
from nutrition.transfer import formats
from nutrition.transfer.formats._amounts import grams_in
from nutrition.transfer.models import (
    BACKGROUND_MIN_BYTES,
    BACKGROUND_MIN_LINES,
    CANDIDATES_KEPT,
    MAX_FILE_BYTES,
    MAX_FILE_NAME,
    MAX_PREVIEWS_PER_HOUR,
    Import,
    ImportRow,
    Kind,
    Status,
    WeightFrom,
)

logger = logging.getLogger(__name__)
_UNSET: Any = object()
# The job records its progress every this many rows (one short UPDATE each).
PROGRESS_EVERY = 500
TOO_BIG = f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; export a shorter period."
NOT_TEXT = "The file is not UTF-8 text: export it again as CSV from the tracker."
# Groups as trackers write them → the diary's meals; anything else is a snack.
MEALS = {
    "breakfast": Meal.BREAKFAST,
    "morning": Meal.BREAKFAST,
    "lunch": Meal.LUNCH,
    "dinner": Meal.DINNER,
    "supper": Meal.DINNER,
    "tea": Meal.DINNER,
    "snack": Meal.SNACK,
    "snacks": Meal.SNACK,
}
MYFITNESSPAL_NOTHING = (
    "MyFitnessPal's nutrition export has no magnesium and no food names, so nothing can be "
    "imported as magnesium from it."
)
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*(.+)")


def meal_for(group: str) -> str:
    words = group.casefold().split()
    return MEALS.get(words[0], Meal.SNACK) if words else Meal.SNACK


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _unit_word(text: str) -> str:
    """The first word of a unit, singular and bare: "Cups," → "cup", "tbsp." → "tbsp"."""
    word = text.casefold().replace(",", " ").replace(".", " ").split(" ", 1)[0].strip()
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def portion_weight(
    amount_text: str, portions: Iterable[tuple[int, Decimal, Decimal, str]]
) -> tuple[int, Decimal, Decimal] | None:
    """(portion id, quantity, grams) for an amount such as "1.00 cup" or "2 large" from the
    food's portions (id, amount, gram weight, description) whose unit is the amount's, by
    the diary's arithmetic (`amounts.portion_grams`); None when none fits."""
    match = _AMOUNT.fullmatch(" ".join(amount_text.split()))
    if not match:
        return None
    try:
        quantity = Decimal(match[1])
    except InvalidOperation:
        return None
    unit = _unit_word(match[2])
    if quantity <= 0 or not unit:
        return None
    for pk, amount, weight, description in portions:
        if _unit_word(description) == unit and amount > 0:
            return pk, quantity, amounts.portion_grams(quantity, amount, weight)
    return None


def decode(content: bytes) -> str:
    """The file's text (UTF-8, with or without a byte-order mark)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": NOT_TEXT}) from None


def _check_rate(owner: User) -> None:
    since = timezone.now() - timedelta(hours=1)
    recent = Import.objects.for_owner(owner).filter(created_at__gte=since)
    if recent.count() >= MAX_PREVIEWS_PER_HOUR:
        oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
        wait = max(1, int((oldest - since).total_seconds()) + 1) if oldest else 3600
        raise RateLimited(
            {
                NON_FIELD_ERRORS: f"You can read at most {MAX_PREVIEWS_PER_HOUR} files an hour. "
                "Try again later."
            },
            retry_after=wait,
        )


def reads_in_background(content: bytes) -> bool:
    """Whether a file is big enough to be read by the background job: over 512 KB, or over
    2,000 data lines (the lines after the header)."""
    return (
        len(content) > BACKGROUND_MIN_BYTES
        or content.rstrip(b"\r\n").count(b"\n") > BACKGROUND_MIN_LINES
    )


NOT_QUEUED = (
    "The file could not be handed to the reader just now; nothing was kept. Upload it again "
    "in a few minutes."
)


def _queue_read(batch_id: int) -> None:
    from nutrition.transfer.tasks import import_read_job  # the task module imports this one

    try:
        # Publishing gives up at once when the broker is down (no retry): the upload still
        # answers, and the import says it was not read rather than "reading" for ever.
        import_read_job.apply_async((batch_id,), retry=False)
    except Exception:
        logger.exception("diary import not queued", extra={"event": "transfer.import_not_queued"})
        Import.objects.filter(pk=batch_id, status=Status.READING).update(
            status=Status.FAILED, error=NOT_QUEUED, content=None
        )


@transaction.atomic
def import_upload(
    *, owner: User, content: bytes, file_name: str = "", format: str | None = None
) -> Import:
    """A file the person uploads: a small one is read at once (`import_preview`, status
    "preview"); a big one is checked as far as its header (size, text, format, the hourly
    limit), kept as an import "reading" and read by the background job once this transaction
    commits (at once, in-process, without a broker). ValidationError, nothing kept, for a file
    refused before it is kept."""
    if len(content) > MAX_FILE_BYTES or not reads_in_background(content):
        return import_preview(owner=owner, content=content, file_name=file_name, format=format)
    if format not in (None, "") and format not in formats.FORMATS:
        raise ValidationError({"format": f"Choose one of: {', '.join(formats.FORMATS)}."})
    text = decode(content)
    if "\x00" in text:
        raise ValidationError({"file": NOT_TEXT})
    _check_rate(owner)
    try:
        chosen = formats.detect(text, format or None)
    except formats.ImportFileError as error:
        raise ValidationError({"file": str(error)}) from None
    batch = Import.objects.create(
        owner=owner,
        format=chosen,
        file_name=file_name[:MAX_FILE_NAME],
        sha256=hashlib.sha256(content).hexdigest(),
        status=Status.READING,
        content=content,
    )
    transaction.on_commit(partial(_queue_read, batch.pk))
    return batch


def import_read(*, batch_id: int) -> Import | None:
    """The background job's work: read a kept file into its preview, recording progress (rows
    read, then rows matched) as it goes, each step committed so the page sees it. Ends
    "preview", or "failed" with the error naming the line and no row kept; either way the
    kept file is cleared. An import no longer "reading" (done already, or discarded) is left
    alone: None."""
    batch = Import.objects.filter(pk=batch_id, status=Status.READING).first()
    if batch is None or batch.content is None:
        return None
    current = Import.objects.filter(pk=batch.pk, status=Status.READING)
    try:
        parsed = formats.parse(decode(bytes(batch.content)), batch.format)
        batch.rows_read = parsed.rows
        current.update(rows_read=parsed.rows)

        def progress(done: int) -> None:
            current.update(rows_matched=done)

        rows = _rows_of(batch, batch.owner, parsed, progress=progress)
        with transaction.atomic():
            # A second delivery of the job may have finished first, or the person discarded it.
            locked = current.select_for_update().defer("content").first()
            if locked is None:
                return None
            _keep_rows(locked, rows)
            locked.notes = _notes_of(parsed)
            locked.status, locked.content = Status.PREVIEW, None
            locked.rows_read = locked.rows_matched = parsed.rows
            locked.save()
            return locked
    except formats.ImportFileError as error:
        message = str(error)
    except ValidationError as error:  # not UTF-8 after all
        message = " ".join(error.messages)
    except Exception:
        logger.exception("diary import failed", extra={"event": "transfer.import_failed"})
        message = (
            "Reading the file stopped with an unexpected error; nothing was kept. Upload it "
            "again, or export a shorter period."
        )
    current.update(status=Status.FAILED, error=message[:500], content=None)
    return Import.objects.defer("content").filter(pk=batch.pk).first()


# A file still "reading" this long after its upload was never read (a broker that took the
# job but no worker that ran it): the hourly sweep says so and lets the file go.
READING_GIVEN_UP_AFTER = timedelta(hours=1)
NOT_READ = "The file was not read within an hour; nothing was kept. Upload it again."


def imports_sweep(*, now: datetime | None = None) -> int:
    """Mark the imports still "reading" an hour after their upload as failed and clear their
    kept files. Returns how many; a second run finds none."""
    cutoff = (now or timezone.now()) - READING_GIVEN_UP_AFTER
    return Import.objects.filter(status=Status.READING, created_at__lt=cutoff).update(
        status=Status.FAILED, error=NOT_READ, content=None
    )


@transaction.atomic
def import_preview(
    *, owner: User, content: bytes, file_name: str = "", format: str | None = None
) -> Import:
    """Read a file and keep its preview (nothing is added to the diary). A file the readers
    cannot take is a ValidationError naming the line; nothing is kept then."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError({"file": TOO_BIG})
    if format not in (None, "") and format not in formats.FORMATS:
        raise ValidationError({"format": f"Choose one of: {', '.join(formats.FORMATS)}."})
    text = decode(content)
    if "\x00" in text:
        raise ValidationError({"file": NOT_TEXT})
    _check_rate(owner)
    try:
        parsed = formats.parse(text, format or None)
    except formats.ImportFileError as error:
        raise ValidationError({"file": str(error)}) from None
    return preview_parsed(
        owner=owner,
        parsed=parsed,
        sha256=hashlib.sha256(content).hexdigest(),
        file_name=file_name,
    )


class _Matcher:
    """The search's best foods for a name, each distinct name searched once."""

    def __init__(self, owner: User) -> None:
        self.owner = owner
        self.found: dict[str, list[int]] = {}

    def __call__(self, name: str) -> list[int]:
        key = _name_key(name)
        if key not in self.found:
            self.found[key] = search_food_ids(name, user=self.owner, limit=CANDIDATES_KEPT)
        return self.found[key]


Portions = dict[int, list[tuple[int, Decimal, Decimal, str]]]


def _weights_of(food_ids: Iterable[int]) -> tuple[Portions, dict[int, Decimal | None]]:
    """Each food's portions in the order the food page offers them, and its energy per
    100 g, in two queries."""
    ids = set(food_ids)
    found: Portions = {}
    for pk, food_id, amount, weight, description in (
        Portion.objects.filter(food_id__in=ids)
        .order_by("food_id", "seq", "id")
        .values_list("pk", "food_id", "amount", "gram_weight", "description")
    ):
        found.setdefault(food_id, []).append((pk, amount, weight, description))
    energy = dict(Food.objects.filter(pk__in=ids).values_list("pk", "energy_kcal_per_100g"))
    return found, energy


def _weigh(rows: list[ImportRow]) -> None:
    """Set the weight of each row whose weight the file did not give (nor the person)."""
    pending = [r for r in rows if r.weight_from not in (WeightFrom.FILE, WeightFrom.PERSON)]
    portions, energy = _weights_of(r.food_id for r in pending if r.food_id)
    for row in pending:
        _set_weight(row, portions.get(row.food_id, []), energy.get(row.food_id))


def _set_weight(
    row: ImportRow,
    portions: list[tuple[int, Decimal, Decimal, str]],
    kcal_per_100g: Decimal | None = None,
) -> None:
    """A row's weight where the file gave none: from the matched food's portion that the
    amount names ("1.00 cup"), else from the file's energy and the food's ("1.00 full
    recipe" of 380 kcal, of a food of 95 kcal per 100 g, is 400 g)."""
    row.portion_id, row.quantity, row.grams, row.weight_from = None, None, None, ""
    row.reason = ""
    fit = portion_weight(row.amount_text, portions) if row.food_id else None
    if fit is None:
        if not row.food_id:
            return
        energy = row.file_energy_kcal
        if energy is not None and energy > 0 and kcal_per_100g:
            grams = amounts.stored(amounts.grams_for(energy, kcal_per_100g), "0.01")
            if 0 < grams <= MAX_ENTRY_GRAMS:
                row.grams, row.weight_from = grams, WeightFrom.ENERGY
                return
        row.reason = f'No weight: "{row.amount_text}" is none of this food\'s portions.'
        return
    pk, quantity, grams = fit
    stored = amounts.stored(grams, "0.01")
    if not 0 < stored <= MAX_ENTRY_GRAMS or quantity > 1000:
        row.reason = f'"{row.amount_text}" of this food is not between 0.01 g and 5 kg.'
        return
    row.portion_id, row.quantity = pk, amounts.stored(quantity, "0.001")
    row.grams, row.weight_from = stored, WeightFrom.PORTION


def _food_row(batch: Import, line: formats.FoodLine, matcher: _Matcher) -> ImportRow:
    row = ImportRow(
        batch=batch,
        line=line.line,
        day=line.day,
        kind=Kind.FOOD,
        group=line.group[:100],
        meal=meal_for(line.group),
        name=line.name[:300],
        amount_text=line.amount_text[:100],
        file_magnesium_mg=line.magnesium_mg,
        file_energy_kcal=amounts.stored(line.energy_kcal, "0.0001")
        if line.energy_kcal is not None and 0 <= line.energy_kcal < 10**9
        else None,
    )
    if not diary_services.day_allowed(line.day):
        row.kind, row.reason = Kind.SKIPPED, "The day is outside 1900 to one year from today."
        return row
    if line.magnesium_mg is not None and line.magnesium_mg > MAX_RECORDED_MAGNESIUM_MG:
        row.kind, row.reason = Kind.SKIPPED, "More than 10,000 mg of magnesium in one food."
        row.file_magnesium_mg = None
        return row
    if line.grams is not None:
        stored = amounts.stored(line.grams, "0.01")
        if not 0 < stored <= MAX_ENTRY_GRAMS:
            row.kind, row.reason = Kind.SKIPPED, "The weight is not between 0.01 g and 5 kg."
            return row
        row.grams, row.weight_from = stored, WeightFrom.FILE
    if line.magnesium_mg is not None:
        # The file's own figure, to the places an entry keeps (a file writes two at most).
        row.file_magnesium_mg = amounts.stored(line.magnesium_mg, "0.0001")
    candidates = matcher(line.name)
    row.candidates = candidates
    row.food_id = candidates[0] if candidates else None
    return row


def _lab_row(batch: Import, owner: User, line: formats.BiometricLine) -> ImportRow:
    row = ImportRow(
        batch=batch,
        line=line.line,
        day=line.day,
        kind=Kind.LAB,
        metric=line.metric[:100],
        value=line.value if abs(line.value) < Decimal("1e10") else None,
        unit=(line.unit_code or line.unit)[:30],
        analyte=line.analyte or "",
    )
    if line.analyte is None:
        row.kind, row.reason = Kind.SKIPPED, "Not a lab result the health record keeps."
        return row
    try:
        health_services.lab_result_check(
            user=owner, analyte=line.analyte, value=line.value, unit=row.unit, taken_on=line.day
        )
    except ValidationError as error:
        row.kind = Kind.SKIPPED
        row.reason = " ".join(m for msgs in error.message_dict.values() for m in msgs)[:200]
    return row


def _notes_of(parsed: formats.ParsedFile) -> list[str]:
    notes = list(parsed.notes)
    if parsed.format == formats.MYFITNESSPAL and not any("no magnesium" in n for n in notes):
        notes.insert(0, MYFITNESSPAL_NOTHING)
    return notes


def _rows_of(
    batch: Import,
    owner: User,
    parsed: formats.ParsedFile,
    progress: Callable[[int], None] | None = None,
) -> list[ImportRow]:
    """The preview's rows of a file read (not saved): each food matched by name, weighed,
    each reading checked. `progress` is told the rows done every PROGRESS_EVERY rows."""
    matcher = _Matcher(owner)
    rows: list[ImportRow] = []
    for line in parsed.foods:
        rows.append(_food_row(batch, line, matcher))
        if progress is not None and len(rows) % PROGRESS_EVERY == 0:
            progress(len(rows))
    _weigh([r for r in rows if r.kind == Kind.FOOD])
    rows += [_lab_row(batch, owner, line) for line in parsed.biometrics]
    rows += [
        ImportRow(batch=batch, line=line, kind=Kind.SKIPPED, reason=reason[:200])
        for line, reason in parsed.skipped
    ]
    return rows


def _keep_rows(batch: Import, rows: list[ImportRow]) -> None:
    for row in rows:
        row.batch = batch
    ImportRow.objects.bulk_create(rows, batch_size=2000)
    batch.food_rows = sum(1 for r in rows if r.kind == Kind.FOOD)
    batch.lab_rows = sum(1 for r in rows if r.kind == Kind.LAB)
    batch.skipped_rows = sum(1 for r in rows if r.kind == Kind.SKIPPED)


@transaction.atomic
def preview_parsed(
    *, owner: User, parsed: formats.ParsedFile, sha256: str, file_name: str = ""
) -> Import:
    """Keep the preview of a file already read: each food matched by name (the search's best
    food, each name searched once), its weight (the file's, or a portion of the matched food
    that the amount names) and so its magnesium; each reading checked as the health record
    would check it."""
    batch = Import.objects.create(
        owner=owner,
        format=parsed.format,
        file_name=file_name[:MAX_FILE_NAME],
        sha256=sha256,
        rows_read=parsed.rows,
        rows_matched=parsed.rows,
        notes=_notes_of(parsed),
    )
    _keep_rows(batch, _rows_of(batch, owner, parsed))
    batch.save(update_fields=["food_rows", "lab_rows", "skipped_rows"])
    return batch


def _preview_of(owner: User, batch_id: Any) -> Import:
    pk = database_id(batch_id)
    if pk is None:
        raise Import.DoesNotExist
    return Import.objects.for_owner(owner).select_for_update().defer("content").get(pk=pk)


def _check_preview(batch: Import) -> None:
    if batch.status == Status.READING:
        raise ValidationError({NON_FIELD_ERRORS: "The file is still being read; wait a moment."})
    if batch.status == Status.FAILED:
        raise ValidationError(
            {NON_FIELD_ERRORS: "The file could not be read; correct it and upload it again."}
        )
    if batch.status == Status.COMMITTED:
        raise ValidationError({NON_FIELD_ERRORS: "This import is in your diary already."})
    if batch.status == Status.UNDONE:
        raise ValidationError(
            {NON_FIELD_ERRORS: "This import was undone; upload the file again to import it."}
        )


@transaction.atomic
def import_row_update(
    *,
    owner: User,
    batch_id: int,
    row_id: int,
    food_id: int | str | None = _UNSET,
    grams: Decimal | str | None = _UNSET,
) -> ImportRow:
    """Change a food row of a preview: `food_id` matches every row of the same name to that
    food (None: to none, so they are left out); `grams` gives this row's weight (None: back
    to what the file or the food's portions say)."""
    batch = _preview_of(owner, batch_id)
    row = ImportRow.objects.filter(batch=batch, pk=database_id(row_id) or 0).first()
    if row is None:
        raise ImportRow.DoesNotExist
    _check_preview(batch)
    if row.kind != Kind.FOOD:
        raise ValidationError({NON_FIELD_ERRORS: "Only a food's row has a match and a weight."})
    errors: dict[str, str] = {}
    new_food = row.food_id
    if food_id is not _UNSET and food_id not in (None, ""):
        pk = database_id(food_id)
        new_food = (
            diary_selectors.visible_foods(owner).filter(pk=pk).values_list("pk", flat=True).first()
            if pk is not None
            else None
        )
        if new_food is None:
            errors["food"] = "Choose a food from the search results."
    elif food_id is not _UNSET:
        new_food = None
    weight: Decimal | None = None
    if grams is not _UNSET and grams not in (None, ""):
        try:
            weight = amounts.stored(Decimal(str(grams)), "0.01")
        except (InvalidOperation, ValueError):
            weight = None
        if weight is None or not weight.is_finite() or not 0 < weight <= MAX_ENTRY_GRAMS:
            errors["grams"] = "Enter a weight above 0 g and at most 5,000 g."
    if errors:
        raise ValidationError(errors)
    if food_id is not _UNSET:
        same = [
            r
            for r in ImportRow.objects.filter(batch=batch, kind=Kind.FOOD, name=row.name)
            if r.pk != row.pk
        ] + [row]
        for other in same:
            other.food_id = new_food
        _weigh(same)
        ImportRow.objects.bulk_update(
            same, ["food", "portion", "quantity", "grams", "weight_from", "reason"]
        )
    if grams is not _UNSET:
        if weight is not None:
            row.grams, row.portion_id, row.quantity = weight, None, None
            row.weight_from, row.reason = WeightFrom.PERSON, ""
        else:
            row.weight_from = ""
            if row.amount_text:
                file_grams = grams_in(row.amount_text)
                if file_grams is not None and 0 < file_grams <= MAX_ENTRY_GRAMS:
                    row.grams, row.weight_from = amounts.stored(file_grams, "0.01"), "file"
            if row.weight_from != WeightFrom.FILE:
                _weigh([row])
        row.save(update_fields=["grams", "portion", "quantity", "weight_from", "reason"])
    return row


@transaction.atomic
def import_commit(*, owner: User, batch_id: int) -> Import:
    """Add the preview to the diary and the health record, all or nothing. Rows without a
    food or a weight are left out (the preview lists them)."""
    batch = _preview_of(owner, batch_id)
    _check_preview(batch)
    earlier = (
        Import.objects.for_owner(owner)
        .filter(sha256=batch.sha256, status=Status.COMMITTED)
        .exclude(pk=batch.pk)
        .first()
    )
    if earlier is not None:
        raise ValidationError({NON_FIELD_ERRORS: already_imported_message(earlier)})
    foods = list(
        ImportRow.objects.filter(
            batch=batch, kind=Kind.FOOD, food__isnull=False, grams__isnull=False
        ).order_by("line", "id")
    )
    made = diary_services.diary_entries_import(
        user=owner,
        origin=batch.source_label,
        entries=[
            diary_services.NewEntry(
                line=row.line,
                day=row.day,
                meal=row.meal,
                food_id=row.food_id,
                grams=row.grams,
                portion_id=row.portion_id,
                quantity=row.quantity,
                recorded_magnesium_mg=row.file_magnesium_mg,
                estimated=row.file_magnesium_mg is None,
            )
            for row in foods
        ],
    )
    for row, entry in zip(foods, made, strict=True):
        row.entry_id = entry.pk
    ImportRow.objects.bulk_update(foods, ["entry"], batch_size=2000)
    labs = list(ImportRow.objects.filter(batch=batch, kind=Kind.LAB).order_by("line", "id"))
    for row in labs:
        try:
            row.lab_result = health_services.lab_result_create(
                user=owner,
                analyte=row.analyte,
                value=row.value,
                unit=row.unit,
                taken_on=row.day,
                note=f"Imported from {batch.source_label} ({row.metric})"[:200],
                source=Source.IMPORT,
            )
        except ValidationError as error:
            messages = " ".join(m for msgs in error.message_dict.values() for m in msgs)
            raise ValidationError({f"line {row.line}": messages}) from None
    ImportRow.objects.bulk_update(labs, ["lab_result"])
    batch.status, batch.committed_at = Status.COMMITTED, timezone.now()
    batch.entries_added, batch.results_added = len(made), len(labs)
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:  # the same file committed at the same moment by another request
        raise ValidationError(
            {NON_FIELD_ERRORS: "This file was imported just now; it adds nothing again."}
        ) from None
    return batch


def already_imported_message(earlier: Import) -> str:
    when = timezone.localdate(earlier.committed_at) if earlier.committed_at else None
    return (
        f"This file is in your diary already (import {earlier.pk}"
        + (f", {when.isoformat()}" if when else "")
        + "): importing it again adds nothing. Undo that import first to import it again."
    )


@transaction.atomic
def import_undo(*, owner: User, batch_id: int) -> Import | None:
    """Remove everything the import added (the entries and lab results still there) and mark
    it undone; a preview (or a file being read, or not read) is simply discarded (None).
    Undoing again changes nothing."""
    batch = _preview_of(owner, batch_id)
    if batch.status in (Status.PREVIEW, Status.READING, Status.FAILED):
        batch.delete()
        return None
    if batch.status == Status.UNDONE:
        return batch
    rows = ImportRow.objects.filter(batch=batch)
    entry_ids = list(rows.filter(entry__isnull=False).values_list("entry_id", flat=True))
    diary_services.diary_entries_remove(user=owner, entry_ids=entry_ids)
    result_ids = list(rows.filter(lab_result__isnull=False).values_list("lab_result_id", flat=True))
    for result in LabResult.objects.for_user(owner).filter(pk__in=result_ids):
        health_services.lab_result_delete(user=owner, result=result)
    batch.status, batch.undone_at = Status.UNDONE, timezone.now()
    batch.save(update_fields=["status", "undone_at"])
    return batch
