from django import forms

from mgsite.dates import DayFormField
from nutrition import labs
from nutrition.clinic.services import MAX_EMAIL_LENGTH, MAX_TARGET_MG, MIN_TARGET_MG


class InviteForm(forms.Form):
    client_email = forms.EmailField(label="Client's e-mail address", max_length=MAX_EMAIL_LENGTH)


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note for your client", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    day = DayFormField(
        label="About the day (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class TargetForm(forms.Form):
    magnesium_mg = forms.DecimalField(
        label="Personal daily magnesium target (mg)",
        required=False,
        min_value=MIN_TARGET_MG,
        max_value=MAX_TARGET_MG,
        decimal_places=1,
        help_text="Leave empty to go back to the reference value for the client's age and sex.",
    )


def _unit_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for analyte in labs.ANALYTES.values():
        for unit in analyte.units:
            seen.setdefault(unit.code, unit.label)
    return sorted(seen.items(), key=lambda item: item[1].lower())


class LabResultForm(forms.Form):
    """A result the dietitian types in for a client: shapes only, the health services decide
    what may be stored."""

    analyte = forms.ChoiceField(
        label="Test", choices=[(a.code, a.name) for a in labs.ANALYTES.values()]
    )
    value = forms.DecimalField(
        label="Value", widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    unit = forms.ChoiceField(label="Unit", choices=_unit_choices())
    taken_on = DayFormField(
        label="Date the sample was taken", widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label="Note (optional)", max_length=200, required=False)
