"""Forms of the safety app (phone first)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from safety.choices import ItemResult, Severity
from safety.models import Visitor

PHOTO = forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"})


class ItemForm(forms.Form):
    result = forms.ChoiceField(label=_("result"), choices=[(ItemResult.OK, _("OK")), (ItemResult.PROBLEM, _("Problem"))], widget=forms.RadioSelect)
    severity = forms.ChoiceField(label=_("severity"), choices=Severity.choices, initial=Severity.MEDIUM, required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.ImageField(label=_("photo"), required=False, widget=PHOTO)


class RectifyForm(forms.Form):
    note = forms.CharField(label=_("rectification note"), widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.ImageField(label=_("rectification photo"), widget=PHOTO)


class VisitorForm(forms.ModelForm):
    class Meta:
        model = Visitor
        fields = ["name", "id_last4", "phone", "visiting", "purpose"]
        widgets = {
            "id_last4": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4, "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def clean_id_last4(self):
        value = self.cleaned_data["id_last4"].strip().upper()
        if len(value) != 4:
            raise forms.ValidationError(_("Enter exactly the last 4 characters of the ID."))
        return value
