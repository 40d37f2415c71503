"""The transfer app's panels on the pages of the apps below (registered in
`TransferConfig.ready`): the report's form on a dietitian's client page and on a person's
profile (a period, then the PDF or the CSV; the dates offered are the default period, the 30
days up to today), and where to bring a diary over from another tracker."""

from datetime import date

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from accounts.models import User
from accounts.permissions import has_verified_email
from nutrition.diary import selectors as diary_selectors
from nutrition.transfer import report_selectors as selectors
from nutrition.transfer.report import MAX_DAYS


def _form(request: HttpRequest, *, today: date, pdf_url: str, csv_url: str, whose: str) -> str:
    period = selectors.Period.ending(today)
    context = {
        "period": period,
        "pdf_url": pdf_url,
        "csv_url": csv_url,
        "whose": whose,
        "max_days": MAX_DAYS,
    }
    return render_to_string("transfer/_report_form.html", context, request=request)


def client_report_panel(request: HttpRequest, *, client: User, today: date) -> SafeString:
    """On a dietitian's client page: the client's report (the client's today is known)."""
    return _form(
        request,
        today=today,
        pdf_url=reverse("transfer:client-report-pdf", args=[client.pk]),
        csv_url=reverse("transfer:client-report-csv", args=[client.pk]),
        whose="the client's",
    )


def my_report_panel(request: HttpRequest) -> SafeString | None:
    """On the profile: the person's own report."""
    if not request.user.is_authenticated:
        return None
    return _form(
        request,
        today=diary_selectors.today_for(user=request.user),
        pdf_url=reverse("transfer:my-report-pdf"),
        csv_url=reverse("transfer:my-report-csv"),
        whose="your",
    )


def import_link_panel(request: HttpRequest) -> SafeString | None:
    """On the profile: where to bring a diary over from another tracker."""
    if not has_verified_email(request.user):
        return None
    return render_to_string("transfer/_import_link.html", request=request)
