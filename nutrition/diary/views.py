"""The diary pages. Every action is a plain form post that redirects back to the day; htmx
enhances the same forms in place. The services are the ones the API uses."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mgsite import dates, registry
from mgsite.caches import local_cache
from mgsite.limits import RateLimited
from mgsite.text import clean_query
from nutrition.diary import charts, pickers, rows, selectors, services
from nutrition.diary.forms import CopyForm, DoseForm, EntryEditForm, EntryForm, SupplementForm
from nutrition.diary.models import DiaryEntry, Meal, Supplement, SupplementIntake
from nutrition.diary.templatetags.diary_tags import mg, plain
from nutrition.foods.models import Food
from nutrition.foods.search import search_foods
from nutrition.health import selectors as health
from nutrition.reference import (
    BETTER_ABSORBED_FORMS,
    ELEMENTAL_PERCENT,
    ELEMENTAL_SOURCE,
    LAXATIVE_FORMS,
    STARTER_SOURCE,
    STARTER_SUPPLEMENTS,
    UL_SOURCE,
)

SEARCH_LIMIT = 8


def _search(query: str, user) -> list[Food]:
    """Foods matching the query, the person's own included, best match first."""
    return search_foods(query, user=user, limit=SEARCH_LIMIT)


def _day_url(day: date, anchor: str = "") -> str:
    url = reverse("diary:day", args=[day])
    return f"{url}#{anchor}" if anchor else url


def _decimal_param(value: str | None) -> Decimal | None:
    try:
        number = Decimal(value) if value else None
    except InvalidOperation:
        return None
    return number if number is not None and number.is_finite() and number >= 0 else None


def _row_context(request: HttpRequest, day: date, units: str = "metric") -> rows.RowContext:
    # Reverse each URL once and fill in the ids: 40 entries would otherwise cost 120 reversals.
    return rows.RowContext(
        csrf_token=get_token(request),
        day_iso=day.isoformat(),
        add_url=reverse("diary:entry-add", args=[day]),
        edit_base=reverse("diary:entry-edit", args=[0]).removesuffix("0/"),
        favourite_base=reverse("diary:favourite", args=[0]).removesuffix("0/"),
        units=units,
    )


def _add_rows(
    foods: list,
    portions: dict[int, list],
    meal: str,
    page: rows.RowContext,
    options: dict[int, SafeString] | None = None,
    *,
    query: str = "",
    refused: "Refused | None" = None,
) -> list[SafeString]:
    """Rows of foods to add; a `refused` add shows again in its row, with its error."""
    options = options or {}
    return [
        rows.add_food_row(
            f,
            portions.get(f.pk, []),
            meal=meal,
            page=page,
            options=options.get(f.pk),
            query=query,
            typed=refused.typed if refused and refused.food_id == f.pk else None,
        )
        for f in foods
    ]


@dataclass(frozen=True)
class Refused:
    """An add the services refused: where it came from (a meal's search results, the quick
    picks, a gap suggestion), the search it came with, and what was typed."""

    slot: str
    food_id: int | None
    query: str
    typed: rows.Typed


def _refused_add(request: HttpRequest, form: EntryForm) -> Refused:
    post = request.POST
    meal = post.get("meal") if post.get("meal") in Meal.values else ""
    slot = post.get("slot") if post.get("slot") in ("quick", "gap") else meal
    food_id = form.cleaned_data.get("food") if hasattr(form, "cleaned_data") else None
    if food_id is None:
        try:
            food_id = int(post.get("food", ""))
        except ValueError:
            food_id = None
    typed = rows.Typed(
        amount=post.get("amount", "")[:20],
        unit=post.get("unit", "")[:20],
        messages=[m for errors in form.errors.values() for m in errors],
        meal=meal,
    )
    return Refused(
        slot=slot or "snack",
        food_id=food_id,
        query=clean_query(post.get("q"), 100).strip(),
        typed=typed,
    )


ROWS_CACHE_SECONDS = 600


