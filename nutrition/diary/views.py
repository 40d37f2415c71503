"""The diary pages. Every action is a plain form post that redirects back to the day; htmx
enhances the same forms in place. The services are the ones the API uses."""

import hashlib
from collections.abc import Callable
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
) -> list[SafeString]:
    options = options or {}
    return [
        rows.add_food_row(
            f, portions.get(f.pk, []), meal=meal, page=page, options=options.get(f.pk)
        )
        for f in foods
    ]


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
                )
            )
    return by_meal


def _day_context(request: HttpRequest, day: date, **forms: Any) -> dict[str, Any]:
    user = request.user
    summary = selectors.day_summary(user=user, day=day)
    person = summary.person
    query = clean_query(request.GET.get("q"), 100).strip()
    search_meal = request.GET.get("meal", "")
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
                "results": _add_rows(results, portions, meal.meal, page)
                if meal.meal == search_meal
                else [],
                "query": query if meal.meal == search_meal else "",
                "add_form": add_form if add_meal == meal.meal else None,
            }
            for meal in summary.meals
        ],
        "searched": bool(query),
        "quick_rows": _cached_rows(
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
        "copy_error": forms.get("copy_error"),
        "carb_error": forms.get("carb_error"),
        "carb_budget_url": reverse("diary:carb-budget", args=[day]),
        "ul_source": UL_SOURCE,
    }


def _render_day(request: HttpRequest, day: date, status: int = 200, **forms: Any) -> HttpResponse:
    context = _day_context(request, day, **forms)
    context["flash"] = forms.get("flash")
    context["autofocus_meal"] = forms.get("autofocus_meal")
    return render(request, "diary/day.html", context, status=status)


def _done(
    request: HttpRequest, day: date, text: str, *, anchor: str = "", meal: str | None = None
) -> HttpResponse:
    """After a change: htmx gets the fresh day in place (the URL stays the day's); a plain
    form post is redirected back to the day, with the message shown there."""
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
            )
    meal = request.POST.get("meal") if request.POST.get("meal") in Meal.values else "snack"
    return _render_day(request, day, status=status, add_form=form, add_meal=meal)


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
                request, entry.date, f"Updated {entry.food.name}.", anchor=f"entry-{entry.pk}"
            )
    return _render_day(request, entry.date, status=400, edit_forms={entry.pk: form})


@verified_email_required
@require_POST
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    day, name, meal = entry.date, entry.food.name, entry.meal
    services.diary_entry_delete(user=request.user, entry=entry)
    return _done(request, day, f"Removed {name}.", anchor=f"meal-{meal}", meal=meal)


def copied_message(copied: services.Copied, source_day: date) -> str:
    """What a copy did, in words: new entries, and any left out as copied before."""
    source = f"{source_day:%A} {source_day.day} {source_day:%B}"
    if not copied.entries:
        return f"Nothing new to copy: everything from {source} is here already."
    text = f"Copied {len(copied.entries)} entries from {source}."
    if copied.already:
        text += f" {copied.already} were here already and were not copied again."
    return text


@verified_email_required
@require_POST
def copy(request: HttpRequest, day: date) -> HttpResponse:
    """Copy yesterday (or another day), whole or one meal, into this day."""
    form = CopyForm(request.POST)
    if form.is_valid():
        meal = form.cleaned_data["meal"] or None
        try:
            copied = services.diary_copy(
                user=request.user,
                source_day=form.cleaned_data["source_day"],
                target_day=day,
                meal=meal,
            )
        except ValidationError as exc:
            return _render_day(
                request, day, status=_refused(exc), copy_error=" ".join(exc.messages)
            )
        return _done(request, day, copied_message(copied, form.cleaned_data["source_day"]))
    out_of_range = form.has_error("source_day", code="out_of_range")
    error = dates.OUT_OF_RANGE if out_of_range else "Choose a day to copy from."
    return _render_day(request, day, status=400, copy_error=error)


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
    services.supplement_intake_delete(user=request.user, intake=intake)
    return _done(request, day, "Removed the dose.", anchor="supplements")


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
        "supplements": selectors.current_supplements(user=request.user),
        "forms_table": forms_table,
        "elemental_source": ELEMENTAL_SOURCE,
        "today": today,
        "caution": selectors.supplement_caution(egfr=egfr, kidney=person.kidney_disease),
        "note": selectors.egfr_note(egfr),
    }
    return render(request, "diary/supplements.html", context, status=400 if form.errors else 200)


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
