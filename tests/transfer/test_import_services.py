"""The importer's services: preview, a change of match, commit and undo, through the diary's and
the health record's services (so their rules hold for imported rows)."""

import hashlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mgsite.limits import RateLimited
from nutrition import amounts
from nutrition.diary import selectors as diary_selectors
from nutrition.diary import services as diary_services
from nutrition.diary.models import DiaryEntry
from nutrition.health.models import LabResult, Source
from nutrition.transfer import formats, services
from nutrition.transfer.models import Import, ImportRow, Kind, Status, WeightFrom
from tests.diary.factories import DiaryEntryFactory, FoodFactory, PortionFactory
from tests.transfer.helpers import (
    BIOMETRICS_HEADER,
    MYFITNESSPAL_HEADER,
    NO_MAGNESIUM_HEADER,
    servings,
)

DAY = date(2026, 3, 2)


@pytest.fixture
def oats(db):
    food = FoodFactory(
        name="Oats, rolled, dry",
        magnesium_mg_per_100g=Decimal("138"),
        energy_kcal_per_100g=Decimal("379"),
    )
    PortionFactory(food=food, seq=1, amount=1, description="cup", gram_weight=81)
    return food


@pytest.fixture
def almonds(db):
    return FoodFactory(name="Almonds, raw", magnesium_mg_per_100g=Decimal("270"))


def preview(user, text: str, **extra) -> Import:
    return services.import_preview(owner=user, content=text.encode(), file_name="f.csv", **extra)


def parsed_file(*foods: formats.FoodLine) -> formats.ParsedFile:
    return formats.ParsedFile(
        format=formats.CRONOMETER_SERVINGS, foods=list(foods), rows=len(foods)
    )


def test_a_preview_adds_nothing_and_keeps_the_files_figure_exactly(user, oats):
    text = servings(
        '2026-03-02,,Breakfast,"Oats, Rolled, Dry",80.00 g,303.20,110.37,Cereal Grains',
        "2026-03-02,,Lunch,Unheard-of Food,1.00 each,10,5.00,",
    )
    batch = preview(user, text)
    assert batch.status == Status.PREVIEW and batch.rows_read == 2
    assert DiaryEntry.objects.count() == 0
    oat_row, unknown = ImportRow.objects.filter(batch=batch).order_by("line")
    assert oat_row.food_id == oats.pk and oat_row.meal == "breakfast"
    assert oat_row.grams == Decimal("80.00") and oat_row.weight_from == WeightFrom.FILE
    assert oat_row.file_magnesium_mg == Decimal("110.37") and not oat_row.estimated
    assert unknown.food_id is None and unknown.meal == "lunch"
    assert batch.sha256 == hashlib.sha256(text.encode()).hexdigest()


def test_each_distinct_name_is_searched_once(user, oats, django_assert_max_num_queries):
    rows = [f"2026-03-{d:02d},,Breakfast,Oats rolled dry,40.00 g,150,55.2," for d in range(1, 29)]
    parsed = formats.parse(servings(*rows))
    # Whatever the number of rows of one name: one search, the portions, the rows' insert.
    with django_assert_max_num_queries(12):
        services.preview_parsed(owner=user, parsed=parsed, sha256="a" * 64)
    assert ImportRow.objects.filter(food=oats).count() == 28


def test_household_amounts_weigh_by_the_matched_foods_portion_or_energy(user, oats):
    batch = services.preview_parsed(
        owner=user,
        sha256="b" * 64,
        parsed=parsed_file(
            formats.FoodLine(2, DAY, "Breakfast", "Oats, rolled", "0.50 cups", None, None),
            formats.FoodLine(
                3, DAY, "Lunch", "Oats, rolled", "1.00 full recipe", None, None, Decimal("758")
            ),
            formats.FoodLine(4, DAY, "Dinner", "Oats, rolled", "1.00 bowl", None, None),
        ),
    )
    cup, recipe, bowl = ImportRow.objects.filter(batch=batch).order_by("line")
    # The diary's arithmetic: 0.5 of a cup of 81 g.
    assert (cup.grams, cup.quantity, cup.weight_from) == (
        Decimal("40.50"),
        Decimal("0.500"),
        "portion",
    )
    # 758 kcal of a food of 379 kcal per 100 g.
    assert (recipe.grams, recipe.weight_from) == (Decimal("200.00"), "energy")
    assert bowl.grams is None and "No weight" in bowl.reason
    assert cup.magnesium_exact(oats.magnesium_mg_per_100g) == Decimal("55.89")


