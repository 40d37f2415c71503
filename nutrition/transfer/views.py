"""The import pages under /diary/import/: upload a file, see its preview (days, rows, magnesium
per day, what matched and what did not, with a way to change a match), commit it, and undo
a past import. Plain forms that redirect back (post/redirect/get); changing a row's match
answers the row alone to htmx. The services are the ones the API uses."""

from typing import Any

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from mgsite.limits import RateLimited
from nutrition import amounts
from nutrition.transfer import selectors, services
from nutrition.transfer.formats.base import FORMATS, LABELS
from nutrition.transfer.models import MAX_FILE_BYTES, Import, ImportRow, Kind, Status

IMPORTS_SHOWN = 50
ROWS_PER_PAGE = 50
SHOW = {"all": "Every row", "unmatched": "Left out (no match or no weight)", "skipped": "Skipped"}


def _own(request: HttpRequest, pk: int) -> Import:
    try:
        return selectors.import_for(owner=request.user, pk=pk)
    except Import.DoesNotExist:
        raise Http404 from None


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [
            f"{'' if field == '__all__' else field.capitalize() + ': '}{message}"
            for field, found in error.message_dict.items()
            for message in found
        ]
    return list(error.messages)


@verified_email_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    """The upload form and the past imports."""
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        # A body far larger than any file was refused before anything read it (a 413 from
        # mgsite.middleware.BodySizeMiddleware); the file itself is checked here.
        upload = request.FILES.get("file")
        chosen = request.POST.get("format") or None
        if upload is None:
            errors = ["Choose the file your tracker exported."]
        elif upload.size > MAX_FILE_BYTES:
            errors = [services.TOO_BIG]
        else:
            try:
                batch = services.import_upload(
                    owner=request.user,
                    content=upload.read(MAX_FILE_BYTES + 1),
                    file_name=upload.name or "",
                    format=chosen,
                )
            except ValidationError as error:
                errors = _messages_of(error)
                status = 429 if isinstance(error, RateLimited) else 400
            else:
                return redirect("transfer:import", pk=batch.pk)
        if status == 200:
            status = 400
    context = {
        "imports": list(selectors.imports_for(owner=request.user)[:IMPORTS_SHOWN]),
        "formats": [(f, LABELS[f]) for f in FORMATS],
        "errors": errors,
        "max_mb": MAX_FILE_BYTES // (1024 * 1024),
    }
    return render(request, "transfer/imports.html", context, status=status)


def _row_context(row: ImportRow, names: dict[int, str], batch: Import) -> dict[str, Any]:
    per_100g = row.food.magnesium_mg_per_100g if row.food else None
    offered = [(pk, names[pk]) for pk in row.candidates if pk in names]
    if row.food_id and row.food_id not in dict(offered):
        offered.insert(0, (row.food_id, row.food.name))
    return {
        "row": row,
        "magnesium": amounts.shown(row.magnesium_exact(per_100g)),
        "offered": offered,
        "editable": batch.status == Status.PREVIEW and row.kind == Kind.FOOD,
        "batch": batch,
    }


@verified_email_required
@require_http_methods(["GET"])
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own(request, pk)
    if batch.status in (Status.READING, Status.FAILED):
        # A big file the background job reads (the page refreshes itself) or could not read.
        return render(request, "transfer/reading.html", {"batch": batch})
    summary = selectors.preview_summary(owner=request.user, batch=batch)
    show = request.GET.get("show", "all")
    if show not in SHOW:
        show = "all"
    if show == "unmatched":
        rows = selectors.unmatched_rows(owner=request.user, batch=batch)
    elif show == "skipped":
        rows = selectors.rows_for(owner=request.user, batch=batch, kind=Kind.SKIPPED)
    else:
        rows = selectors.rows_for(owner=request.user, batch=batch)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    names = selectors.candidate_foods(list(page))
    context = {
        "batch": batch,
        "summary": summary,
        "days": list(summary.magnesium_mg_by_day.items()),
        "page": page,
        "rows": [_row_context(row, names, batch) for row in page],
        "show": show,
        "show_choices": SHOW,
    }
    return render(request, "transfer/preview.html", context)


@verified_email_required
@require_POST
def change_row(request: HttpRequest, pk: int, row_id: int) -> HttpResponse:
    """Change a row's match (every row of that name) or its weight; htmx gets the row back."""
    batch = _own(request, pk)
    changes: dict[str, Any] = {}
    if "food" in request.POST:
        changes["food_id"] = request.POST["food"] or None
    if "grams" in request.POST:
        changes["grams"] = request.POST["grams"] or None
    errors: list[str] = []
    try:
        services.import_row_update(owner=request.user, batch_id=batch.pk, row_id=row_id, **changes)
    except ImportRow.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        errors = _messages_of(error)
    if request.headers.get("HX-Request"):
        row = selectors.rows_for(owner=request.user, batch=batch).filter(pk=row_id).first()
        if row is None:
            raise Http404
        context = _row_context(row, selectors.candidate_foods([row]), batch)
        context["errors"] = errors
        return render(request, "transfer/_row.html", context, status=400 if errors else 200)
    for message in errors:
        messages.error(request, message)
    if not errors:
        messages.success(request, "Match changed for every row of that name.")
    return redirect(f"{reverse('transfer:import', args=[batch.pk])}#row-{row_id}")


@verified_email_required
@require_http_methods(["GET"])
def row_foods(request: HttpRequest, pk: int, row_id: int) -> HttpResponse:
    """The foods the search finds for `q`, as the options of a row's food select (htmx)."""
    batch = _own(request, pk)
    row = selectors.rows_for(owner=request.user, batch=batch).filter(pk=row_id).first()
    if row is None:
        raise Http404
    query = request.GET.get("q", "")[:100]
    found = selectors.foods_named(owner=request.user, query=query) if query.strip() else []
    if found:
        context = {"offered": found, "selected": found[0][0]}
    else:  # nothing asked or nothing found: the row's own choices again
        context = {
            "offered": _row_context(row, selectors.candidate_foods([row]), batch)["offered"],
            "selected": row.food_id,
        }
    return render(request, "transfer/_food_options.html", context)


@verified_email_required
@require_POST
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own(request, pk)
    try:
        batch = services.import_commit(owner=request.user, batch_id=batch.pk)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
        return redirect("transfer:import", pk=batch.pk)
    messages.success(
        request,
        f"Imported {batch.entries_added} diary entries and {batch.results_added} lab results "
        f"from {batch.source_label}.",
    )
    return redirect("transfer:import", pk=batch.pk)


@verified_email_required
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own(request, pk)
    was = batch.status
    services.import_undo(owner=request.user, batch_id=batch.pk)
    if was == Status.PREVIEW:
        messages.success(request, "The preview was discarded; nothing had been added.")
    elif was in (Status.READING, Status.FAILED):
        messages.success(request, "The file was discarded; nothing had been added.")
    elif was == Status.COMMITTED:
        messages.success(request, "The import was undone: what it added is gone.")
    return redirect("transfer:imports")
