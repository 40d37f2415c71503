"""Reads for the clinic. Every look at a client's data goes through `client_for_dietitian` or
`client_access`, which check live consent (nothing cached) and write one access-log row; the
board logs its reads of every client too (`clinic_board`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from accounts.models import User
from mgsite.caches import local_cache
from nutrition import amounts, labs
from nutrition.clinic import services
from nutrition.clinic.models import (
    AccessLog,
    CareRelationship,
    ClientNote,
    Invitation,
    PersonalTarget,
)
from nutrition.diary import selectors as diary
from nutrition.health import selectors as health

BOARD_AVERAGE_DAYS = 7
BOARD_MEETING_DAYS = 14
NOTHING_LOGGED_DAYS = 3

FLAG_LABELS = {
    "nothing_logged": "Nothing logged for 3+ days",
    "supplement_above_ul": "Supplements above the upper limit",
    "kidney_disease_supplement": "Supplements with kidney disease",
    "egfr_under_60_supplements": "Supplements with eGFR under 60",
    "low_serum_magnesium": "Low serum magnesium",
    "diabetes_range": "A result in the diabetes range",
    "homa_ir_rising": "HOMA-IR rising",
}
# Flags read from lab results: calculations, so the board says they are not diagnoses.
LAB_FLAGS = frozenset(
    {"egfr_under_60_supplements", "low_serum_magnesium", "diabetes_range", "homa_ir_rising"}
)


def _consented_client(*, dietitian: User, client_id: int) -> User:
    """The client, if they consent to this dietitian right now; otherwise 404."""
    if not dietitian.is_authenticated or not dietitian.is_dietitian:
        raise Http404
    relationship = (
        CareRelationship.objects.active()
        .select_related("client")
        .filter(dietitian=dietitian, client_id=client_id)
        .first()
    )
    if relationship is None:
        raise Http404
    return relationship.client


@dataclass
class ClientAccess:
    """A dietitian's look at one client; what it was may be settled by what happens next."""

    client: User
    what: str


@contextmanager
def client_access(*, dietitian: User, client_id: int, what: str) -> Iterator[ClientAccess]:
    """The consenting client (or 404), for a request whose outcome decides what it did.

    The block sets `access.what` once it knows (a change made, or refused); the one access-log
    row is written when the block ends, also when it raises, so a rejected change is logged as
    what it was and no request is logged twice."""
    access = ClientAccess(
        client=_consented_client(dietitian=dietitian, client_id=client_id), what=what
    )
    try:
        yield access
    finally:
        services.access_log_write(dietitian=dietitian, client=access.client, what=access.what)


def client_for_dietitian(*, dietitian: User, client_id: int, what: str) -> User:
    """The client, if they consent to this dietitian right now; otherwise 404.

    Writes one access-log row per call: who looked, at what, and when (never the data).
    """
    with client_access(dietitian=dietitian, client_id=client_id, what=what) as access:
        return access.client


def care_team_for(*, client: User) -> QuerySet[CareRelationship]:
    return CareRelationship.objects.active().filter(client=client).select_related("dietitian")


def access_log_for(*, client: User) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(client=client)


def notes_for(*, client: User, day: date | None = None) -> QuerySet[ClientNote]:
    notes = ClientNote.objects.filter(client=client)
    return notes.filter(day=day) if day is not None else notes


def notes_in_period(*, client: User, start: date, end: date) -> QuerySet[ClientNote]:
    """Notes that belong to a period, oldest first: those about one of its days, and the
    general ones written during it (their date as the server's clock gives it)."""
    about_a_day = Q(day__gte=start, day__lte=end)
    written_then = Q(day__isnull=True, created_at__date__gte=start, created_at__date__lte=end)
    return (
        ClientNote.objects.filter(client=client)
        .filter(about_a_day | written_then)
        .order_by("created_at", "id")
    )


NOTES_CACHE_SECONDS = 600


def notes_for_client(*, client: User, day: date | None = None) -> QuerySet[ClientNote]:
    """Notes a client reads, newest first: all of them, or the general ones and those about
    `day`."""
    notes = ClientNote.objects.filter(client=client)
    return notes.filter(Q(day=day) | Q(day__isnull=True)) if day is not None else notes


def notes_for_client_page(
    *, client: User, day: date | None = None, revision: int | None = None, limit: int = 10
) -> list[ClientNote]:
    """The newest notes a client reads: general ones, and those about `day` when given.

    With the client's diary `revision` they are cached under it: `note_create` raises it, so a
    new note shows on the next page."""
    key = f"clinic:notes:{client.pk}:{revision}:{day}"
    if revision is not None:
        cached = local_cache.get(key)
        if cached is not None:
            return cached
    found = list(notes_for_client(client=client, day=day)[:limit])
    if revision is not None:
        local_cache.set(key, found, NOTES_CACHE_SECONDS)
    return found


