"""A diary brought over from another tracker: the import (one file, one person) and its rows.

An import is first a preview: every row of the file as read, with the food each name matched
(which the person may change) and the magnesium it will carry. Committing it adds the diary
entries and lab results through the diary's and the health record's services and remembers
each one on its row, so undoing it removes exactly those. Every query starts from the owner.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models

from nutrition import amounts
from nutrition.diary.models import DiaryEntry, Meal
from nutrition.foods.models import Food, Portion
from nutrition.health.models import LabResult
from nutrition.transfer.formats.base import FORMATS, LABELS

MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MB
MAX_FILE_NAME = 200
# Previews a person may start in an hour: each reads a whole file and searches its names.
MAX_PREVIEWS_PER_HOUR = 30
# A file above either limit is read by a background job (nutrition/transfer/tasks.py) while its
# page shows the progress: about 2,000 rows take a few seconds to match, longer than a request
# should wait. Smaller files are read within the request, as before.
BACKGROUND_MIN_BYTES = 512 * 1024  # 512 KB
BACKGROUND_MIN_LINES = 2000  # data lines (the file's line ends, less the header's)
CANDIDATES_KEPT = 5
FORMAT_CHOICES = [
    (f, LABELS[f]) for f in FORMATS
]  # the search's best foods kept per name, offered to change a match


class Status(models.TextChoices):
    READING = "reading", "Reading the file"
    FAILED = "failed", "Could not be read"
    PREVIEW = "preview", "Preview"
    COMMITTED = "committed", "Imported"
    UNDONE = "undone", "Undone"


class Kind(models.TextChoices):
    FOOD = "food", "Food"
    LAB = "lab", "Lab result"
    SKIPPED = "skipped", "Skipped"


class WeightFrom(models.TextChoices):
    FILE = "file", "The file"
    PORTION = "portion", "A portion of the matched food"
    ENERGY = "energy", "The file's energy over the matched food's"
    PERSON = "person", "Entered at the preview"


class ImportQuerySet(models.QuerySet):
    def for_owner(self, owner) -> "ImportQuerySet":
        return self.filter(owner=owner)


class Import(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary_imports"
    )
    format = models.CharField(max_length=24, choices=FORMAT_CHOICES)
    file_name = models.CharField(max_length=MAX_FILE_NAME, blank=True)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    # Counted at the preview: the file's data lines, and the rows by what they become.
    rows_read = models.PositiveIntegerField(default=0)
    food_rows = models.PositiveIntegerField(default=0)
    lab_rows = models.PositiveIntegerField(default=0)
    skipped_rows = models.PositiveIntegerField(default=0)
    # What the reader said to the person (no magnesium column, readings taken as fasting…).
    notes = models.JSONField(default=list, blank=True)
    # Counted at the commit: what was added.
    entries_added = models.PositiveIntegerField(default=0)
    results_added = models.PositiveIntegerField(default=0)
    # --- A big file, read by a background job ---
    # The file as uploaded, kept only until the job has read it (cleared on success and on
    # failure); never listed (the selectors defer it).
    content = models.BinaryField(null=True, blank=True, editable=False)
    # The job's progress: rows of the file worked through (matched) so far, of `rows_read`.
    rows_matched = models.PositiveIntegerField(default=0)
    # Why the file could not be read (naming the line), for a failed import.
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = ImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="import_owner_recent_idx")]
        constraints = [
            # The same file adds to a person's diary once (until that import is undone).
            models.UniqueConstraint(
                fields=["owner", "sha256"],
                condition=models.Q(status="committed"),
                name="import_committed_once",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="import_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.owner_id} ({self.format}, {self.status})"

    @property
    def percent_read(self) -> int:
        """How far the job is, 0-99 while reading (100 once read)."""
        if self.status != Status.READING:
            return 100
        if not self.rows_read:
            return 0
        return min(99, self.rows_matched * 100 // self.rows_read)

    @property
    def format_label(self) -> str:
        return LABELS.get(self.format, self.format)

    @property
    def source_label(self) -> str:
        """The tracker's name an imported entry shows ("imported from Cronometer")."""
        return self.format_label.split(" (")[0]


class ImportRowQuerySet(models.QuerySet):
    def for_owner(self, owner) -> "ImportRowQuerySet":
        return self.filter(batch__owner=owner)


class ImportRow(models.Model):
    batch = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()  # 1-based line of the file
    day = models.DateField(null=True, blank=True)  # none for a row skipped before its day
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # Why a row is skipped, or what the person should know of it.
    reason = models.CharField(max_length=200, blank=True)
    # --- A food ---
    group = models.CharField(max_length=100, blank=True)  # as written
    meal = models.CharField(max_length=10, choices=Meal.choices, blank=True)
    name = models.CharField(max_length=300, blank=True)
    amount_text = models.CharField(max_length=100, blank=True)
    # The weight: the file's, or from a portion of the matched food ("1 cup"), or the person's.
    grams = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    weight_from = models.CharField(max_length=8, choices=WeightFrom.choices, blank=True)
    portion = models.ForeignKey(
        Portion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quantity = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    # The file's own figure, exactly as written, when it has a magnesium column.
    file_magnesium_mg = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    file_energy_kcal = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    food = models.ForeignKey(
        Food, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The search's best foods for the name (ids), to choose another match from.
    candidates = models.JSONField(default=list, blank=True)
    # --- A measurement ---
    metric = models.CharField(max_length=100, blank=True)
    analyte = models.CharField(max_length=20, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    unit = models.CharField(max_length=30, blank=True)
    # --- What the commit made of it ---
    # The ids stay when the row goes (no constraint, nothing done on its delete): deleting an
    # entry costs the diary no extra query, and an entry its undo brings back (with the same
    # id) is still the import's, for the import's own undo.
    entry = models.ForeignKey(
        DiaryEntry,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    lab_result = models.ForeignKey(
        LabResult,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    objects = ImportRowQuerySet.as_manager()

    class Meta:
        ordering = ["line", "id"]
        indexes = [models.Index(fields=["batch", "line"], name="importrow_batch_line_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="importrow_kind"),
        ]

    def __str__(self) -> str:
        return f"Line {self.line} of import {self.batch_id}"

    @property
    def estimated(self) -> bool:
        """Its magnesium will come from the matched food's value, not from the file."""
        return self.kind == Kind.FOOD and self.file_magnesium_mg is None

    @property
    def ready(self) -> bool:
        """A food row that will become a diary entry: a food and a weight."""
        return self.kind == Kind.FOOD and self.food_id is not None and self.grams is not None

    def magnesium_exact(self, per_100g: Decimal | None) -> Decimal | None:
        """What the entry will carry (the diary's one rule); the file's figure when no weight."""
        if self.grams is None:
            return self.file_magnesium_mg
        return amounts.entry_magnesium(self.grams, per_100g, self.file_magnesium_mg)