def _cached_rows(request: HttpRequest, parts: tuple, build: Callable[[], Any]) -> Any:
    """Rows built once for what they show: the key is a digest of every value the rows are
    made of (`parts`, e.g. the day's entries as read) and of this browser's CSRF secret (the
    token the rows' forms carry is valid for it alone), so a change to any of them is a new
    key and a cached copy is never out of date."""
    secret = request.META.get("CSRF_COOKIE", "")  # set by get_token (the page's RowContext)
    digest = hashlib.blake2b(repr((secret, request.user.pk, parts)).encode(), digest_size=20)
    key = f"diary:rows:{digest.hexdigest()}"
    found = local_cache.get(key)
    if found is None:
        found = build()
        local_cache.set(key, found, ROWS_CACHE_SECONDS)
    return found


def _entry_rows(
    request: HttpRequest,
    summary: selectors.DaySummary,
    page: rows.RowContext,
    *,
    favourite_ids: set[int],
    edit_forms: dict[int, Any],
    portions: dict[int, list],
) -> dict[str, list[SafeString]]:
    """Each meal's entry rows; an entry being edited gets its form from the day template."""
    if not edit_forms:
        starred = frozenset(e.food_id for e in summary.entries if e.food_id in favourite_ids)
        return _cached_rows(
            request,
            ("entries", page.day_iso, page.units, tuple(summary.entries), starred),
            lambda: _build_entry_rows(request, summary, page, favourite_ids, {}, portions),
        )
    return _build_entry_rows(request, summary, page, favourite_ids, edit_forms, portions)


def _build_entry_rows(
    request: HttpRequest,
    summary: selectors.DaySummary,
    page: rows.RowContext,
    favourite_ids: set[int],
    edit_forms: dict[int, Any],
    portions: dict[int, list],
    new_ids: frozenset[int] = frozenset(),
) -> dict[str, list[SafeString]]:
    by_meal: dict[str, list[SafeString]] = {}
    for meal in summary.meals:
        by_meal[meal.meal] = []
        for entry in meal.entries:
            edit_form = None
            if entry.pk in edit_forms:
                edit_form = render_to_string(
                    "diary/day.html#entry-edit-form",
                    {
                        "entry": entry,
                        "form": edit_forms[entry.pk],
                        "portions": portions.get(entry.food_id, []),
                        "edit_url": f"{page.edit_base}{entry.pk}/",
                        "day_url": reverse("diary:day", args=[summary.day]),
                        "meal_choices": Meal.choices,
                    },
                    request=request,
                )
            by_meal[meal.meal].append(
                rows.entry_row(
                    entry,
                    favourite=entry.food_id in favourite_ids,
                    page=page,
                    edit_form=edit_form,
                    new=entry.pk in new_ids,
                )
            )
    return by_meal