def invitations_for(*, dietitian: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        dietitian=dietitian, accepted_at__isnull=True, cancelled_at__isnull=True
    )


@dataclass
class BoardRow:
    client_id: int
    name: str
    email: str
    last_logged: date | None
    average_magnesium_mg_7d: Decimal | None
    rda_mg: int | None
    target_set_by: str
    percent_of_target_7d: int | None
    days_meeting_target_14d: int
    flags: list[str] = field(default_factory=list)

    @property
    def flag_labels(self) -> list[tuple[str, str]]:
        return [(code, FLAG_LABELS[code]) for code in self.flags]

    @property
    def has_lab_flags(self) -> bool:
        return not LAB_FLAGS.isdisjoint(self.flags)


def clinic_board(*, dietitian: User, sort: str = "name") -> list[BoardRow]:
    """The dietitian's consenting clients with the figures for triage, in constant queries
    (the days are figured by the diary, exactly as the client's own pages show them).

    Logged like any look at a client's data: once a day per client and dietitian."""
    relationships = list(
        CareRelationship.objects.active().filter(dietitian=dietitian).select_related("client")
    )
    if not relationships:
        return []
    services.access_log_board_view(dietitian=dietitian)  # it reads every client's fortnight
    return _sorted(board_rows(relationships).get(dietitian.pk, []), sort)


def board_rows(relationships: list[CareRelationship]) -> dict[int, list[BoardRow]]:
    """The board's rows of these care relationships (their clients selected), by dietitian,
    in constant queries whatever the number of dietitians and clients. Logs nothing: the
    caller logs what it shows to whom."""
    clients = {r.client_id: r.client for r in relationships}
    ids = list(clients)
    if not ids:
        return {}
    people = diary.people_for(ids)
    todays = {pk: diary.today_for(user=c, person=people.get(pk)) for pk, c in clients.items()}
    start = min(todays.values()) - timedelta(days=BOARD_MEETING_DAYS - 1)
    figures = diary.daily_figures(user_ids=ids, start=start, end=max(todays.values()))
    last = diary.last_logged(user_ids=ids)
    # One picture per client from their latest results up to the latest of their todays (a
    # result is never dated after its person's today, so no client sees a day too far).
    pictures = health.pictures_for(user_ids=ids, on=max(todays.values()))
    rows = {
        pk: _board_row(client, people.get(pk), todays[pk], figures, last.get(pk), pictures.get(pk))
        for pk, client in clients.items()
    }
    by_dietitian: dict[int, list[BoardRow]] = {}
    for relationship in relationships:
        by_dietitian.setdefault(relationship.dietitian_id, []).append(rows[relationship.client_id])
    return by_dietitian


def _board_row(
    client: User,
    person: diary.Person | None,
    today: date,
    figures: dict[tuple[int, date], amounts.DayFigures],
    last_day: date | None,
    picture: health.Picture | None,
) -> BoardRow:
    person = person or diary.Person(client.pk)
    target = diary.target_on(person, today)
    week = [today - timedelta(days=n) for n in range(BOARD_AVERAGE_DAYS)]
    fortnight = [today - timedelta(days=n) for n in range(BOARD_MEETING_DAYS)]
    days = {d: figures.get((client.pk, d)) for d in fortnight}
    # Like the diary's trends: the average of the days with anything logged (a day without
    # entries is a gap in the record, not a day without magnesium).
    average = amounts.shown(amounts.mean(days[d].total for d in week if days[d] is not None))
    week_supplements = [days[d].supplements for d in week if days[d] is not None]
    flags = []
    if last_day is None or (today - last_day).days >= NOTHING_LOGGED_DAYS:
        flags.append("nothing_logged")
    if any(diary.supplements_above_limit(mg, target) for mg in week_supplements):
        flags.append("supplement_above_ul")
    if person.kidney_disease and any(week_supplements):
        flags.append("kidney_disease_supplement")
    flags.extend(_lab_flags(picture, supplements_taken=any(week_supplements)))
    return BoardRow(
        client_id=client.pk,
        name=client.display_name,
        email=client.email,
        last_logged=last_day,
        average_magnesium_mg_7d=average,
        rda_mg=target.rda_mg,
        target_set_by=target.set_by,
        percent_of_target_7d=amounts.percent(average, target.rda_mg),
        days_meeting_target_14d=sum(
            1
            for d in fortnight
            if target.rda_mg and days[d] is not None and days[d].total >= target.rda_mg
        ),
        flags=flags,
    )


