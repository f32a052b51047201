"""Input forms of the assets app (validation only; rules live in services)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from logistics.models import Department, Room, User

from .models import Asset, AssetSettings, Category


def school_people(school):
    return User.objects.filter(memberships__school=school).distinct().order_by("full_name", "username")


class AssetForm(forms.ModelForm):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())

    class Meta:
        model = Asset
        fields = [
            "name", "category", "spec", "unit", "unit_price", "original_value", "acquisition_date", "funding_source",
            "room", "department", "custodian", "note",
        ]
        widgets = {"acquisition_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.available_to(school)
        self.fields["room"].queryset = Room.objects.filter(school=school).order_by("name")
        self.fields["department"].queryset = Department.objects.filter(school=school).order_by("name")
        self.fields["custodian"].queryset = school_people(school)
        self.fields["original_value"].required = False
        self.fields["original_value"].help_text = _("Leave empty to use the unit price.")


class AssetSettingsForm(forms.ModelForm):
    class Meta:
        model = AssetSettings
        fields = ["fixed_threshold", "special_threshold"]


class LabelSelectionForm(forms.Form):
    ids = forms.CharField(widget=forms.HiddenInput)
