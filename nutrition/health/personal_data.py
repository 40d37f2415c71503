"""What the health record keeps of a person, for their export, their account's deletion and
support staff's counts (registered in `HealthConfig.ready`)."""

from typing import Any

from accounts.models import User
from accounts.selectors import export_rows
from nutrition.health.models import LabResult

EXPORTED_FIELDS = [
    "id",
    "analyte",
    "value",
    "unit",
    "value_si",
    "unit_si",
    "loinc",
    "taken_on",
    "note",
    "source",
    "created_at",
    "updated_at",
]


def export_for(user: User) -> dict[str, list[dict[str, Any]]]:
    # Only the person's own results: one a dietitian entered for a client is the client's.
    return {
        "health.LabResult": export_rows(
            LabResult.objects.for_user(user).order_by("taken_on", "id"), EXPORTED_FIELDS
        )
    }


def erase_for(user: User) -> None:
    LabResult.objects.for_user(user).delete()


def support_counts(user: User) -> dict[str, int]:
    return {"lab results": LabResult.objects.for_user(user).count()}