def _day_context(request: HttpRequest, day: date, **forms: Any) -> dict[str, Any]:
    user = request.user
    summary = selectors.day_summary(user=user, day=day)
    person = summary.person
    refused: Refused | None = forms.get("refused")
    query = clean_query(request.GET.get("q"), 100).strip()
    search_meal = request.GET.get("meal", "")
    if refused is not None and refused.query and refused.slot in Meal.values:
        query, search_meal = refused.query, refused.slot  # the search the add came from
    results = _search(query, user) if query and search_meal in Meal.values else []
    pick = pickers.pickers_for(user=user, person=person)
    recent, favourites = pick.recent, pick.favourites
    portions = dict(pick.portions)
    # The saved budget, unless the address tries another one (`?carbs=`).
    carbs = _decimal_param(request.GET.get("carbs"))
    if carbs is None:
        carbs = person.net_carbs_budget_g
    candidates = []
    if summary.remaining_mg > 0:
        gap = pickers.gap_foods()
        portions.update(gap.portions)
        candidates = selectors.gap_candidates(user=user, favourites=favourites, generic=gap.foods)
    edit_forms = forms.get("edit_forms", {})
    # Portions the cached pickers do not hold (search results, an entry being edited), in
    # one query.
    missing = {e.food_id for e in summary.entries if e.pk in edit_forms}
    missing |= {f.pk for f in results}
    missing -= portions.keys()
    if missing:
        portions.update(selectors.portions_by_food(food_ids=missing))
    suggestions = selectors.gap_suggestions(
        user=user,
        remaining_mg=summary.remaining_mg,
        net_carbs_budget_g=carbs,
        candidates=candidates,
        portions=portions,
    )
    supplements = pick.supplements
    today = selectors.today_for(user=user, person=person)
    favourite_ids = {f.pk for f in favourites}
    page = _row_context(request, day, person.units)
    entry_rows = _entry_rows(
        request,
        summary,
        page,
        favourite_ids=favourite_ids,
        edit_forms=edit_forms,
        portions=portions,
    )
    quick = favourites + [f for f in recent if f.pk not in favourite_ids]
    add_form, add_meal = forms.get("add_form"), forms.get("add_meal")
    return {
        "day": day,
        "today": today,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "summary": summary,
        "bar": charts.day_bar(summary),
        "meals": [
            {
                "key": meal.meal,
                "label": meal.label,
                "label_lower": meal.label.lower(),
                "magnesium_text": mg(meal.magnesium_mg),
                "rows": entry_rows[meal.meal],
                "results": _add_rows(
                    results, portions, meal.meal, page, query=query, refused=refused
                )
                if meal.meal == search_meal
                else [],
                "query": query if meal.meal == search_meal else "",
                "add_form": add_form if add_meal == meal.meal else None,
                # The refused add's error, when its row is not among the results shown.
                "add_error": refused.typed.messages
                if refused is not None
                and add_meal == meal.meal
                and not (meal.meal == search_meal and refused.food_id in {f.pk for f in results})
                and refused.slot != "quick"
                else None,
                "total_id": f"meal-total-{meal.meal}",
            }
            for meal in summary.meals
        ],
        "searched": bool(query),
        "quick_rows": _add_rows(quick, portions, "", page, pick.unit_options, refused=refused)
        if refused is not None and refused.slot == "quick"
        else _cached_rows(
            request,
            ("quick", page.day_iso, page.units, tuple(quick), person.revision),
            lambda: _add_rows(quick, portions, "", page, pick.unit_options),
        ),
        "day_url": reverse("diary:day", args=[day]),
        # Panels of the apps above (a dietitian's notes, from the clinic).
        "panels": registry.collect(
            "diary.day_page", request, user=user, day=day, revision=person.revision
        ),
        "search_url": reverse("diary:search", args=[day]),
        "add_url": page.add_url,
        "suggestions": suggestions,
        "units": person.units,
        "carbs": carbs,
        "supplements": supplements,
        "dose_form": forms.get("dose_form") or DoseForm(supplements=supplements),
        "supplement_form": forms.get("supplement_form") or SupplementForm(),
        "meal_choices": Meal.choices,
        "nutrients": [
            (name, unit, summary.nutrients.get(key))
            for key, (name, unit) in selectors.OTHER_NUTRIENTS.items()
        ],
        "contributors": summary.top_contributors(),
        # Every name the template and its partials read, so none is looked up in vain
        # (a missing variable costs an exception and a log call each time).
        "copy": forms.get("copy") or _NO_COPY,
        "oob": False,
        "new_doses": frozenset(),
        "carb_error": forms.get("carb_error"),
        "carb_budget_url": reverse("diary:carb-budget", args=[day]),
        "ul_source": UL_SOURCE,
        "undo_url": reverse("diary:undo"),
    }


_NO_COPY = {"form": None, "ask": None, "error": None}


def _render_day(request: HttpRequest, day: date, status: int = 200, **forms: Any) -> HttpResponse:
    context = _day_context(request, day, **forms)
    context["status"] = _status_after_redirect(request, day) or (
        {"text": forms["flash"]} if forms.get("flash") else None
    )
    context["autofocus_meal"] = forms.get("autofocus_meal")
    return render(request, "diary/day.html", context, status=status)


UNDO_SESSION_KEY = "diary:undo"


