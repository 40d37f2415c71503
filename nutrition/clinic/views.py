"""The clinic's pages: the dietitian's board and client pages, and the client's consent pages."""

import csv
from datetime import date, timedelta
from decimal import Decimal
from functools import wraps

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.views import two_factor_redirect
from mgsite import dates, registry
from nutrition import labs
from nutrition.clinic import selectors, services
from nutrition.clinic.forms import InviteForm, LabResultForm, NoteForm, TargetForm
from nutrition.clinic.models import CareRelationship, Invitation
from nutrition.diary import charts
from nutrition.diary import selectors as diary_selectors
from nutrition.diary.exports import csv_rows
from nutrition.health import selectors as health_selectors
from nutrition.health import services as health_services
from nutrition.health.models import Source  # the value only: reads go through selectors

TREND_DAYS = 30
BOARD_COLUMNS = [
    ("name", "Client", False),
    ("last_logged", "Last logged", False),
    ("average", "7-day average", True),
    ("percent", "% of target", True),
    ("meeting", "Days meeting target (last 14)", True),
    ("flags", "Flags", False),
]


def clinic_member_required(view):
    """Dietitians only (others get 404), and only in a session that passed both factors."""

    @verified_email_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_dietitian:
            raise Http404
        refused = two_factor_redirect(request, before="opening your clients' diaries")
        if refused is not None:
            return refused
        return view(request, *args, **kwargs)

    return wrapper


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _board_context(rows: list[selectors.BoardRow]) -> dict:
    return {
        "rows": rows,
        "columns": BOARD_COLUMNS,
        "lab_flags_shown": any(row.has_lab_flags for row in rows),
        "not_a_diagnosis": labs.NOT_A_DIAGNOSIS,
    }


@clinic_member_required
@require_safe
def board(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "name")
    context = {
        **_board_context(selectors.clinic_board(dietitian=request.user, sort=sort)),
        "sort": sort,
        "invite_form": InviteForm(),
        "invitations": selectors.invitations_for(dietitian=request.user),
    }
    return render(request, "clinic/board.html", context)


