from allauth.account import forms as allauth_forms
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from accounts.models import PROFILE_OWN_FIELDS, Profile
from accounts.timezones import canonical_timezone, timezone_groups
from accounts.validation import MAX_NAME_LENGTH, validate_profile_values


class TimeZoneInput(forms.TextInput):
    """A text box with the canonical zones as suggestions (`<input list>` and a `<datalist>`
    grouped by region): type "Chic" and pick America/Chicago. The options are joined in Python:
    a template per option made the profile page ten times slower."""

    def __init__(self, attrs=None):
        defaults = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        super().__init__({**defaults, **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        list_id = f"{final_attrs.get('id', name)}_list"
        final_attrs["list"] = list_id
        if value:
            final_attrs["value"] = value
        options = format_html_join(
            "",
            '<option value="{}">{}</option>',
            (
                (zone, label if region == label else f"{label} ({region})")
                for region, zones in timezone_groups()
                for zone, label in zones
            ),
        )
        return format_html(
            '<input type="text"{}><datalist id="{}">{}</datalist>',
            flatatt(final_attrs),
            list_id,
            options,
        )


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up with the browser's time zone in a hidden field (site.js fills it), so
    the new profile starts on the person's "today". A zone that is not one is left out (UTC):
    nobody can correct a hidden field."""

    timezone = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput(attrs={"data-browser-timezone": ""})
    )

    def clean_timezone(self) -> str:
        return canonical_timezone(self.cleaned_data.get("timezone")) or ""


class ProfileForm(forms.ModelForm):
    name = forms.CharField(
        label="Your name",
        max_length=MAX_NAME_LENGTH,
        required=False,
        help_text="Shown to a dietitian you invite. Without it they see your e-mail address.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    timezone = forms.CharField(
        label="Time zone",
        max_length=64,
        help_text="Type a city or region, such as Chicago or Europe/Berlin. It sets your "
        "diary's today.",
        widget=TimeZoneInput,
    )

    class Meta:
        model = Profile
        fields = ("name", *PROFILE_OWN_FIELDS)
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sex": forms.RadioSelect,
            "life_stage": forms.RadioSelect,
            "units": forms.RadioSelect,
        }
        labels = {
            "sex": "Sex (for reference values)",
            "life_stage": "Pregnancy or breastfeeding",
            "kidney_disease": "I have kidney disease or reduced kidney function",
            "units": "Preferred units",
            "weekly_summary": "E-mail me a weekly summary",
            "clinic_digest": "E-mail me a daily digest of flagged clients",
        }
        help_texts = {
            "life_stage": "Only applies when sex is female; changes your magnesium target.",
            "kidney_disease": "We then warn before any magnesium supplement.",
            "weekly_summary": "Monday morning in your time zone: last week's average "
            "magnesium, days on target, top foods and any day above the supplement limit.",
            "clinic_digest": "A morning e-mail naming the clients with flags (no diary "
            "details), only on days when a client is flagged.",
        }

    def __init__(self, *args, dietitian: bool = False, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = [("", "Not set"), *Profile.Sex.choices]
        self.fields["sex"].required = False
        if not dietitian:
            del self.fields["clinic_digest"]  # only dietitians get the digest

    def clean(self):
        cleaned = super().clean()
        for field, message in validate_profile_values(cleaned).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, ValidationError(message))
        return cleaned
