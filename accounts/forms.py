from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from accounts.models import PROFILE_OWN_FIELDS, Profile, timezone_choices
from accounts.validation import validate_profile_values


class LongSelect(forms.Select):
    """A select for long lists (about 600 time zones): options are joined in Python instead
    of rendering one template per option, which made the profile page ten times slower."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if key == value else "", label) for key, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=timezone_choices, label="Time zone", widget=LongSelect)

    class Meta:
        model = Profile
        fields = PROFILE_OWN_FIELDS
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
        }
        help_texts = {
            "life_stage": "Only applies when sex is female; changes your magnesium target.",
            "kidney_disease": "We then warn before any magnesium supplement.",
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = [("", "Not set"), *Profile.Sex.choices]
        self.fields["sex"].required = False

    def clean(self):
        cleaned = super().clean()
        for field, message in validate_profile_values(cleaned).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, ValidationError(message))
        return cleaned