def _lab_flags(picture: health.Picture | None, *, supplements_taken: bool) -> list[str]:
    """What the client's latest results point to, in the order of FLAG_LABELS."""
    if picture is None:
        return []
    flags = []
    egfr = picture.egfr
    if egfr is not None and egfr.value < labs.EGFR_SUPPLEMENT_CAUTION and supplements_taken:
        flags.append("egfr_under_60_supplements")
    if picture.magnesium_status is not None and picture.magnesium_status.code == "low":
        flags.append("low_serum_magnesium")
    if picture.glycaemia is not None and picture.glycaemia.code == "diabetes":
        flags.append("diabetes_range")
    if picture.homa_ir_rising:
        flags.append("homa_ir_rising")
    return flags


SORT_KEYS = {
    "name": lambda r: (r.name.lower(),),
    "last_logged": lambda r: (r.last_logged or date.min,),
    "average": lambda r: (r.average_magnesium_mg_7d or Decimal(-1),),
    "percent": lambda r: (r.percent_of_target_7d if r.percent_of_target_7d is not None else -1,),
    "meeting": lambda r: (r.days_meeting_target_14d,),
    "flags": lambda r: (len(r.flags),),
}


def _sorted(rows: list[BoardRow], sort: str) -> list[BoardRow]:
    descending = sort.startswith("-")
    key = SORT_KEYS.get(sort.lstrip("-"), SORT_KEYS["name"])
    return sorted(rows, key=lambda r: (*key(r), r.name.lower()), reverse=descending)


def landing_for(user: User) -> str | None:
    """Where a dietitian lands after signing in: their board (others: the usual page)."""
    return reverse("clinic:board") if user.is_dietitian else None


def personal_target_lookup() -> str:
    """Where a user's personal target (mg) is, for the diary to read it in the query it
    makes anyway (registered as "diary.personal_target")."""
    return "personal_target__magnesium_mg"


def personal_target_for(*, client: User) -> PersonalTarget | None:
    return PersonalTarget.objects.filter(client=client).first()


# --- The daily digest e-mail --------------------------------------------------------------------

# What the digest names: the board's flags about the diary and supplements, and low serum
# magnesium; not the other lab findings (the board shows those, with their caveats).
DIGEST_FLAGS = (
    "nothing_logged",
    "supplement_above_ul",
    "kidney_disease_supplement",
    "egfr_under_60_supplements",
    "low_serum_magnesium",
)
DIGEST_SEND_AT = time(7, 0)  # the dietitian's local time


@dataclass(frozen=True)
class DigestClient:
    client_id: int
    name: str
    flags: list[tuple[str, str]]  # (code, label)


@dataclass(frozen=True)
class DigestDue:
    dietitian_id: int
    email: str
    name: str
    day: date  # the dietitian's local date
    clients: list[DigestClient]

    @property
    def key(self) -> str:
        return digest_key(self.dietitian_id, self.day)


def digest_key(dietitian_id: int, day: date) -> str:
    """The outbox key: one digest per dietitian and local day, whatever runs the job."""
    return f"clinic-digest:{dietitian_id}:{day.isoformat()}"


def digest_day(*, zone_name: str, now: datetime) -> date | None:
    """The dietitian's local date once their clock has reached 07:00, else None."""
    local = now.astimezone(diary.zone_named(zone_name))
    return local.date() if local.time() >= DIGEST_SEND_AT else None


def digests_due(*, now: datetime) -> list[DigestDue]:
    """Each dietitian who wants the digest, whose local time has reached 07:00 and who has a
    consenting client with a digest flag, with those clients (names and flags only); those
    whose digest of today was queued already are left out before any diary is
    read. Constant queries whatever the number of dietitians and clients."""
    dietitians = (
        User.objects.filter(is_dietitian=True, is_active=True, profile__clinic_digest=True)
        .filter(clients_cared_for__ended_at__isnull=True)
        .values_list("pk", "email", "name", "profile__timezone")
        .distinct()
        .order_by("pk")
    )
    days = {}
    for pk, email, name, zone_name in dietitians:
        day = digest_day(zone_name=zone_name, now=now)
        if day is not None:
            days[pk] = (email, name, day)
    keys = {pk: digest_key(pk, day) for pk, (_, _, day) in days.items()}
    done = diary.keys_queued(keys=list(keys.values()))
    wanted = [pk for pk in days if keys[pk] not in done]
    if not wanted:
        return []
    relationships = list(
        CareRelationship.objects.active()
        .filter(dietitian_id__in=wanted)
        .select_related("client")
        .order_by("dietitian_id", "pk")
    )
    digests = []
    for pk, rows in board_rows(relationships).items():
        flagged = []
        for row in sorted(rows, key=lambda r: r.name.lower()):
            flags = [(code, FLAG_LABELS[code]) for code in DIGEST_FLAGS if code in row.flags]
            if flags:
                flagged.append(DigestClient(client_id=row.client_id, name=row.name, flags=flags))
        if flagged:
            email, name, day = days[pk]
            digests.append(
                DigestDue(dietitian_id=pk, email=email, name=name, day=day, clients=flagged)
            )
    return sorted(digests, key=lambda d: d.dietitian_id)