def test_commit_adds_entries_through_the_diary_with_the_files_figure(user, oats, almonds):
    batch = preview(
        user,
        servings(
            '2026-03-02,,Breakfast,"Oats, Rolled, Dry",80.00 g,303.2,110.37,',
            '2026-03-02,,Snacks,"Almonds, Raw",20.00 g,116,,',
            "2026-03-02,,Dinner,Unheard-of Food,1.00 each,10,5.00,",
        ),
    )
    batch = services.import_commit(owner=user, batch_id=batch.pk)
    assert batch.status == Status.COMMITTED and batch.entries_added == 2
    by_food = {e.food_id: e for e in DiaryEntry.objects.filter(user=user)}
    oat_entry, almond_entry = by_food[oats.pk], by_food[almonds.pk]
    assert oat_entry.recorded_magnesium_mg == Decimal("110.37")
    assert oat_entry.magnesium_mg == Decimal("110.4")
    assert oat_entry.origin_note == "imported from Cronometer"
    # No figure in the file for almonds: estimated from the food (20 g × 270 mg / 100 g).
    assert almond_entry.recorded_magnesium_mg is None and almond_entry.estimated
    assert almond_entry.magnesium_mg == Decimal("54.0")
    assert almond_entry.origin_note == "estimated (matched by name from Cronometer)"
    day = diary_selectors.day_summary(user=user, day=DAY)
    assert day.food_mg == Decimal("164.4")  # 110.4 at breakfast + 54.0 in snacks
    assert ImportRow.objects.get(batch=batch, line=2).entry_id == oat_entry.pk


def test_the_same_file_adds_nothing_the_second_time(user, oats):
    text = servings("2026-03-02,,Breakfast,Oats rolled,80.00 g,303.2,110.37,")
    first = services.import_commit(owner=user, batch_id=preview(user, text).pk)
    second = preview(user, text)
    with pytest.raises(ValidationError, match="importing it again adds nothing"):
        services.import_commit(owner=user, batch_id=second.pk)
    assert DiaryEntry.objects.filter(user=user).count() == 1
    second.refresh_from_db()
    assert second.status == Status.PREVIEW
    # Once undone, the same file may come in again.
    services.import_undo(owner=user, batch_id=first.pk)
    services.import_commit(owner=user, batch_id=second.pk)
    assert DiaryEntry.objects.filter(user=user).count() == 1


def test_undo_removes_exactly_what_the_import_added(user, oats):
    mine = DiaryEntryFactory(user=user, date=DAY, food=oats, grams=50)
    before = diary_selectors.day_summary(user=user, day=DAY)
    batch = preview(user, servings("2026-03-02,,Lunch,Oats rolled,80.00 g,303.2,110.37,"))
    services.import_commit(owner=user, batch_id=batch.pk)
    assert DiaryEntry.objects.filter(user=user).count() == 2
    undone = services.import_undo(owner=user, batch_id=batch.pk)
    assert undone.status == Status.UNDONE and undone.undone_at is not None
    assert list(DiaryEntry.objects.filter(user=user)) == [mine]
    after = diary_selectors.day_summary(user=user, day=DAY)
    assert after.entries == before.entries and after.food_mg == before.food_mg
    assert services.import_undo(owner=user, batch_id=batch.pk).status == Status.UNDONE


def test_undoing_a_preview_discards_it(user, oats):
    batch = preview(user, servings("2026-03-02,,Lunch,Oats rolled,80.00 g,303.2,110.37,"))
    assert services.import_undo(owner=user, batch_id=batch.pk) is None
    assert not Import.objects.exists() and not ImportRow.objects.exists()


def test_a_day_over_its_limit_refuses_the_whole_commit(user, oats, monkeypatch):
    monkeypatch.setattr(diary_services, "MAX_ENTRIES_PER_DAY", 3)
    DiaryEntryFactory(user=user, date=DAY, food=oats, grams=10)
    rows = [f"2026-03-0{d},,Lunch,Oats rolled,10.00 g,37,13.8," for d in (1, 2, 2, 2)]
    batch = preview(user, servings(*rows))
    with pytest.raises(ValidationError, match="2026-03-02 has 1, and this would add 3"):
        services.import_commit(owner=user, batch_id=batch.pk)
    assert DiaryEntry.objects.filter(user=user).count() == 1
    batch.refresh_from_db()
    assert batch.status == Status.PREVIEW and not ImportRow.objects.filter(entry__isnull=False)


