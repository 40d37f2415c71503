"""The form for one lab result on the record page. It checks shapes; the services check the
rules (a unit that is not the analyte's, an impossible value, a future date), so the page and
the API refuse the same things in the same words."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from mgsite.dates import NOT_A_DAY, DayFormField
from nutrition import labs
from nutrition.health.models import ANALYTE_CHOICES, LabResult
from nutrition.health.services import NOTE_MAX

# Each unit is offered under its analyte (<optgroup>), as "analyte:unit", so the option a
# person picked is the one shown again; the service receives the unit alone and judges it.
UNIT_CHOICES = [
    (a.name, [(f"{a.code}:{u.code}", f"{u.label} ({a.name})") for u in a.units])
    for a in labs.ANALYTES.values()
]


def unit_choice(analyte: str, unit: str) -> str:
    return f"{analyte}:{unit}"


class LabResultForm(forms.Form):
    analyte = forms.ChoiceField(
        label="Test",
        choices=[("", "Choose a test"), *ANALYTE_CHOICES],
        error_messages={
            "required": "Choose the test.",
            "invalid_choice": "Choose one of the tests in the list.",
        },
    )
    value = forms.DecimalField(
        label="Result",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the result as on your report.",
            "invalid": "Enter a number, such as 5.4 or 97.",
        },
    )
    unit = forms.CharField(
        label="Unit, as on your report",
        widget=forms.Select(choices=[("", "Choose the unit"), *UNIT_CHOICES]),
        error_messages={"required": "Choose the unit on your report."},
    )
    taken_on = DayFormField(
        label="Date the sample was taken",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the date the sample was taken.", "invalid": NOT_A_DAY},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=NOTE_MAX,
        help_text="For example the laboratory, or whether you had fasted.",
        error_messages={"max_length": f"Keep the note to {NOTE_MAX} characters."},
    )

    @classmethod
    def for_result(cls, result: LabResult) -> "LabResultForm":
        return cls(
            initial={
                "analyte": result.analyte,
                "value": result.value.normalize(),
                "unit": unit_choice(result.analyte, result.unit),
                "taken_on": result.taken_on,
                "note": result.note,
            }
        )

    def clean_unit(self) -> str:
        # "glucose_fasting:mg/dL" → "mg/dL"; anything else goes to the service as it is.
        return self.cleaned_data["unit"].rpartition(":")[2]

    def clean_value(self) -> Any:
        value = self.cleaned_data["value"]
        # Far beyond any analyte's range: refused here, before the arithmetic.
        if value is not None and abs(value) >= 10**8:
            raise ValidationError("Enter a smaller number (check the value on your report).")
        return value

    def service_values(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("analyte", "value", "unit", "taken_on", "note")
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
