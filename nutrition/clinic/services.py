"""Writes for the clinic: invitations, consent, notes and personal targets."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import DateTimeField, Exists, OuterRef, Q, Value
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts import unsubscribe
from accounts.models import Profile, User
from mgsite import dates
from mgsite.links import site_url
from nutrition.clinic.models import (
    INVITATION_LIFETIME,
    AccessLog,
    CareRelationship,
    ClientNote,
    Invitation,
    PersonalTarget,
    token_digest,
)
from nutrition.diary import pickers
from outbox.services import email_queue

if TYPE_CHECKING:  # the selectors import these services
    from nutrition.clinic.selectors import DigestDue

# What these looks at a client are called in the client's access log.
BOARD_VIEW = "clinic board (figures from the last 14 days, flags from lab results)"
CLIENT_PAGE = "diary page and lab results"
LABS_VIEWED = "lab results"
LAB_ADDED = "lab results (added one)"
LAB_NOT_ADDED = "lab results (none added)"
METABOLIC_VIEWED = "metabolic picture"
TARGET_CHANGED = "personal target (changed it)"
TARGET_UNCHANGED = "personal target (not changed)"
MIN_TARGET_MG = Decimal("50")
MAX_TARGET_MG = Decimal("1500")
# The longest address an invitation holds (RFC 5321's limit, the column's length).
MAX_EMAIL_LENGTH = Invitation._meta.get_field("client_email").max_length
# An unaccepted invitation is deleted this long after it expired or was cancelled (the
# dietitian sees it as expired meanwhile, and may send it again).
INVITATION_KEPT_AFTER_END = timedelta(days=30)


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once: only its digest is stored


def display_name(user: User) -> str:
    """How the access log, notes and invitations record a dietitian: their display name with
    the address beside it (`User.name_and_email`)."""
    return user.name_and_email


def _require_dietitian(user: User) -> None:
    if not user.is_dietitian:
        raise ValidationError("Only dietitians can do this.")


def _send_invitation(*, invitation: Invitation, token: str, base_url: str) -> None:
    """Queue the invitation e-mail in the outbox (sent by a background job once the
    invitation is saved); each sending of an invitation is its own message."""
    context = {
        "dietitian": invitation.dietitian,
        "accept_url": f"{base_url.rstrip('/')}/clinic/invitations/{token}/",
        "expires_at": invitation.expires_at,
    }
    email_queue(
        to=invitation.client_email,
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}"
        f"{display_name(invitation.dietitian)} would like to review your diary",
        text=render_to_string("clinic/email/invitation.txt", context),
        key=f"clinic-invitation:{invitation.pk}:{invitation.sent_at.timestamp():.6f}",
        category="clinic_invitation",
    )


@transaction.atomic
def invitation_create(*, dietitian: User, client_email: str, base_url: str) -> IssuedInvitation:
    """Invite a person by e-mail; a pending invitation to the same address is replaced."""
    _require_dietitian(dietitian)
    email = client_email.strip().lower()
    if len(email) > MAX_EMAIL_LENGTH:
        # Forms accept up to 320 characters; the column holds 254 (PostgreSQL refuses more).
        raise ValidationError(
            {"client_email": f"An e-mail address has at most {MAX_EMAIL_LENGTH} characters."}
        )
    if email == dietitian.email.lower():
        raise ValidationError({"client_email": "You cannot invite yourself."})
    already = CareRelationship.objects.active().filter(
        dietitian=dietitian, client__email__iexact=email
    )
    if already.exists():
        raise ValidationError({"client_email": "This person is already one of your clients."})
    now = timezone.now()
    Invitation.objects.pending().filter(dietitian=dietitian, client_email=email).update(
        cancelled_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        dietitian=dietitian,
        client_email=email,
        token_hash=token_digest(token),
        created_at=now,
        sent_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    _send_invitation(invitation=invitation, token=token, base_url=base_url)
    return IssuedInvitation(invitation=invitation, token=token)


@transaction.atomic
def invitation_resend(*, dietitian: User, invitation_id: int, base_url: str) -> IssuedInvitation:
    """Send a pending (or expired) invitation again with a fresh link valid for seven days."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(dietitian=dietitian, pk=invitation_id, accepted_at__isnull=True)
        .filter(cancelled_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise Invitation.DoesNotExist
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_digest(token)
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_LIFETIME
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    _send_invitation(invitation=invitation, token=token, base_url=base_url)
    return IssuedInvitation(invitation=invitation, token=token)


@transaction.atomic
def invitation_cancel(*, dietitian: User, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.pending().filter(dietitian=dietitian, pk=invitation_id).first()
    if invitation is None:
        raise Invitation.DoesNotExist
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    return invitation


def invitation_for_token(*, token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("dietitian")
        .filter(token_hash=token_digest(token or ""))
        .first()
    )


@transaction.atomic
def invitation_accept(*, client: User, token: str) -> CareRelationship:
    """The invited person, signed in with the invited address, gives their consent."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("dietitian")
        .filter(token_hash=token_digest(token or ""))
        .first()
    )
    if invitation is None or invitation.status != "pending":
        raise ValidationError(
            {"token": "This invitation is not valid any more. Ask your dietitian for a new one."}
        )
    verified = EmailAddress.objects.filter(
        user=client, email__iexact=invitation.client_email, verified=True
    ).exists()
    if not verified:
        raise ValidationError(
            {
                "token": "This invitation was sent to another e-mail address. Sign in with "
                "that address (or add and verify it on your account) to accept it."
            }
        )
    if client.pk == invitation.dietitian_id:
        raise ValidationError({"token": "You cannot accept your own invitation."})
    # Row lock on the client's profile: concurrent accept / revoke for this client queue here.
    Profile.objects.select_for_update().filter(user=client).first()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    existing = CareRelationship.objects.active().filter(
        dietitian=invitation.dietitian, client=client
    )
    if existing.exists():
        return existing.get()
    try:
        with transaction.atomic():
            return CareRelationship.objects.create(dietitian=invitation.dietitian, client=client)
    except IntegrityError:
        return CareRelationship.objects.active().get(dietitian=invitation.dietitian, client=client)


@transaction.atomic
def care_relationship_end(*, client: User, relationship_id: int) -> CareRelationship:
    """The client revokes a dietitian's access; it ends at once (nothing is cached)."""
    Profile.objects.select_for_update().filter(user=client).first()
    relationship = (
        CareRelationship.objects.active()
        .select_for_update()
        .filter(client=client, pk=relationship_id)
        .first()
    )
    if relationship is None:
        raise CareRelationship.DoesNotExist
    relationship.ended_at = timezone.now()
    relationship.save(update_fields=["ended_at"])
    # A personal target only stands while the dietitian who set it is in the care team.
    PersonalTarget.objects.filter(client=client, set_by=relationship.dietitian).delete()
    return relationship


@transaction.atomic
def note_create(*, dietitian: User, client: User, text: str, day: date | None = None) -> ClientNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write a note before saving it."})
    if len(text) > 2000:
        raise ValidationError({"text": "Keep a note under 2,000 characters."})
    if day is not None and not dates.in_range(day):
        raise ValidationError({"day": dates.OUT_OF_RANGE})
    note = ClientNote.objects.create(
        client=client, author=dietitian, author_name=display_name(dietitian), day=day, text=text
    )
    pickers.mark_changed(client)  # the client's day page caches its notes under the revision
    return note


@dataclass(frozen=True)
class TargetChange:
    target: PersonalTarget | None  # None when there is none (cleared, or never set)
    changed: bool  # False when the client already had exactly this target (or none to clear)


@transaction.atomic
def personal_target_set(
    *, dietitian: User, client: User, magnesium_mg: Decimal | None
) -> TargetChange:
    """Set (or with None clear) the client's daily magnesium target.

    Setting the value the client already has writes nothing: who set it, and when, stay."""
    current = PersonalTarget.objects.select_for_update().filter(client=client).first()
    if magnesium_mg is not None and not MIN_TARGET_MG <= magnesium_mg <= MAX_TARGET_MG:
        raise ValidationError(
            {"magnesium_mg": f"Enter a target between {MIN_TARGET_MG} and {MAX_TARGET_MG} mg."}
        )
    if (current.magnesium_mg if current else None) == magnesium_mg:
        return TargetChange(target=current, changed=False)
    if magnesium_mg is None:
        current.delete()
        return TargetChange(target=None, changed=True)
    target, _ = PersonalTarget.objects.update_or_create(
        client=client,
        defaults={"magnesium_mg": magnesium_mg, "set_by": dietitian, "set_at": timezone.now()},
    )
    return TargetChange(target=target, changed=True)


def metabolic_viewed(day: date) -> str:
    return f"{METABOLIC_VIEWED} on {day.isoformat()}"


def access_log_write(*, dietitian: User, client: User, what: str) -> AccessLog:
    """One look at a client's data: who, at what, when (never the data)."""
    return AccessLog.objects.create(
        client=client, dietitian=dietitian, who=display_name(dietitian), what=what[:200]
    )


def access_log_board_view(*, dietitian: User) -> None:
    """Log the board's read of every consenting client: one row per client, dietitian and day.

    One INSERT … SELECT whatever the number of clients: it picks the active relationships
    without a board row from this dietitian since midnight, so neither a read of the rows
    already there nor a batch per few hundred clients (SQLite's parameter limit) is needed."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    logged_today = AccessLog.objects.filter(
        client_id=OuterRef("client_id"), dietitian=dietitian, what=BOARD_VIEW, when__gte=midnight
    )
    rows = (
        CareRelationship.objects.active()
        .filter(dietitian=dietitian)
        .filter(~Exists(logged_today))
        .order_by()
        .annotate(
            log_dietitian=Value(dietitian.pk),
            log_who=Value(display_name(dietitian)),
            log_what=Value(BOARD_VIEW),
            log_when=Value(timezone.now(), output_field=DateTimeField()),
        )
        .values_list("client_id", "log_dietitian", "log_who", "log_what", "log_when")
    )
    database = router.db_for_write(AccessLog)
    connection = connections[database]
    select, params = rows.query.get_compiler(using=database).as_sql()
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(AccessLog._meta.get_field(name).column)
        for name in ("client", "dietitian", "who", "what", "when")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(AccessLog._meta.db_table)} ({columns}) {select}", params
        )


DIGEST_LIST = "clinic-digest"
DIGEST_SENT = "daily digest e-mail (name and flags only)"


def _digest_message(digest: "DigestDue") -> dict[str, str]:
    """Names and flags only, each client linking to their page (which logs the view)."""
    context = {
        "day": digest.day,
        "clients": [
            {
                "name": client.name,
                "flags": [label for _, label in client.flags],
                "url": site_url(reverse("clinic:client", kwargs={"client_id": client.client_id})),
            }
            for client in digest.clients
        ],
        "board_url": site_url(reverse("clinic:board")),
        "profile_url": site_url(reverse("accounts:profile")),
        "unsubscribe_url": unsubscribe.unsubscribe_url(
            user_id=digest.dietitian_id, email_list=DIGEST_LIST
        ),
    }
    count = len(digest.clients)
    return {
        "subject": f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{count} client"
        f"{'' if count == 1 else 's'} flagged today",
        "text": render_to_string("clinic/email/digest.txt", context),
        "html": render_to_string("clinic/email/digest.html", context),
    }


def clinic_digests_send(*, digests: "list[DigestDue]") -> int:
    """Queue each digest `selectors.digests_due` found; returns how many were queued. Each
    names its flagged clients in their access logs, as any look at their data is. Those found
    exclude the digests queued already, so a second run on the same local day queues and logs
    nothing: the outbox key names the dietitian and the day."""
    with translation.override(settings.LANGUAGE_CODE):
        for digest in digests:
            with transaction.atomic():
                email_queue(
                    to=digest.email,
                    key=digest.key,
                    category=DIGEST_LIST,
                    headers=unsubscribe.list_headers(
                        user_id=digest.dietitian_id, email_list=DIGEST_LIST
                    ),
                    **_digest_message(digest),
                )
                _access_log_digest(digest)
    return len(digests)


def _access_log_digest(digest: "DigestDue") -> None:
    """One row per client the digest names, in one query."""
    who = display_name(User(name=digest.name, email=digest.email))
    AccessLog.objects.bulk_create(
        AccessLog(
            client_id=c.client_id, dietitian_id=digest.dietitian_id, who=who, what=DIGEST_SENT
        )
        for c in digest.clients
    )


@transaction.atomic
def invitations_purge(*, now: datetime | None = None) -> int:
    """Delete the invitations nobody accepted, once expired or cancelled for
    INVITATION_KEPT_AFTER_END (the privacy notice's promise); accepted ones stay as the
    record of consent. Returns how many went."""
    cutoff = (now or timezone.now()) - INVITATION_KEPT_AFTER_END
    unaccepted = Invitation.objects.filter(accepted_at__isnull=True)
    deleted, _ = unaccepted.filter(Q(expires_at__lt=cutoff) | Q(cancelled_at__lt=cutoff)).delete()
    return deleted