def _status_after_redirect(request: HttpRequest, day: date) -> dict[str, str] | None:
    """Without JavaScript a change redirects to its day, which says what was done and offers
    to undo it, once (the session carries it; read only when it is there)."""
    if UNDO_SESSION_KEY not in request.session:
        return None
    status = request.session.pop(UNDO_SESSION_KEY)
    return status if status.get("day") == day.isoformat() else None


def _partial(request: HttpRequest) -> bool:
    """An htmx request made by one of the day's own forms (not a boosted page load)."""
    return bool(request.htmx) and not request.htmx.boosted


def _changes(
    request: HttpRequest,
    day: date,
    text: str,
    *,
    token: str | None = None,
    new_ids: frozenset[int] = frozenset(),
    new_doses: frozenset[int] = frozenset(),
) -> HttpResponse:
    """After a change made over htmx: only what it changes, each part swapped out of band
    (every meal's entries and total, the summary with its warnings, the supplements, other
    nutrients, top sources, the foods that close the gap) and the confirmation with its Undo.
    The form that asked stays as it is (`HX-Reswap: none`), so focus, scroll and what was
    typed stay too. It reads the day and the favourites (one query), not the page's pickers."""
    user = request.user
    summary = selectors.day_summary(user=user, day=day)
    favourites = selectors.favourite_foods(user=user)  # the rows' stars, and the gap's foods
    starred = {f.pk for f in favourites}
    suggestions = []
    carbs = summary.person.net_carbs_budget_g
    if summary.remaining_mg > 0:
        gap = pickers.gap_foods()
        portions = dict(gap.portions)
        missing = starred - portions.keys()
        if missing:
            portions.update(selectors.portions_by_food(food_ids=missing))
        suggestions = selectors.gap_suggestions(
            user=user,
            remaining_mg=summary.remaining_mg,
            net_carbs_budget_g=carbs,
            candidates=selectors.gap_candidates(
                user=user, favourites=favourites, generic=gap.foods
            ),
            portions=portions,
        )
    page = _row_context(request, day, summary.person.units)
    entry_rows = _build_entry_rows(request, summary, page, starred, {}, {}, new_ids)
    context = {
        "day": day,
        "summary": summary,
        "bar": charts.day_bar(summary),
        "meals": [
            {
                "key": meal.meal,
                "magnesium_text": mg(meal.magnesium_mg),
                "rows": entry_rows[meal.meal],
                "total_id": f"meal-total-{meal.meal}",
            }
            for meal in summary.meals
        ],
        "nutrients": [
            (name, unit, summary.nutrients.get(key))
            for key, (name, unit) in selectors.OTHER_NUTRIENTS.items()
        ],
        "contributors": summary.top_contributors(),
        "suggestions": suggestions,
        "carbs": carbs,
        "carb_budget_url": reverse("diary:carb-budget", args=[day]),
        "add_url": page.add_url,
        "units": summary.person.units,
        "new_doses": new_doses,
        "status": {"text": text, "token": token},
        "undo_url": reverse("diary:undo"),
        "oob": True,
    }
    response = render(request, "diary/day.html#changes", context)
    response["HX-Reswap"] = "none"
    return response


def _done(
    request: HttpRequest,
    day: date,
    text: str,
    *,
    anchor: str = "",
    meal: str | None = None,
    token: str | None = None,
    new_ids: frozenset[int] = frozenset(),
    new_doses: frozenset[int] = frozenset(),
) -> HttpResponse:
    """After a change: the day's own htmx forms get the parts that changed; a boosted form
    the fresh day in place (the URL stays the day's); a plain form post is redirected back to
    the day, with the message (and the Undo, when there is one) shown there."""
    if token is not None and _partial(request):
        return _changes(request, day, text, token=token, new_ids=new_ids, new_doses=new_doses)
    if token is not None and not request.htmx:
        request.session[UNDO_SESSION_KEY] = {"text": text, "token": token, "day": day.isoformat()}
        return redirect(_day_url(day, anchor))
    if request.htmx:
        response = _render_day(request, day, flash=text, autofocus_meal=meal)
        response["HX-Push-Url"] = "false"
        return response
    messages.success(request, text)
    return redirect(_day_url(day, anchor))


