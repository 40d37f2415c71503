"""What the clinic keeps of a person, for their data export (registered as "accounts.export"
in `ClinicConfig.ready`).

As a client: who cares for them, the notes they received, every view of their data and their
personal target. As a dietitian: only counts, because what a dietitian wrote or saw of a
client is the client's data, not theirs to take away.
"""

from typing import Any

from accounts.models import User
from accounts.selectors import export_rows
from nutrition.clinic.models import (
    AccessLog,
    CareRelationship,
    ClientNote,
    Invitation,
    PersonalTarget,
)

# What a dietitian wrote or saw belongs to the client's record: a dietitian gets counts.
NOT_EXPORTED: dict[str, str] = {
    "clinic.Invitation.dietitian": "counted in clinic.as_dietitian (the invited addresses "
    "are other people's)",
    "clinic.CareRelationship.dietitian": "counted in clinic.as_dietitian (the clients are "
    "other people)",
    "clinic.ClientNote.author": "counted in clinic.as_dietitian (a note is part of the "
    "client's record)",
    "clinic.AccessLog.dietitian": "the client's record of who looked at their data",
    "clinic.PersonalTarget.set_by": "part of the client's record",
}


def export_for(user: User) -> dict[str, list[dict[str, Any]]]:
    return {
        "clinic.CareRelationship": export_rows(
            CareRelationship.objects.filter(client=user).select_related("dietitian"),
            ["dietitian.name", "dietitian.email", "since", "ended_at"],
        ),
        "clinic.ClientNote": export_rows(
            ClientNote.objects.filter(client=user), ["author_name", "day", "text", "created_at"]
        ),
        "clinic.AccessLog": export_rows(
            AccessLog.objects.filter(client=user), ["who", "what", "when"]
        ),
        "clinic.PersonalTarget": export_rows(
            PersonalTarget.objects.filter(client=user), ["magnesium_mg", "set_at"]
        ),
        "clinic.as_dietitian": [
            {
                "clients_cared_for": CareRelationship.objects.filter(dietitian=user).count(),
                "notes_written": ClientNote.objects.filter(author=user).count(),
                "invitations_sent": Invitation.objects.filter(dietitian=user).count(),
            }
        ]
        if user.is_dietitian or CareRelationship.objects.filter(dietitian=user).exists()
        else [],
    }
