"""Input forms of the repairs app: they validate input only; the rules live in services."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics.models import Room
from repairs.choices import MAX_PHOTOS, DamageCause, Urgency
from repairs.models import MaintenancePlan, RepairSettings

RATING_CHOICES = [(i, "★" * i) for i in range(5, 0, -1)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to MAX_PHOTOS images; each checked by content in the service (Pillow)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)s photos per request.") % {"n": MAX_PHOTOS})
        for f in files:
            if f.size > settings.MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("The file %(name)s is too large.") % {"name": f.name})
        return files


def people_with(capability, school):
    from logistics.models import User

    from logistics.roles import CAPABILITIES, READ_ONLY_ROLES

    roles = CAPABILITIES[capability] - READ_ONLY_ROLES
    return (
        User.objects.filter(memberships__school=school, memberships__role__in=roles, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


class RepairReportForm(forms.Form):
    room = forms.ModelChoiceField(label=pgettext_lazy("repair", "Room"), queryset=Room.objects.none())
    description = forms.CharField(label=_("What is wrong?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    photos = MultiplePhotoField(label=_("Photos"), required=False, help_text=_("Up to 4 photos."))

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.for_school(school).select_related("building")
        self._add_asset_field(school)

    def _add_asset_field(self, school):
        """The asset by the number on its label, not a list of every asset: a big school has
        20,000. The page suggests the chosen room's assets (a <datalist>)."""
        from repairs.models import Repair

        Asset = Repair._meta.get_field("asset").related_model  # noqa: N806
        self.fields["asset"] = forms.ModelChoiceField(
            label=_("Asset number (optional)"), queryset=Asset.objects.filter(school=school), required=False,
            to_field_name="number", help_text=_("The number on the asset's label, if the fault is in a registered item."),
            error_messages={"invalid_choice": _("There is no asset with this number at this school.")},
            widget=forms.TextInput(attrs={"list": "room-assets", "autocomplete": "off", "inputmode": "text"}),
        )
        self.order_fields(["room", "asset", "description", "urgency", "photos"])


class TakeForm(forms.Form):
    pass


class HandoverForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Hand over to"), queryset=None)
    reason = forms.CharField(label=pgettext_lazy("repair", "Reason"), max_length=500)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = people_with("repairs.take", school)


class DispatchForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Repairer"), queryset=None)
    planned_at = forms.DateTimeField(label=_("Planned for"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = people_with("repairs.work", school)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Work note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class CostForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (¥)"), max_digits=12, decimal_places=2, min_value=0.01)
    note = forms.CharField(label=_("What for"), max_length=200)


class MaterialForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Store-room item"), queryset=None)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=2, min_value=0.01)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        from assets.selectors import store_items

        self.fields["item"].queryset = store_items(school)


class CompleteForm(forms.Form):
    note = forms.CharField(label=_("What was done"), required=False, max_length=500)


class SignOffForm(forms.Form):
    timeliness = forms.TypedChoiceField(label=_("Timeliness"), choices=RATING_CHOICES, coerce=int, initial=5)
    quality = forms.TypedChoiceField(label=_("Quality"), choices=RATING_CHOICES, coerce=int, initial=5)
    attitude = forms.TypedChoiceField(label=_("Attitude"), choices=RATING_CHOICES, coerce=int, initial=5)
    comment = forms.CharField(label=pgettext_lazy("repair", "Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("What is still wrong?"), max_length=1000)


class CancelForm(forms.Form):
    reason = forms.CharField(label=pgettext_lazy("repair", "Reason"), max_length=500)


class CauseForm(forms.Form):
    cause = forms.ChoiceField(label=pgettext_lazy("repair", "Cause"), choices=DamageCause.choices)
    liable_person = forms.ModelChoiceField(label=_("Liable person"), required=False, queryset=None)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        from logistics.models import User

        self.fields["liable_person"].queryset = (
            User.objects.filter(memberships__school=school, is_active=True).distinct().order_by("full_name", "username")
        )


class RepairSettingsForm(forms.ModelForm):
    class Meta:
        model = RepairSettings
        exclude = ["school"]


class MaintenancePlanForm(forms.ModelForm):
    class Meta:
        model = MaintenancePlan
        fields = ["title", "description", "room", "frequency", "weekday", "day", "month", "urgency", "start_date", "assignee", "active"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}), "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.for_school(school)
        self.fields["assignee"].queryset = people_with("repairs.work", school)

    def clean(self):
        data = super().clean()
        freq = data.get("frequency")
        if freq == "weekly" and data.get("weekday") is None:
            self.add_error("weekday", _("A weekly job needs a weekday."))
        if freq in ("monthly", "yearly") and not data.get("day"):
            self.add_error("day", _("Give the day of the month."))
        if freq == "yearly" and not data.get("month"):
            self.add_error("month", _("A yearly job needs a month."))
        return data