@verified_email_required
@require_safe
def today(request: HttpRequest) -> HttpResponse:
    """Today in the person's own time zone; `?date=` from the date picker jumps to a day."""
    picked = request.GET.get("date")
    if picked:
        try:
            return redirect("diary:day", day=dates.parse_day(picked))
        except dates.DayError as exc:
            messages.error(request, str(exc))
    return _render_day(request, selectors.today_for(user=request.user))


@verified_email_required
@require_safe
def day_view(request: HttpRequest, day: date) -> HttpResponse:
    return _render_day(request, day)


@verified_email_required
@require_safe
def search(request: HttpRequest, day: date) -> HttpResponse:
    """Search results for one meal's add row: the htmx fragment, or the day page without JS."""
    if not request.htmx:
        return _render_day(request, day)
    query = clean_query(request.GET.get("q"), 100).strip()
    meal = request.GET.get("meal", "")
    if meal not in Meal.values:
        raise Http404
    foods = _search(query, request.user) if query else []
    portions = selectors.portions_by_food(food_ids={f.pk for f in foods}) if foods else {}
    units = selectors.units_for(request.user) if foods else "metric"
    return render(
        request,
        "diary/day.html#search-results",
        {
            "results": _add_rows(foods, portions, meal, _row_context(request, day, units)),
            "query": query,
        },
    )


@verified_email_required
@require_POST
def entry_add(request: HttpRequest, day: date) -> HttpResponse:
    return _add_entry(request, day)


def _refused(exc: ValidationError) -> int:
    """The status of a page showing a service's refusal: 429 for too many at once."""
    return 429 if isinstance(exc, RateLimited) else 400


