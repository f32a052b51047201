"""Forms of the safety app (phone first). Forms only check input; the rules live in services."""
from django import forms
from django.utils.translation import pgettext_lazy

from safety.choices import DRILL_KINDS, WEEKDAYS, ItemResult, Severity
from safety.models import Drill, Hazard, InspectionPlan, Visitor

PHOTO = forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"})


class ItemForm(forms.Form):
    result = forms.ChoiceField(label=pgettext_lazy("safety", "result"), choices=[(ItemResult.OK, ItemResult.OK.label), (ItemResult.PROBLEM, ItemResult.PROBLEM.label)])
    severity = forms.ChoiceField(label=pgettext_lazy("safety", "severity"), choices=Severity.choices, initial=Severity.MEDIUM, required=False)
    note = forms.CharField(label=pgettext_lazy("safety", "note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.ImageField(label=pgettext_lazy("safety", "photo"), required=False, widget=PHOTO)


class RectifyForm(forms.Form):
    note = forms.CharField(label=pgettext_lazy("safety", "rectification note"), widget=forms.Textarea(attrs={"rows": 2}))
    # The service checks the content (check_image); ImageField would also refuse a photo by its name.
    photo = forms.FileField(label=pgettext_lazy("safety", "rectification photo"), widget=PHOTO)


class VerifyForm(forms.Form):
    accept = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
    note = forms.CharField(label=pgettext_lazy("safety", "reason for sending back"), required=False, max_length=200)


class RepairForm(forms.Form):
    room = forms.ModelChoiceField(label=pgettext_lazy("safety", "room for the repairer"), queryset=None, required=False)

    def __init__(self, *args, rooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms


class VisitorForm(forms.ModelForm):
    class Meta:
        model = Visitor
        fields = ["name", "id_last4", "phone", "visiting", "purpose"]
        widgets = {
            "id_last4": forms.TextInput(attrs={"inputmode": "text", "maxlength": 4, "autocomplete": "off", "autocapitalize": "characters"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def clean_id_last4(self):
        value = self.cleaned_data["id_last4"].strip().upper()
        if len(value) != 4:
            raise forms.ValidationError(pgettext_lazy("safety", "Enter exactly the last 4 characters of the ID."))
        return value


class ChecklistField(forms.CharField):
    """The checklist typed one item per line; cleaned to a list of lines."""

    widget = forms.Textarea(attrs={"rows": 8})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PlanForm(forms.ModelForm):
    checklist = ChecklistField(label=pgettext_lazy("safety", "checklist"), help_text=pgettext_lazy(
        "safety", "One item per line, in the order they are checked. A change applies to inspections made from now on."))
    weekdays = forms.TypedMultipleChoiceField(
        label=pgettext_lazy("safety", "weekdays"), choices=WEEKDAYS, coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=pgettext_lazy("safety", "For a weekly plan."),
    )

    class Meta:
        model = InspectionPlan
        fields = ["name", "building", "room", "frequency", "weekdays", "day_of_month", "window_start", "window_end",
                  "responsible", "starts_on", "gate_check", "active", "checklist"]
        widgets = {
            "window_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "window_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "building": pgettext_lazy("safety", "A whole building, or …"),
            "room": pgettext_lazy("safety", "… one room or outdoor zone (playground, gate)."),
            "day_of_month": pgettext_lazy("safety", "For a monthly plan; the last day of a shorter month when it has no such day."),
        }

    def __init__(self, *args, school, people, **kwargs):
        super().__init__(*args, **kwargs)
        from logistics.models import Building, Room

        self.fields["building"].queryset = Building.objects.filter(school=school).order_by("name")
        self.fields["room"].queryset = Room.objects.filter(school=school).select_related("building")
        self.fields["responsible"].queryset = people
        self.fields["weekdays"].initial = self.instance.weekdays if self.instance.pk else []


class HazardForm(forms.ModelForm):
    class Meta:
        model = Hazard
        fields = ["severity", "responsible", "deadline"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people


class DrillForm(forms.ModelForm):
    class Meta:
        model = Drill
        fields = ["held_on", "kind", "participants", "note"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "kind": forms.TextInput(attrs={"list": "drill-kinds"}),
            "participants": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    kinds = DRILL_KINDS
