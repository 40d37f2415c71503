"""Admin forms for curating foods: nutrient values and portions with their checks.

Every value is checked against the physical bounds of `nutrition.foods.bounds` by its
nutrient's unit: an admin may confirm magnesium above 1,000 mg per 100 g, up to what 100 g
can hold, never beyond it."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from nutrition.foods.barcodes import canonical_gtin
from nutrition.foods.bounds import (
    MAGNESIUM_CONFIRM_ABOVE_MG,
    per_100g_problem,
    portion_amount_problem,
    portion_grams_problem,
)
from nutrition.foods.models import Food, FoodNutrient, Nutrient, Portion

MAGNESIUM_NUMBER = "304"


class FoodNutrientForm(forms.ModelForm):
    confirm_high_value = forms.BooleanField(
        required=False,
        label="Confirm high value",
        help_text=f"Tick to save magnesium above {MAGNESIUM_CONFIRM_ABOVE_MG:,} mg per 100 g.",
    )

    class Meta:
        model = FoodNutrient
        fields = ["nutrient", "amount_per_100g"]

    def clean_amount_per_100g(self) -> Decimal:
        amount = self.cleaned_data["amount_per_100g"]
        if amount is not None and amount < 0:
            raise ValidationError("Amounts cannot be negative.", code="negative")
        return amount

    def clean(self) -> dict:
        cleaned = super().clean()
        nutrient: Nutrient | None = cleaned.get("nutrient") or (
            self.instance.nutrient if self.instance.nutrient_id else None
        )
        amount = cleaned.get("amount_per_100g")
        if (
            self.instance.pk is None
            and self.instance.food_id is not None
            and nutrient is not None
            and FoodNutrient.objects.filter(
                food_id=self.instance.food_id, nutrient=nutrient
            ).exists()
        ):
            raise ValidationError(
                f"This food already has a value for {nutrient.name}: change it in the list above.",
                code="duplicate",
            )
        if nutrient is None or amount is None or cleaned.get("DELETE"):
            return cleaned
        # Beyond what 100 g can hold (or the column keep): no confirmation makes it true.
        problem = per_100g_problem(
            key=nutrient.key, unit=nutrient.unit, amount=amount, confirmed_high_magnesium=True
        )
        if problem:
            self.add_error("amount_per_100g", ValidationError(problem, code="beyond_bound"))
            return cleaned
        if (
            nutrient.usda_number == MAGNESIUM_NUMBER
            and amount > MAGNESIUM_CONFIRM_ABOVE_MG
            and not cleaned.get("confirm_high_value")
        ):
            raise ValidationError(
                f"{amount} mg of magnesium per 100 g is above {MAGNESIUM_CONFIRM_ABOVE_MG:,} mg, "
                "more than any known food. Check the figure, or tick “Confirm high value”.",
                code="magnesium_too_high",
            )
        return cleaned


class PortionForm(forms.ModelForm):
    class Meta:
        model = Portion
        fields = ["seq", "amount", "description", "gram_weight"]

    # The fields keep the column's three decimal places, so a value is checked as stored.
    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        problem = amount is not None and portion_amount_problem(amount)
        if problem:
            raise ValidationError(problem, code="out_of_range")
        return amount

    def clean_gram_weight(self) -> Decimal:
        grams = self.cleaned_data["gram_weight"]
        problem = grams is not None and portion_grams_problem(grams)
        if problem:
            raise ValidationError(problem, code="out_of_range")
        return grams


class FoodAdminForm(forms.ModelForm):
    """The food's own fields; a barcode typed in any of its forms is kept as the 14-digit GTIN
    every lookup uses (`barcodes.canonical_gtin`)."""

    class Meta:
        model = Food
        fields = (
            "name",
            "common_names",
            "brand",
            "scientific_name",
            "food_group",
            "barcode",
            "verified",
            "serving_size",
            "serving_size_unit",
            "household_serving",
            "ingredients",
            "published_on",
            "discontinued_on",
        )

    def clean_barcode(self) -> str:
        typed = (self.cleaned_data.get("barcode") or "").strip()
        if not typed:
            return ""
        canonical = canonical_gtin(typed)
        if canonical is None:
            raise ValidationError(
                "Not a barcode: type the 8, 12, 13 or 14 digits printed under the bars.",
                code="invalid_barcode",
            )
        return canonical
