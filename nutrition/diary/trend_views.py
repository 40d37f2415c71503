"""Trends over weeks and months, and the diary as a CSV file."""

import csv
from datetime import timedelta

from allauth.account.decorators import verified_email_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from nutrition.diary import charts, selectors
from nutrition.diary.exports import csv_rows

PERIODS = (7, 30, 90)


@verified_email_required
@require_safe
def trends(request: HttpRequest) -> HttpResponse:
    try:
        period = int(request.GET.get("days", 30))
    except ValueError:
        period = 30
    if period not in PERIODS:
        period = 30
    end = selectors.today_for(user=request.user)
    start = end - timedelta(days=period - 1)
    summary = selectors.range_summary(user=request.user, start=start, end=end)
    context = {
        "period": period,
        "periods": PERIODS,
        "summary": summary,
        "chart": charts.trend_chart(summary),
        "rows": list(reversed(summary.days)),
    }
    return render(request, "diary/trends.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@verified_email_required
@require_safe
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every entry and dose, one line each; cells that a spreadsheet would run are defused."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in csv_rows(user=request.user)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="magnesium-diary.csv"'
    return response
