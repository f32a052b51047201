from django import forms
from django.utils.translation import gettext_lazy as _

from logistics.models import Room
from logistics.selectors import members_of


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["building", "name", "number", "floor", "kind", "custodian"]

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["building"].queryset = school.buildings.all()
        self.fields["custodian"].queryset = members_of(school)
        self.fields["building"].empty_label = _("— outdoor zone —")

    def clean(self):
        data = super().clean()
        name = data.get("name")
        if name and Room.objects.filter(school=self.school, building=data.get("building"), name=name).exclude(pk=self.instance.pk).exists():
            self.add_error("name", _("This building already has a room with that name."))
        return data