def test_an_import_is_not_held_by_the_per_minute_limit(user, oats):
    rows = [f"2026-03-{d:02d},,Lunch,Oats rolled,10.00 g,37,13.8," for d in range(1, 29)] * 3
    batch = preview(user, servings(*rows))
    assert batch.food_rows == 84 > diary_services.MAX_NEW_ENTRIES_PER_MINUTE
    services.import_commit(owner=user, batch_id=batch.pk)
    assert DiaryEntry.objects.filter(user=user).count() == 84


def test_changing_a_match_changes_every_row_of_that_name(user, oats, almonds):
    batch = preview(
        user,
        servings(
            "2026-03-02,,Lunch,Nutty thing,20.00 g,100,,",
            "2026-03-03,,Lunch,Nutty thing,40.00 g,200,,",
        ),
    )
    first, second = ImportRow.objects.filter(batch=batch).order_by("line")
    services.import_row_update(owner=user, batch_id=batch.pk, row_id=first.pk, food_id=almonds.pk)
    assert set(ImportRow.objects.filter(batch=batch).values_list("food_id", flat=True)) == {
        almonds.pk
    }
    services.import_row_update(owner=user, batch_id=batch.pk, row_id=second.pk, grams="55")
    second.refresh_from_db()
    assert (second.grams, second.weight_from) == (Decimal("55.00"), "person")
    with pytest.raises(ValidationError) as refused:
        services.import_row_update(
            owner=user, batch_id=batch.pk, row_id=first.pk, food_id=999999, grams="0"
        )
    assert set(refused.value.message_dict) == {"food", "grams"}
    services.import_row_update(owner=user, batch_id=batch.pk, row_id=first.pk, food_id=None)
    assert not ImportRow.objects.filter(batch=batch, food__isnull=False).exists()


def test_another_persons_private_food_cannot_be_matched(user, other_user, oats):
    theirs = FoodFactory(name="Secret oats", owner=other_user)
    batch = preview(user, servings("2026-03-02,,Lunch,Oats rolled,80.00 g,303.2,110.37,"))
    row = ImportRow.objects.get(batch=batch)
    with pytest.raises(ValidationError, match="Choose a food"):
        services.import_row_update(owner=user, batch_id=batch.pk, row_id=row.pk, food_id=theirs.pk)


def test_another_persons_import_is_not_found(user, other_user, oats):
    batch = preview(user, servings("2026-03-02,,Lunch,Oats rolled,80.00 g,303.2,110.37,"))
    row = ImportRow.objects.get(batch=batch)
    for call in (
        lambda: services.import_commit(owner=other_user, batch_id=batch.pk),
        lambda: services.import_undo(owner=other_user, batch_id=batch.pk),
        lambda: services.import_row_update(
            owner=other_user, batch_id=batch.pk, row_id=row.pk, food_id=oats.pk
        ),
    ):
        with pytest.raises(Import.DoesNotExist):
            call()
    assert DiaryEntry.objects.count() == 0 and Import.objects.filter(pk=batch.pk).exists()


@pytest.mark.parametrize(
    ("content", "field", "words"),
    [
        (b"\xff\xfe\x00garbage", "file", "not UTF-8"),
        (servings("2026-13-45,,Lunch,Oats,80 g,1,2,").encode(), "file", "line 2"),
        (b"Name,Weight\r\nOats,80\r\n", "file", "line 1"),
        (servings("2026-03-02,,Lunch,Oats,80 g,1,2,").encode(), "format", "Choose one of"),
    ],
)
def test_a_bad_file_is_refused_naming_the_problem_and_nothing_is_kept(user, content, field, words):
    extra = {"format": "excel"} if field == "format" else {}
    with pytest.raises(ValidationError) as refused:
        services.import_preview(owner=user, content=content, **extra)
    assert words in " ".join(refused.value.message_dict[field])
    assert not Import.objects.exists() and not ImportRow.objects.exists()


def test_more_than_the_file_limit_is_refused_before_it_is_read(user, monkeypatch):
    monkeypatch.setattr(services, "MAX_FILE_BYTES", 100)
    with pytest.raises(ValidationError, match="larger than"):
        services.import_preview(owner=user, content=b"x" * 101)
    assert not Import.objects.exists()


