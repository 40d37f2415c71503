"""The diary's serializers: shapes only (the services check the rules). The clinic's
read-only views of a client's day and range use the same ones."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mgsite.api_schema import limits
from mgsite.converters import MAX_ID
from mgsite.dates import DaySerializerField
from nutrition.diary import selectors, services
from nutrition.diary.models import (
    MAX_COMPOUND_MG_PER_UNIT,
    MAX_ELEMENTAL_MG_PER_UNIT,
    MAX_ENTRY_GRAMS,
    MAX_NET_CARBS_BUDGET_G,
    MAX_QUANTITY,
    MAX_UNITS,
    DiaryEntry,
    Meal,
    Supplement,
    SupplementIntake,
)
from nutrition.reference import STARTER_SUPPLEMENTS, SUPPLEMENT_FORMS

# Numbers as JSON numbers (clients compute with them), at the precision they carry.
NUMBER: dict[str, Any] = {
    "max_digits": None,
    "decimal_places": None,
    "coerce_to_string": False,
}


def above_zero(field: serializers.Field, maximum: Any) -> serializers.Field:
    """`field`'s schema: above 0 and at most `maximum` (the services check both)."""
    return limits(field, minimum=0, exclusiveMinimum=True, maximum=maximum)


# A diary day: the site's years, and at most a year ahead (the services check it).
DIARY_DAY = "A day from 1900-01-01 to a year from today (YYYY-MM-DD); another is a 400."


# A time of day as DRF writes it (HH:MM:SS, with microseconds when there are any) and reads it
# (also HH:MM). Not OpenAPI's `format: time`, which is RFC 3339's and needs a zone: a dose's
# time is on the person's clock, and a zone given is dropped.
TIME_OF_DAY = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


@extend_schema_field({"type": "string", "pattern": TIME_OF_DAY, "example": "08:30"})
class TimeOfDayField(serializers.TimeField):
    """A time of day on the person's clock, such as 08:30."""


class DiaryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    date = DaySerializerField(help_text=DIARY_DAY)
    meal = serializers.ChoiceField(choices=Meal.choices)
    food = serializers.IntegerField(source="food_id", min_value=1, max_value=MAX_ID)
    portion = serializers.IntegerField(
        source="portion_id", required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    quantity = above_zero(
        serializers.DecimalField(
            required=False,
            allow_null=True,
            help_text="How many of the portion's unit; defaults to the portion's amount. "
            "Kept to 0.001; the entry weighs at most 5,000 g.",
            **NUMBER,
        ),
        MAX_QUANTITY,
    )
    grams = above_zero(
        serializers.DecimalField(
            required=False,
            allow_null=True,
            help_text="The weight, when no portion is given; kept to 0.01 g.",
            **NUMBER,
        ),
        MAX_ENTRY_GRAMS,
    )
    food_name = serializers.CharField(source="food.name", read_only=True)
    portion_description = serializers.SerializerMethodField()
    grams_total = serializers.DecimalField(source="grams", read_only=True, **NUMBER)
    magnesium_mg = serializers.DecimalField(read_only=True, allow_null=True, **NUMBER)
    magnesium_origin = serializers.CharField(
        source="origin_note",
        read_only=True,
        help_text='How the magnesium was come by, for an imported entry: "imported from '
        'Cronometer" (the file\'s own figure, kept exactly) or "estimated (matched by name '
        'from MacroFactor)"; empty for an entry added here.',
    )

    def get_portion_description(self, entry: DiaryEntry) -> str | None:
        """The amount in household words, such as \"0.5 cup\"."""
        return entry.portion_label

    def to_representation(self, entry: DiaryEntry) -> dict[str, Any]:
        data = super().to_representation(entry)
        # `grams` echoes how the entry was given: by weight, or null when by portion.
        if entry.portion_id is not None:
            data["grams"] = None
        return data

    def _service_args(self, data: dict[str, Any]) -> dict[str, Any]:
        names = {
            "date": "day",
            "meal": "meal",
            "food_id": "food_id",
            "portion_id": "portion_id",
            "quantity": "quantity",
            "grams": "grams",
        }
        return {names[key]: value for key, value in data.items() if key in names}

    def create(self, validated_data: dict[str, Any]) -> DiaryEntry:
        return services.diary_entry_create(
            user=self.context["request"].user, **self._service_args(validated_data)
        )

    def update(self, entry: DiaryEntry, validated_data: dict[str, Any]) -> DiaryEntry:
        return services.diary_entry_update(
            user=self.context["request"].user,
            entry=entry,
            **self._service_args(validated_data),
        )


class SupplementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    starter = serializers.ChoiceField(
        choices=[(s.code, s.label) for s in STARTER_SUPPLEMENTS],
        required=False,
        write_only=True,
        help_text="Add a product of the starter list (`GET /api/v1/supplements/starters/`) "
        "by its code, alone, instead of `name`, `form` and an amount; its magnesium is "
        "computed from the form. A product of the list already on yours is returned as it "
        "is (200) instead of added twice. Only when adding.",
    )
    name = serializers.CharField(
        max_length=120, required=False, help_text="Needed unless `starter` is given."
    )
    form = serializers.ChoiceField(
        choices=SUPPLEMENT_FORMS, required=False, help_text="Needed unless `starter` is given."
    )
    elemental_mg_per_unit = above_zero(
        serializers.DecimalField(
            required=False,
            allow_null=True,
            help_text="Elemental magnesium per tablet, capsule or scoop; kept to 0.1 mg.",
            **NUMBER,
        ),
        MAX_ELEMENTAL_MG_PER_UNIT,
    )
    compound_mg_per_unit = above_zero(
        serializers.DecimalField(
            required=False,
            allow_null=True,
            help_text="The salt's weight per unit; the elemental amount is computed from the "
            "form. Kept to 0.1 mg.",
            **NUMBER,
        ),
        MAX_COMPOUND_MG_PER_UNIT,
    )
    form_label = serializers.CharField(source="get_form_display", read_only=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "starter" in attrs:
            if self.instance is not None:
                raise serializers.ValidationError(
                    {"starter": ["A starter product is only for adding one."]}
                )
            others = sorted(set(self.initial_data) & (set(self.fields) - {"starter"}))
            if others:
                raise serializers.ValidationError(
                    {name: ["Leave this out with `starter`."] for name in others}
                )
        elif self.instance is None:
            missing = [name for name in ("name", "form") if name not in attrs]
            if missing:
                raise serializers.ValidationError(
                    {name: ["This field is required."] for name in missing}
                )
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Supplement:
        user = self.context["request"].user
        if "starter" in validated_data:
            supplement, self.created = services.supplement_from_starter(
                user=user, code=validated_data["starter"]
            )
            return supplement
        return services.supplement_create(user=user, **validated_data)

    def update(self, supplement: Supplement, validated_data: dict[str, Any]) -> Supplement:
        return services.supplement_update(
            user=self.context["request"].user, supplement=supplement, **validated_data
        )


class SupplementIntakeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    date = DaySerializerField(help_text=DIARY_DAY)
    supplement = serializers.IntegerField(source="supplement_id", min_value=1, max_value=MAX_ID)
    units = above_zero(
        serializers.DecimalField(
            required=False, help_text="Tablets or scoops; 1 when left out. Kept to 0.01.", **NUMBER
        ),
        MAX_UNITS,
    )
    taken_at = TimeOfDayField(required=False, allow_null=True)
    supplement_name = serializers.CharField(source="supplement.name", read_only=True)
    magnesium_mg = serializers.DecimalField(read_only=True, **NUMBER)

    _names = {"date": "day", "supplement_id": "supplement_id", "units": "units"}

    def _service_args(self, data: dict[str, Any]) -> dict[str, Any]:
        args = {self._names[k]: v for k, v in data.items() if k in self._names}
        if "taken_at" in data:
            args["taken_at"] = data["taken_at"]
        return args

    def create(self, validated_data: dict[str, Any]) -> SupplementIntake:
        return services.supplement_intake_create(
            user=self.context["request"].user, **self._service_args(validated_data)
        )

    def update(self, intake: SupplementIntake, validated_data: dict[str, Any]) -> SupplementIntake:
        return services.supplement_intake_update(
            user=self.context["request"].user,
            intake=intake,
            **self._service_args(validated_data),
        )


class DayMagnesiumSerializer(serializers.Serializer):
    food_mg = serializers.DecimalField(**NUMBER)
    supplement_mg = serializers.DecimalField(**NUMBER)
    total_mg = serializers.DecimalField(**NUMBER)
    rda_mg = serializers.IntegerField(allow_null=True)
    percent_of_rda = serializers.IntegerField(allow_null=True)
    supplement_ul_mg = serializers.IntegerField(allow_null=True)
    basis = serializers.CharField()
    set_by = serializers.CharField()


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class NutrientTotalSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    amount = serializers.DecimalField(**NUMBER)


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    magnesium = DayMagnesiumSerializer()
    warnings = WarningSerializer(many=True)
    nutrients = NutrientTotalSerializer(many=True)
    entries = DiaryEntrySerializer(many=True)
    supplement_intakes = SupplementIntakeSerializer(many=True)


def day_payload(summary: selectors.DaySummary) -> dict[str, Any]:
    """The day in the contract's shape; the clinic's read-only day reuses it."""
    return {
        "date": summary.day,
        "magnesium": {
            "food_mg": summary.food_mg,
            "supplement_mg": summary.supplement_mg,
            "total_mg": summary.total_mg,
            "rda_mg": summary.target.rda_mg,
            "percent_of_rda": summary.percent_of_rda,
            "supplement_ul_mg": summary.target.supplement_ul_mg,
            "basis": summary.target.basis,
            "set_by": summary.target.set_by,
        },
        "warnings": [{"code": w.code, "message": w.message} for w in summary.warnings],
        "nutrients": [
            {"key": key, "name": name, "unit": unit, "amount": summary.nutrients[key]}
            for key, (name, unit) in selectors.OTHER_NUTRIENTS.items()
            if key in summary.nutrients
        ],
        "entries": summary.entries,
        "supplement_intakes": summary.intakes,
    }


class SummaryDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    food_mg = serializers.DecimalField(**NUMBER)
    supplement_mg = serializers.DecimalField(**NUMBER)
    total_mg = serializers.DecimalField(**NUMBER)
    rda_mg = serializers.IntegerField(allow_null=True)


class SourceSerializer(serializers.Serializer):
    food = serializers.IntegerField(source="food_id")
    name = serializers.CharField()
    magnesium_mg = serializers.DecimalField(**NUMBER)


class SummarySerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    days = SummaryDaySerializer(many=True)
    average_total_mg = serializers.DecimalField(allow_null=True, **NUMBER)
    days_logged = serializers.IntegerField()
    days_meeting_rda = serializers.IntegerField()
    top_sources = SourceSerializer(many=True)


class TargetSerializer(serializers.Serializer):
    rda_mg = serializers.IntegerField(allow_null=True)
    supplement_ul_mg = serializers.IntegerField(allow_null=True)
    basis = serializers.CharField()
    set_by = serializers.CharField()
    source = serializers.CharField()


class TargetsSerializer(serializers.Serializer):
    date = serializers.DateField()
    magnesium = TargetSerializer()


class DiarySettingsSerializer(serializers.Serializer):
    net_carbs_budget_g = limits(
        serializers.DecimalField(
            max_digits=5,
            decimal_places=1,
            allow_null=True,
            coerce_to_string=False,
            help_text="Close-the-gap suggestions stay within this many grams of net "
            "carbohydrate; null for no limit.",
        ),
        minimum=0,
        maximum=MAX_NET_CARBS_BUDGET_G,
    )