def _add_entry(request: HttpRequest, day: date) -> HttpResponse:
    form, status = EntryForm(request.POST), 400
    if form.is_valid():
        try:
            entry = services.diary_entry_create(
                user=request.user,
                day=day,
                meal=form.cleaned_data["meal"],
                food_id=form.cleaned_data["food"],
                **form.service_amount(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
            status = _refused(exc)
        else:
            return _done(
                request,
                day,
                f"Added {entry.food.name} to {entry.get_meal_display().lower()}.",
                anchor=f"meal-{entry.meal}",
                meal=entry.meal,
                token=services.undo_token(
                    user=request.user, action=services.ENTRY_ADDED, row=entry
                ),
                new_ids=frozenset({entry.pk}),
            )
    refused = _refused_add(request, form)
    if _partial(request):
        return _refused_row(request, day, refused, status)
    meal = refused.typed.meal or "snack"
    return _render_day(request, day, status=status, add_form=form, add_meal=meal, refused=refused)


def _refused_row(request: HttpRequest, day: date, refused: Refused, status: int) -> HttpResponse:
    """Over htmx, a refused add swaps back only its own row: what was typed, and the error
    beside the amount. Without a row to show it in (a food no longer there, a suggestion) the
    error goes to the day's status line, which is always in view."""
    food = (
        selectors.addable_food(user=request.user, pk=refused.food_id)
        if refused.food_id is not None and refused.slot != "gap"
        else None
    )
    if food is None:
        response = render(
            request,
            "diary/day.html#status-line",
            {"status": {"text": " ".join(refused.typed.messages), "error": True}},
            status=status,
        )
        response["HX-Retarget"] = "#day-status"
        response["HX-Reswap"] = "innerHTML"
        return response
    portions = selectors.portions_by_food(food_ids={food.pk}).get(food.pk, [])
    row = rows.add_food_row(
        food,
        portions,
        meal="" if refused.slot == "quick" else refused.slot,
        page=_row_context(request, day, selectors.person_for(user=request.user).units),
        query=refused.query,
        typed=refused.typed,
    )
    return HttpResponse(row, status=status)


@verified_email_required
@require_POST
def entry_add_today(request: HttpRequest) -> HttpResponse:
    """Add to today's diary (in the person's time zone) from outside it, e.g. a food page."""
    return _add_entry(request, selectors.today_for(user=request.user))


def _own_entry(request: HttpRequest, pk: int) -> DiaryEntry:
    try:
        return selectors.entry_for(user=request.user, pk=pk)
    except DiaryEntry.DoesNotExist as exc:
        raise Http404 from exc


@verified_email_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The entry's day with its edit form open (htmx swaps just that row in)."""
    entry = _own_entry(request, pk)
    if request.method == "GET":
        return _render_day(request, entry.date, edit_forms={entry.pk: EntryEditForm()})
    form = EntryEditForm(request.POST)
    if form.is_valid():
        before = services.undo_token(user=request.user, action=services.ENTRY_CHANGED, row=entry)
        try:
            services.diary_entry_update(
                user=request.user,
                entry=entry,
                meal=form.cleaned_data["meal"],
                **form.service_amount(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return _done(
                request,
                entry.date,
                f"Updated {entry.food.name}.",
                anchor=f"entry-{entry.pk}",
                token=before,
                new_ids=frozenset({entry.pk}),
            )
    if _partial(request):
        return _edit_row(request, entry, form)
    return _render_day(request, entry.date, status=400, edit_forms={entry.pk: form})


def _edit_row(request: HttpRequest, entry: DiaryEntry, form: EntryEditForm) -> HttpResponse:
    """Over htmx, a refused edit swaps back only its row, with the form as it was sent."""
    summary = selectors.day_summary(user=request.user, day=entry.date)
    page = _row_context(request, entry.date, summary.person.units)
    portions = selectors.portions_by_food(food_ids={entry.food_id})
    starred = selectors.favourite_ids(user=request.user, food_ids={entry.food_id})
    by_meal = _build_entry_rows(request, summary, page, starred, {entry.pk: form}, portions)
    marker = f'id="entry-{entry.pk}"'
    row = next(r for meal_rows in by_meal.values() for r in meal_rows if marker in r)
    return HttpResponse(row, status=400)


@verified_email_required
@require_POST
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    day, name, meal = entry.date, entry.food.name, entry.meal
    # The values to bring back, taken before the row (and its id) goes.
    token = services.undo_token(user=request.user, action=services.ENTRY_DELETED, row=entry)
    services.diary_entry_delete(user=request.user, entry=entry)
    return _done(request, day, f"Removed {name}.", anchor=f"meal-{meal}", meal=meal, token=token)


@verified_email_required
@require_POST
def undo(request: HttpRequest) -> HttpResponse:
    """Undo the change a confirmation offered to undo: once, and only its owner's."""
    try:
        undone = services.undo(user=request.user, token=request.POST.get("token", ""))
    except services.UndoNotFound:
        raise Http404 from None
    except ValidationError as exc:
        text = " ".join(exc.messages)
        if _partial(request):
            response = render(
                request,
                "diary/day.html#status-line",
                {"status": {"text": text, "error": True}},
                status=400,
            )
            response["HX-Retarget"] = "#day-status"
            response["HX-Reswap"] = "innerHTML"
            return response
        messages.error(request, text)
        return redirect("diary:today")
    text = UNDONE_TEXT[undone.action]
    removed = undone.action in (services.ENTRY_ADDED, services.DOSE_ADDED)
    if _partial(request):
        back = frozenset() if removed else frozenset({undone.pk})
        if undone.action.startswith("dose"):
            return _changes(request, undone.day, text, new_doses=back)
        return _changes(request, undone.day, text, new_ids=back)
    messages.success(request, text)
    if undone.action.startswith("dose"):
        anchor = "supplements"
    else:
        anchor = "" if removed else f"entry-{undone.pk}"
    return redirect(_day_url(undone.day, anchor))


UNDONE_TEXT = {
    services.ENTRY_ADDED: "Undone: the entry is removed.",
    services.ENTRY_CHANGED: "Undone: the entry is back as it was.",
    services.ENTRY_DELETED: "Undone: the entry is back.",
    services.DOSE_ADDED: "Undone: the dose is removed.",
    services.DOSE_DELETED: "Undone: the dose is back.",
}


def _day_words(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def copied_message(copied: services.Copied, source_day: date) -> str:
    """What a copy did, in words: new entries and doses, and any left out as copied before."""
    source = _day_words(source_day)
    if not copied.entries and not copied.doses:
        return f"Nothing new to copy: everything from {source} is here already."
    made = []
    if copied.entries:
        made.append(_count(len(copied.entries), "entry", "entries"))
    if copied.doses:
        made.append(_count(len(copied.doses), "supplement dose", "supplement doses"))
    text = f"Copied {' and '.join(made)} from {source}."
    left = copied.already + copied.doses_already
    if left:
        text += f" {left} were here already and were not copied again."
    return text


@verified_email_required
@require_POST
def copy(request: HttpRequest, day: date) -> HttpResponse:
    """Copy an earlier day (or one meal of it, with its supplements if asked) into this day.
    A source copied here before is not copied again until the person confirms (`again`)."""
    form = CopyForm(request.POST)
    if not form.is_valid():
        error = next(iter(form.errors.get("source_day", [])), "Choose what to copy.")
        return _render_day(request, day, status=400, copy={"form": form, "error": error})
    data = form.cleaned_data
    try:
        copied = services.diary_copy(
            user=request.user,
            source_day=data["source_day"],
            target_day=day,
            meal=data["meal"] or None,
            include_supplements=data["include_supplements"],
            again=data["again"],
        )
    except ValidationError as exc:
        copy_state = {"form": form, "error": " ".join(exc.messages)}
        return _render_day(request, day, status=_refused(exc), copy=copy_state)
    if copied.asks_again:
        when = selectors.local_time(user=request.user, moment=copied.copied_before_at)
        question = {
            "nothing_new": copied_message(copied, data["source_day"]),
            "copied_on": f"{_day_words(when.date())} at {when:%H:%M}",
            "source_day": data["source_day"],
            "meal": data["meal"],
            "include_supplements": data["include_supplements"],
        }
        return _render_day(request, day, copy={"form": form, "ask": question})
    return _done(request, day, copied_message(copied, data["source_day"]))


@verified_email_required
@require_POST
def favourite(request: HttpRequest, food_id: int) -> HttpResponse:
    wanted = request.POST.get("favourite") == "1"
    try:
        services.favourite_set(user=request.user, food_id=food_id, favourite=wanted)
    except ValidationError as exc:
        raise Http404 from exc
    try:
        back = dates.parse_day(request.POST.get("day"))
    except dates.DayError:  # the button outside a day page (a food page) sends none
        back = selectors.today_for(user=request.user)
    return _done(request, back, "Added to favourites." if wanted else "Removed from favourites.")


@verified_email_required
@require_POST
def carb_budget(request: HttpRequest, day: date) -> HttpResponse:
    """Save (or, when empty, clear) the net carbohydrate budget for gap suggestions."""
    raw = request.POST.get("carbs", "").strip()
    try:
        budget = Decimal(raw) if raw else None
    except InvalidOperation:
        budget = Decimal("NaN")
    if budget is not None and not budget.is_finite():
        return _render_day(
            request, day, status=400, carb_error="Enter a number of grams, such as 30."
        )
    try:
        services.net_carbs_budget_set(user=request.user, grams=budget)
    except ValidationError as exc:
        return _render_day(request, day, status=400, carb_error=" ".join(exc.messages))
    text = (
        f"Suggestions now stay within {plain(budget)} g of net carbohydrate."
        if budget is not None
        else "Suggestions have no carbohydrate limit now."
    )
    return _done(request, day, text, anchor="gap-title")


@verified_email_required
@require_POST
def dose_add(request: HttpRequest, day: date) -> HttpResponse:
    supplements = list(selectors.current_supplements(user=request.user))
    form, status = DoseForm(request.POST, supplements=supplements), 400
    if form.is_valid():
        try:
            intake = services.supplement_intake_create(
                user=request.user,
                day=day,
                supplement_id=form.cleaned_data["supplement"],
                units=form.cleaned_data["units"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
            status = _refused(exc)
        else:
            return _done(
                request,
                day,
                f"Logged {mg(intake.magnesium_mg)} mg of magnesium from supplements.",
                anchor="supplements",
                token=services.undo_token(
                    user=request.user, action=services.DOSE_ADDED, row=intake
                ),
                new_doses=frozenset({intake.pk}),
            )
    if _partial(request):  # only the form, with the errors beside its fields
        return render(
            request,
            "diary/day.html#dose-form",
            {"day": day, "supplements": supplements, "dose_form": form},
            status=status,
        )
    return _render_day(request, day, status=status, dose_form=form)


@verified_email_required
@require_POST
def dose_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        intake = selectors.intake_for(user=request.user, pk=pk)
    except SupplementIntake.DoesNotExist:
        raise Http404 from None
    day = intake.date
    token = services.undo_token(user=request.user, action=services.DOSE_DELETED, row=intake)
    services.supplement_intake_delete(user=request.user, intake=intake)
    return _done(
        request,
        day,
        f"Removed the dose of {intake.supplement.name}.",
        anchor="supplements",
        token=token,
    )


@verified_email_required
@require_POST
def supplement_add(request: HttpRequest, day: date) -> HttpResponse:
    form = SupplementForm(request.POST)
    if form.is_valid():
        try:
            supplement = services.supplement_create(user=request.user, **form.service_values())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return _done(
                request,
                day,
                f"Saved {supplement.name}: {supplement.elemental_mg_per_unit} mg of magnesium "
                "per unit.",
                anchor="supplements",
            )
    return _render_day(request, day, status=400, supplement_form=form)


@verified_email_required
@require_http_methods(["GET", "POST"])
def supplements(request: HttpRequest) -> HttpResponse:
    """The person's supplement products, with the facts about each form."""
    if request.method == "POST" and "starter" in request.POST:
        return _add_starter(request)
    form = SupplementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            supplement = services.supplement_create(user=request.user, **form.service_values())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Saved {supplement.name}.")
            return redirect("diary:supplements")
    forms_table = [
        {
            "label": label,
            "percent": percent,
            "basis": basis,
            "laxative": form_key in LAXATIVE_FORMS,
            "better_absorbed": form_key in BETTER_ABSORBED_FORMS,
        }
        for form_key, (percent, label, basis) in ELEMENTAL_PERCENT.items()
    ]
    person = selectors.person_for(user=request.user)
    today = selectors.today_for(user=request.user, person=person)
    # Kidney function today, from the health record (one query), as the dose form says it.
    egfr = health.egfr_on(user=request.user, day=today)
    context = {
        "form": form,
        "starters": STARTER_SUPPLEMENTS,
        "starter_source": STARTER_SOURCE,
        "supplements": selectors.current_supplements(user=request.user),
        "forms_table": forms_table,
        "elemental_source": ELEMENTAL_SOURCE,
        "today": today,
        "caution": selectors.supplement_caution(egfr=egfr, kidney=person.kidney_disease),
        "note": selectors.egfr_note(egfr),
    }
    return render(request, "diary/supplements.html", context, status=400 if form.errors else 200)


def _add_starter(request: HttpRequest) -> HttpResponse:
    """One tap on the starter list: the product joins the person's list (once)."""
    try:
        supplement, created = services.supplement_from_starter(
            user=request.user, code=request.POST.get("starter")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('diary:supplements')}#starters-title")
    if created:
        messages.success(
            request,
            f"Saved {supplement.name}: {plain(supplement.elemental_mg_per_unit)} mg of magnesium "
            "per unit.",
        )
    else:
        messages.info(request, f"{supplement.name} is on your list already.")
    return redirect("diary:supplements")


@verified_email_required
@require_POST
def supplement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        supplement = selectors.supplement_for(user=request.user, pk=pk)
    except Supplement.DoesNotExist:
        raise Http404 from None
    services.supplement_delete(user=request.user, supplement=supplement)
    messages.success(request, f"Removed {supplement.name} from your list.")
    return redirect("diary:supplements")
