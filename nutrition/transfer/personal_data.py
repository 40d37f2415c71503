"""What the imports keep of a person (the files' rows as read), for their data export, their
account's deletion and support staff's counts (registered in `TransferConfig.ready`)."""

from typing import Any

from accounts.models import User
from accounts.selectors import export_rows
from nutrition.transfer.models import Import, ImportRow

IMPORT_FIELDS = [
    "id",
    "format",
    "file_name",
    "sha256",
    "status",
    "rows_read",
    "food_rows",
    "lab_rows",
    "skipped_rows",
    "notes",
    "entries_added",
    "results_added",
    "created_at",
    "committed_at",
    "undone_at",
]
ROW_FIELDS = [
    "batch_id",
    "line",
    "day",
    "kind",
    "reason",
    "group",
    "meal",
    "name",
    "amount_text",
    "grams",
    "file_magnesium_mg",
    "food_id",
    "metric",
    "analyte",
    "value",
    "unit",
    "entry_id",
    "lab_result_id",
]


def export_for(user: User) -> dict[str, list[dict[str, Any]]]:
    return {
        "transfer.Import": export_rows(
            Import.objects.for_owner(user).defer("content").order_by("created_at", "id"),
            IMPORT_FIELDS,
        ),
        "transfer.ImportRow": export_rows(
            ImportRow.objects.for_owner(user).order_by("batch_id", "line", "id"), ROW_FIELDS
        ),
    }


def erase_for(user: User) -> None:
    Import.objects.for_owner(user).delete()  # with their rows


def support_counts(user: User) -> dict[str, int]:
    return {"imports": Import.objects.for_owner(user).count()}
