"""The health record pages: enter a lab result as on the report, the results so far, the
markers derived from them today, and charts over time. Every change is a plain form post
that redirects back (post/redirect/get) with a message; the services are the ones the API uses.
"""

from datetime import date
from typing import Any

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from nutrition import labs
from nutrition.health import charts, selectors, services
from nutrition.health.forms import LabResultForm
from nutrition.health.models import LabResult


def _own_result(request: HttpRequest, pk: int) -> LabResult:
    try:
        return selectors.result_for(user=request.user, pk=pk)
    except LabResult.DoesNotExist:
        raise Http404 from None


def _shown(result: LabResult) -> str:
    return f"{result.analyte_info.name} of {result.taken_on:%-d %B %Y}"


def _input_of(results: list[LabResult], analyte: str, day: date) -> LabResult | None:
    """The result a marker of `day` was computed from: the latest of that analyte that day,
    as the selectors pick it."""
    found = [r for r in results if r.analyte == analyte and r.taken_on == day]
    return max(found, key=lambda r: r.pk, default=None)


def _markers(record: selectors.Record) -> dict[str, Any]:
    """Each derived marker with the results it comes from, for the template."""
    picture, results = record.picture, record.results
    homa = tyg = egfr = glycaemia = None
    if picture.homa_ir:
        day = picture.homa_ir.taken_on
        homa = {
            "marker": picture.homa_ir,
            "inputs": [
                _input_of(results, "glucose_fasting", day),
                _input_of(results, "insulin_fasting", day),
            ],
            "rising": picture.homa_ir_rising,
        }
    if picture.tyg_index:
        day = picture.tyg_index.taken_on
        tyg = {
            "marker": picture.tyg_index,
            "inputs": [
                _input_of(results, "triglycerides", day),
                _input_of(results, "glucose_fasting", day),
            ],
        }
    if picture.egfr:
        analyte = "creatinine_serum" if picture.egfr.computed else "egfr"
        egfr = {
            "marker": picture.egfr,
            "inputs": [_input_of(results, analyte, picture.egfr.taken_on)],
            "low": picture.egfr.value < labs.EGFR_SUPPLEMENT_CAUTION,
        }
    if picture.glycaemia:
        glycaemia = {
            "marker": picture.glycaemia,
            "inputs": [_input_of(results, picture.glycaemia.basis, picture.glycaemia.taken_on)],
        }
    return {
        "homa": homa,
        "tyg": tyg,
        "egfr": egfr,
        "glycaemia": glycaemia,
        "magnesium": picture.magnesium_status,
        "any": any((homa, tyg, egfr, glycaemia, picture.magnesium_status)),
    }


def _record_context(request: HttpRequest, form: LabResultForm | None = None) -> dict[str, Any]:
    record = selectors.record_for(user=request.user)
    if form is None:
        form = LabResultForm(initial={"taken_on": record.today})
    return {
        "form": form,
        "record": record,
        "results": record.results,
        "picture": record.picture,
        "markers": _markers(record),
        "labs": labs,
        "strong_warnings": {"very_low_egfr"},
    }


@verified_email_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest) -> HttpResponse:
    """The record: the entry form, warnings and markers on today, and past results."""
    form = None
    if request.method == "POST":
        form = LabResultForm(request.POST)
        if form.is_valid():
            try:
                result = services.lab_result_create(user=request.user, **form.service_values())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, f"Saved your {_shown(result)}.")
                return redirect("health:record")
    context = _record_context(request, form)
    status = 400 if form is not None and form.errors else 200
    return render(request, "health/record.html", context, status=status)


@verified_email_required
@require_http_methods(["GET", "POST"])
def result_edit(request: HttpRequest, pk: int) -> HttpResponse:
    result = _own_result(request, pk)
    if request.method == "GET":
        form = LabResultForm.for_result(result)
    else:
        form = LabResultForm(request.POST)
        if form.is_valid():
            try:
                services.lab_result_update(
                    user=request.user, result=result, **form.service_values()
                )
            except ValidationError as exc:
                form.add_service_errors(exc)  # nothing changed: the checks come first
            else:
                messages.success(request, f"Updated your {_shown(result)}.")
                return redirect("health:record")
    status = 400 if form.errors else 200
    return render(
        request, "health/result_edit.html", {"form": form, "result": result}, status=status
    )


@verified_email_required
@require_http_methods(["GET", "POST"])
def result_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A page asking to confirm; the deletion itself is the form's POST."""
    result = _own_result(request, pk)
    if request.method == "POST":
        shown = _shown(result)
        services.lab_result_delete(user=request.user, result=result)
        messages.success(request, f"Deleted your {shown}.")
        return redirect("health:record")
    return render(request, "health/result_delete.html", {"result": result})


@verified_email_required
@require_safe
def result_charts(request: HttpRequest) -> HttpResponse:
    """Each analyte and marker over time, with the magnesium intake before each result: the
    results in one query, the diary's figures in one read for the whole span."""
    record = selectors.record_for(user=request.user)
    units: dict[str, str] = {}
    for result in record.results:  # newest first: the latest unit of each analyte wins
        units.setdefault(result.analyte, result.unit)
    days = {r.taken_on for r in record.readings if r.taken_on <= record.today}
    intake = selectors.intake_before(user=request.user, days=days)
    series = charts.build_series(record.readings, record.person, units, intake, record.today)
    context = {
        "charts": [charts.line_chart(s) for s in series],
        "window_days": selectors.INTAKE_WINDOW_DAYS,
        "labs": labs,
    }
    return render(request, "health/charts.html", context)
