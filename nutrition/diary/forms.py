"""Forms for the diary pages. They check shapes; the services check the rules."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mgsite.converters import database_id
from mgsite.dates import DayFormField
from nutrition import amounts
from nutrition.diary.custom_foods import CUSTOM_NUTRIENTS
from nutrition.diary.models import Meal
from nutrition.reference import SUPPLEMENT_FORMS

GRAMS = "g"


class AmountField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 3)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Enter an amount.",
                "invalid": "Enter a number, such as 0.5 or 90.",
                "max_digits": "Enter a smaller number.",
                "max_decimal_places": "Use at most three decimal places.",
                "max_whole_digits": "Enter a smaller number.",
            },
        )
        super().__init__(**kwargs)


class EntryForm(forms.Form):
    """An amount in grams or in one of the food's portions ("unit" is "g" or a portion id)."""

    food = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": "Choose a food."}
    )
    meal = forms.ChoiceField(choices=Meal.choices)
    amount = AmountField()
    unit = forms.CharField(max_length=20)

    # Service errors arrive under the API's field names; show them beside these fields.
    field_for_service_error = {
        "grams": "amount",
        "quantity": "amount",
        "portion": "unit",
        "food": None,
        "meal": "meal",
        "date": None,
    }

    def clean_unit(self) -> str | int:
        unit = self.cleaned_data["unit"]
        if unit == GRAMS:
            return unit
        portion_id = database_id(unit)
        if portion_id is None:
            raise ValidationError("Choose grams or one of the portions.")
        return portion_id

    def service_amount(self) -> dict[str, Any]:
        """The amount as the services take it: grams, or a portion and a quantity."""
        unit, amount = self.cleaned_data["unit"], self.cleaned_data["amount"]
        if unit == GRAMS:
            return {"grams": amount, "portion_id": None, "quantity": None}
        return {"grams": None, "portion_id": unit, "quantity": amount}

    def add_service_errors(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            target = self.field_for_service_error.get(field, None)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


class EntryEditForm(EntryForm):
    food = None  # an edit keeps the food


class DoseForm(forms.Form):
    supplement = forms.IntegerField(
        widget=forms.Select, error_messages={"required": "Choose one of your supplements."}
    )
    units = AmountField(
        initial=Decimal("1"),
        label="How many",
        help_text="Tablets, capsules or scoops.",
    )

    def __init__(self, *args: Any, supplements=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplement"].widget.choices = [
            (s.pk, f"{s.name} ({amounts.shown_text(s.elemental_mg_per_unit)} mg)")
            for s in supplements
        ]

    def add_service_errors(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class SupplementForm(forms.Form):
    ELEMENTAL, COMPOUND = "elemental", "compound"

    name = forms.CharField(
        max_length=120,
        label="Product name",
        error_messages={"required": "Give the product a name, such as the brand."},
    )
    form = forms.ChoiceField(choices=SUPPLEMENT_FORMS, label="Form on the label")
    amount = AmountField(label="Milligrams per tablet, capsule or scoop")
    amount_kind = forms.ChoiceField(
        label="That amount is",
        choices=[
            (ELEMENTAL, "Elemental magnesium (what most labels state)"),
            (COMPOUND, "The weight of the magnesium salt (e.g. 500 mg magnesium citrate)"),
        ],
        initial=ELEMENTAL,
        widget=forms.RadioSelect,
    )

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        key = (
            "compound_mg_per_unit"
            if data["amount_kind"] == self.COMPOUND
            else "elemental_mg_per_unit"
        )
        return {"name": data["name"], "form": data["form"], key: data["amount"]}

    def add_service_errors(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            target = (
                "amount" if field in ("elemental_mg_per_unit", "compound_mg_per_unit") else field
            )
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


class CopyForm(forms.Form):
    """Copy a day (or one of its meals) onto the day shown; `again` once the person confirmed."""

    source_day = DayFormField(
        label="Day to copy from",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Choose a day to copy from.",
            "invalid": "Enter a real date to copy from, such as 2026-02-03.",
        },
    )
    meal = forms.ChoiceField(choices=[("", "All meals"), *Meal.choices], required=False)
    include_supplements = forms.BooleanField(required=False, label="Include supplements")
    again = forms.BooleanField(required=False)


class CustomFoodForm(forms.Form):
    """A food from its label, per serving."""

    name = forms.CharField(max_length=200, error_messages={"required": "Give the food a name."})
    serving_description = forms.CharField(
        max_length=100, required=False, label="Serving", help_text="For example “bar” or “slice”."
    )
    serving_grams = AmountField(label="Serving weight (g)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, (label, unit, _) in CUSTOM_NUTRIENTS.items():
            self.fields[key] = AmountField(
                label=f"{label} per serving ({unit})", required=key == "magnesium"
            )
        self.fields["magnesium"].help_text = "Enter 0 if the label does not list magnesium."
        self.nutrient_keys = list(CUSTOM_NUTRIENTS)

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "serving_description": data["serving_description"],
            "serving_grams": data["serving_grams"],
            "per_serving": {key: data.get(key) for key in self.nutrient_keys},
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class RecipeForm(forms.Form):
    name = forms.CharField(
        max_length=200, label="Recipe name", error_messages={"required": "Give the recipe a name."}
    )
    servings = forms.IntegerField(
        min_value=1,
        max_value=100,
        initial=1,
        label="Servings it makes",
        error_messages={"invalid": "Enter a whole number of servings."},
    )

    def add_service_errors(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
