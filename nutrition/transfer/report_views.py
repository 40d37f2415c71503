"""The report as files: a dietitian's of a consenting client (through the clinic's access
check, which writes the client's access log) and a person's of themselves.

`?start=&end=` choose the period (default: the 30 days up to the person's today); a period
that is not one answers 400 with what is wrong. The PDF needs WeasyPrint's system libraries:
without them it answers 503 and says what is missing; the CSV needs nothing.
"""

import csv
import logging

from allauth.account.decorators import verified_email_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.models import User
from nutrition.clinic import selectors as clinic_selectors
from nutrition.clinic.views import clinic_member_required
from nutrition.diary import selectors as diary_selectors
from nutrition.transfer import pdf, report
from nutrition.transfer.report_selectors import Report, report_for

PDF = "pdf"
CSV = "csv"
WHAT = {PDF: "report (PDF)", CSV: "report (CSV)"}

logger = logging.getLogger(__name__)


def _download(content: bytes | str, *, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # A health report: kept by no cache, shared or the browser's own.
    response["Cache-Control"] = "private, no-store"
    return response


def _file(made: Report, *, kind: str, whose: str) -> HttpResponse:
    name = report.filename(made, whose=whose, extension=kind)
    if kind == PDF:
        return _download(pdf.render(report.html(made)), content_type="application/pdf", name=name)
    response = _download("", content_type="text/csv; charset=utf-8", name=name)
    csv.writer(response).writerows(report.csv_rows(made))
    return response


def _unavailable(request: HttpRequest) -> HttpResponse:
    # The cause is for the operator's log, not for the page.
    logger.error("PDF report refused: %s", pdf.unavailable_reason())
    return render(request, "transfer/report_unavailable.html", {"needs": pdf.NEEDS}, status=503)


def _refused(request: HttpRequest, exc: report.PeriodError, *, back: str) -> HttpResponse:
    context = {"errors": exc.errors, "back": back}
    return render(request, "transfer/report_error.html", context, status=400)


def _period(request: HttpRequest, person: diary_selectors.Person, user: User) -> report.Period:
    return report.period_from(
        request.GET, today=diary_selectors.today_for(user=user, person=person)
    )


def _client_report(request: HttpRequest, client_id: int, *, kind: str) -> HttpResponse:
    if kind == PDF and not pdf.available():
        return _unavailable(request)  # before the client is read: nothing to log
    with clinic_selectors.client_access(
        dietitian=request.user, client_id=client_id, what=WHAT[kind]
    ) as access:
        client = access.client
        person = diary_selectors.person_for(user=client)
        try:
            period = _period(request, person, client)
        except report.PeriodError as exc:
            access.what = f"{WHAT[kind]}: refused, the dates were not valid"
            return _refused(request, exc, back=reverse("clinic:client", args=[client.pk]))
        access.what = f"{WHAT[kind]}, {period.start.isoformat()} to {period.end.isoformat()}"
        made = report_for(
            user=client,
            person=person,
            period=period,
            prepared_for=f"Prepared for {request.user.display_name} (dietitian)",
        )
    name = client.name or f"client {client.pk}"
    return _file(made, kind=kind, whose=name)


def _my_report(request: HttpRequest, *, kind: str) -> HttpResponse:
    if kind == PDF and not pdf.available():
        return _unavailable(request)
    person = diary_selectors.person_for(user=request.user)
    try:
        period = _period(request, person, request.user)
    except report.PeriodError as exc:
        return _refused(request, exc, back=reverse("accounts:profile"))
    made = report_for(
        user=request.user, person=person, period=period, prepared_for="Downloaded by the person"
    )
    return _file(made, kind=kind, whose="")


@clinic_member_required
@require_safe
def client_report_pdf(request: HttpRequest, client_id: int) -> HttpResponse:
    return _client_report(request, client_id, kind=PDF)


@clinic_member_required
@require_safe
def client_report_csv(request: HttpRequest, client_id: int) -> HttpResponse:
    return _client_report(request, client_id, kind=CSV)


@verified_email_required
@require_safe
def my_report_pdf(request: HttpRequest) -> HttpResponse:
    return _my_report(request, kind=PDF)


@verified_email_required
@require_safe
def my_report_csv(request: HttpRequest) -> HttpResponse:
    return _my_report(request, kind=CSV)