@clinic_member_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            issued = services.invitation_create(
                dietitian=request.user,
                client_email=form.cleaned_data["client_email"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("client_email", message)
        else:
            messages.success(request, f"Invitation sent to {issued.invitation.client_email}.")
            return redirect("clinic:board")
    context = {
        **_board_context(selectors.clinic_board(dietitian=request.user)),
        "sort": "name",
        "invite_form": form,
        "invitations": selectors.invitations_for(dietitian=request.user),
    }
    return render(request, "clinic/board.html", context, status=400)


@clinic_member_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        issued = services.invitation_resend(
            dietitian=request.user, invitation_id=pk, base_url=_base_url(request)
        )
    except Invitation.DoesNotExist:
        raise Http404 from None
    messages.success(request, f"Invitation sent again to {issued.invitation.client_email}.")
    return redirect("clinic:board")


@clinic_member_required
@require_POST
def invitation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        invitation = services.invitation_cancel(dietitian=request.user, invitation_id=pk)
    except Invitation.DoesNotExist:
        raise Http404 from None
    messages.success(request, f"Invitation to {invitation.client_email} cancelled.")
    return redirect("clinic:board")


ENTERED_BY = {Source.SELF: "the client", Source.IMPORT: "imported"}
GLYCAEMIA_BASIS = {"hba1c": "HbA1c", "glucose_fasting": "fasting glucose"}


def _as_reported(value: Decimal, unit: labs.Unit | None) -> str:
    """As on a report: at least the places a laboratory gives (6.0 %), more when entered."""
    value = value.normalize()
    places = unit.decimals if unit else 0
    if -value.as_tuple().exponent < places:
        value = value.quantize(Decimal(1).scaleb(-places))
    return format(value, "f")


def _lab_rows(client) -> list[dict]:
    """The client's results as the page shows them: the value as on the report, in words."""
    rows = []
    for result in health_selectors.lab_results_for(user=client):
        info = labs.ANALYTES[result.analyte]
        unit = info.unit(result.unit)
        if result.source == Source.DIETITIAN:
            dietitian = result.entered_by  # None once that account is deleted
            who = f"{dietitian.display_name} (dietitian)" if dietitian else "a dietitian"
        else:
            who = ENTERED_BY.get(result.source, result.source)
        rows.append(
            {
                "taken_on": result.taken_on,
                "analyte": info.name,
                "value": _as_reported(result.value, unit),
                "unit": unit.label if unit else result.unit,
                "category": result.category,
                "entered_by": who,
            }
        )
    return rows


def _client_page(
    request, client, *, day: date, note_form=None, target_form=None, lab_form=None, status=200
):
    summary = diary_selectors.day_summary(user=client, day=day)
    end = diary_selectors.today_for(user=client, person=summary.person)
    trend = diary_selectors.range_summary(
        user=client, start=end - timedelta(days=TREND_DAYS - 1), end=end
    )
    target = selectors.personal_target_for(client=client)
    context = {
        "client": client,
        "summary": summary,
        "bar": charts.day_bar(summary),
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "trend": trend,
        "chart": charts.trend_chart(trend, day_url=lambda d: f"?date={d.isoformat()}"),
        "notes": selectors.notes_for(client=client)[:50],
        "note_form": note_form or NoteForm(initial={"day": day}),
        "target_form": target_form
        or TargetForm(initial={"magnesium_mg": target.magnesium_mg if target else None}),
        "lab_rows": _lab_rows(client),
        "picture": health_selectors.picture_for(user=client, on=end),
        "glycaemia_basis": GLYCAEMIA_BASIS,
        "not_a_diagnosis": labs.NOT_A_DIAGNOSIS,
        "lab_form": lab_form or LabResultForm(initial={"taken_on": end}),
        # Panels of the apps above (the report of a period, from transfer).
        "panels": registry.collect("clinic.client_page", request, client=client, today=end),
    }
    return render(request, "clinic/client.html", context, status=status)


def _chosen_day(request: HttpRequest, client) -> date:
    """`?date=`, or the client's today; a day that is not one (or not 1900–2100) is a 404."""
    value = request.GET.get("date")
    if not value:
        return diary_selectors.today_for(user=client)
    try:
        return dates.parse_day(value)
    except dates.DayError:
        raise Http404 from None


@clinic_member_required
@require_safe
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    client = selectors.client_for_dietitian(
        dietitian=request.user, client_id=client_id, what=services.CLIENT_PAGE
    )
    return _client_page(request, client, day=_chosen_day(request, client))


@clinic_member_required
@require_POST
def client_note(request: HttpRequest, client_id: int) -> HttpResponse:
    # A refused note shows the client's page again: logged as that page, not as a note added.
    with selectors.client_access(
        dietitian=request.user, client_id=client_id, what=services.CLIENT_PAGE
    ) as access:
        client = access.client
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                services.note_create(
                    dietitian=request.user,
                    client=client,
                    text=form.cleaned_data["text"],
                    day=form.cleaned_data["day"],
                )
            except ValidationError as exc:
                for field, messages_ in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                access.what = "notes (added one)"
                messages.success(request, "Note saved. Your client sees it on their diary.")
                return redirect("clinic:client", client_id=client.pk)
        day = form.cleaned_data.get("day")  # is_valid() ran: cleaned_data holds the valid fields
        return _client_page(
            request,
            client,
            day=day or diary_selectors.today_for(user=client),
            note_form=form,
            status=400,
        )


@clinic_member_required
@require_POST
def client_target(request: HttpRequest, client_id: int) -> HttpResponse:
    # A refused value shows the client's page again: logged as that page, not as a change.
    with selectors.client_access(
        dietitian=request.user, client_id=client_id, what=services.CLIENT_PAGE
    ) as access:
        client = access.client
        form = TargetForm(request.POST)
        if not form.is_valid():
            return _client_page(
                request,
                client,
                day=diary_selectors.today_for(user=client),
                target_form=form,
                status=400,
            )
        value = form.cleaned_data["magnesium_mg"]
        result = services.personal_target_set(
            dietitian=request.user, client=client, magnesium_mg=value
        )
        access.what = services.TARGET_CHANGED if result.changed else services.TARGET_UNCHANGED
    messages.success(
        request,
        f"Daily target set to {value} mg." if value else "Back to the reference target.",
    )
    return redirect("clinic:client", client_id=client.pk)


@clinic_member_required
@require_POST
def client_lab(request: HttpRequest, client_id: int) -> HttpResponse:
    # A refused result shows the client's page again: logged as that page, nothing saved.
    with selectors.client_access(
        dietitian=request.user, client_id=client_id, what=services.CLIENT_PAGE
    ) as access:
        client = access.client
        form = LabResultForm(request.POST)
        if form.is_valid():
            try:
                health_services.lab_result_create(
                    user=client,
                    source=Source.DIETITIAN,
                    entered_by=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                for field, messages_ in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                access.what = services.LAB_ADDED
                messages.success(request, "Result saved in your client's record.")
                return redirect(reverse("clinic:client", args=[client.pk]) + "#labs-title")
        return _client_page(
            request,
            client,
            day=diary_selectors.today_for(user=client),
            lab_form=form,
            status=400,
        )


@clinic_member_required
@require_safe
def client_csv(request: HttpRequest, client_id: int) -> HttpResponse:
    client = selectors.client_for_dietitian(
        dietitian=request.user, client_id=client_id, what="diary export (CSV)"
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="client-{client.pk}-diary.csv"'
    csv.writer(response).writerows(csv_rows(user=client))
    return response


# --- The client's side ---------------------------------------------------------------------


@verified_email_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token=token)
    if request.method == "POST":
        try:
            services.invitation_accept(client=request.user, token=token)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(reverse("clinic:accept", args=[token]))
        messages.success(request, f"{invitation.dietitian.display_name} can now read your diary.")
        return redirect("accounts:profile")
    return render(request, "clinic/accept.html", {"invitation": invitation, "token": token})


@verified_email_required
@require_POST
def care_team_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        relationship = services.care_relationship_end(client=request.user, relationship_id=pk)
    except CareRelationship.DoesNotExist:
        raise Http404 from None
    messages.success(
        request, f"{relationship.dietitian.display_name} can no longer see your diary."
    )
    return redirect("accounts:profile")
