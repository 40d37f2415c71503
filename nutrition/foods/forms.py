"""Admin forms for curating foods: nutrient values and portions with their checks."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from nutrition.foods.models import FoodNutrient, Nutrient, Portion

MAGNESIUM_NUMBER = "304"
# No food holds more than about 800 mg of magnesium per 100 g (seaweeds, bran, seeds): a
# higher figure is nearly always a typo (a misplaced decimal point, or mg entered as µg).
MAGNESIUM_CONFIRM_ABOVE_MG = Decimal(1000)


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
        if (
            nutrient is not None
            and nutrient.usda_number == MAGNESIUM_NUMBER
            and amount is not None
            and amount > MAGNESIUM_CONFIRM_ABOVE_MG
            and not cleaned.get("confirm_high_value")
            and not cleaned.get("DELETE")
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

    def _positive(self, name: str) -> Decimal:
        value = self.cleaned_data[name]
        if value is not None and value <= 0:
            raise ValidationError("Must be more than 0.", code="not_positive")
        return value

    def clean_amount(self) -> Decimal:
        return self._positive("amount")

    def clean_gram_weight(self) -> Decimal:
        return self._positive("gram_weight")