def test_previews_are_limited_per_hour(user, oats, monkeypatch):
    monkeypatch.setattr(services, "MAX_PREVIEWS_PER_HOUR", 2)
    text = servings("2026-03-02,,Lunch,Oats rolled,80.00 g,303.2,110.37,")
    preview(user, text)
    preview(user, text)
    with pytest.raises(RateLimited) as limited:
        preview(user, text)
    assert 1 <= limited.value.retry_after <= 3600
    assert Import.objects.count() == 2


def test_estimated_when_the_file_has_no_magnesium_column(user, oats):
    batch = preview(
        user, servings("2026-03-02,Breakfast,Oats rolled,80.00 g,303.2", header=NO_MAGNESIUM_HEADER)
    )
    assert any("no magnesium column" in note for note in batch.notes)
    services.import_commit(owner=user, batch_id=batch.pk)
    entry = DiaryEntry.objects.get(user=user)
    assert entry.estimated and entry.recorded_magnesium_mg is None
    assert entry.magnesium_mg == amounts.shown(Decimal("80") * Decimal("138") / 100)


def test_biometrics_lab_results_go_to_the_health_record_and_the_rest_is_skipped(user):
    today = timezone.localdate()
    batch = preview(
        user,
        "\r\n".join(
            [
                BIOMETRICS_HEADER,
                f"{today - timedelta(days=3)},,Uncategorized,Blood Glucose,mg/dL,97",
                f"{today - timedelta(days=3)},,Uncategorized,Weight,kg,83.5",
                f"{today - timedelta(days=2)},,Uncategorized,HbA1c,%,5.6",
                f"{today + timedelta(days=5)},,Uncategorized,HbA1c,%,5.7",
            ]
        ),
    )
    assert (batch.lab_rows, batch.skipped_rows) == (2, 2)
    future = ImportRow.objects.get(batch=batch, line=5)
    assert future.kind == Kind.SKIPPED and "future" in future.reason
    services.import_commit(owner=user, batch_id=batch.pk)
    results = LabResult.objects.filter(user=user).order_by("taken_on")
    assert [(r.analyte, r.value, r.source) for r in results] == [
        ("glucose_fasting", Decimal("97.0000"), Source.IMPORT),
        ("hba1c", Decimal("5.6000"), Source.IMPORT),
    ]
    services.import_undo(owner=user, batch_id=batch.pk)
    assert not LabResult.objects.filter(user=user).exists()


def test_myfitnesspal_imports_nothing_as_magnesium_and_says_so(user):
    batch = preview(
        user,
        "\r\n".join([MYFITNESSPAL_HEADER, "2026-03-02,Breakfast,420,12,20,55,", ""]),
    )
    assert batch.format == formats.MYFITNESSPAL
    assert any("no magnesium and no food names" in note for note in batch.notes)
    batch = services.import_commit(owner=user, batch_id=batch.pk)
    assert batch.entries_added == 0 and not DiaryEntry.objects.exists()


def test_editing_an_imported_entrys_amount_drops_the_files_figure(user, oats):
    batch = preview(user, servings("2026-03-02,,Lunch,Oats rolled,80.00 g,303.2,110.37,"))
    services.import_commit(owner=user, batch_id=batch.pk)
    entry = DiaryEntry.objects.get(user=user)
    diary_services.diary_entry_update(user=user, entry=entry, meal="dinner")
    entry.refresh_from_db()
    assert entry.recorded_magnesium_mg == Decimal("110.37")  # a move keeps it
    diary_services.diary_entry_update(user=user, entry=entry, grams="100")
    entry.refresh_from_db()
    assert entry.recorded_magnesium_mg is None and entry.origin == "" and not entry.estimated
    assert entry.magnesium_mg == Decimal("138.0")


def test_an_entry_deleted_and_brought_back_by_the_diarys_undo_is_still_the_imports(user, oats):
    batch = preview(user, servings("2026-03-02,,Lunch,Oats rolled,80.00 g,303.2,110.37,"))
    services.import_commit(owner=user, batch_id=batch.pk)
    entry = DiaryEntry.objects.get(user=user)
    pk = entry.pk
    token = diary_services.undo_token(user=user, action=diary_services.ENTRY_DELETED, row=entry)
    diary_services.diary_entry_delete(user=user, entry=entry)
    diary_services.undo(user=user, token=token)
    back = DiaryEntry.objects.get(user=user)
    assert back.pk == pk and back.recorded_magnesium_mg == Decimal("110.37")
    services.import_undo(owner=user, batch_id=batch.pk)
    assert not DiaryEntry.objects.filter(user=user).exists()
