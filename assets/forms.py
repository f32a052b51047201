"""Input forms of the assets app (validation only; rules live in services)."""
from decimal import Decimal

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from logistics.models import Department, Room, User

from .choices import DamageCause, LineResult, StockSource
from .models import Asset, AssetSettings, Category, StoreItem


def school_people(school):
    return User.objects.filter(memberships__school=school).distinct().order_by("full_name", "username")


def school_rooms(school):
    """The school's rooms for a picker; a room's name includes its building's, so that is joined."""
    return Room.objects.filter(school=school).select_related("building").order_by("name")


class FastSelect(forms.Select):
    """A ``<select>`` built in Python: Django renders every option through a template, which costs
    ~10 ms for a school's 200 rooms on every page that offers a room picker."""

    def render(self, name, value, attrs=None, renderer=None):
        from html import escape

        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        values = value if isinstance(value, (list, tuple)) else [value]
        chosen = {str(v) for v in values if v not in (None, "")}
        options = "".join(
            f'<option value="{escape(str(v))}"{" selected" if str(v) in chosen else ""}>{escape(str(label))}</option>'
            for v, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")  # noqa: S308 - every value is escaped above


class FastInputMixin:
    """An ``<input>`` built in Python instead of through a widget template (for long filter forms)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final.update(type=self.input_type, name=name)
        formatted = self.format_value(value)
        if formatted not in (None, ""):
            final["value"] = str(formatted)
        return mark_safe(f"<input{flatatt(final)}>")  # noqa: S308 - flatatt escapes every value


class FastTextInput(FastInputMixin, forms.TextInput):
    pass


class FastDateInput(FastInputMixin, forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's argument name
        super().__init__(attrs, format=format)


class FastSelectMultiple(FastSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        try:
            return data.getlist(name)
        except AttributeError:
            return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False


class AssetForm(forms.ModelForm):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), widget=FastSelect)

    class Meta:
        model = Asset
        fields = [
            "name", "category", "spec", "unit", "unit_price", "original_value", "acquisition_date", "funding_source",
            "room", "department", "custodian", "note",
        ]
        widgets = {
            "acquisition_date": forms.DateInput(attrs={"type": "date"}), "room": FastSelect, "department": FastSelect,
            "custodian": FastSelect,
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.available_to(school)
        self.fields["room"].queryset = school_rooms(school)
        self.fields["department"].queryset = Department.objects.filter(school=school).order_by("name")
        self.fields["custodian"].queryset = school_people(school)
        self.fields["original_value"].required = False
        self.fields["original_value"].help_text = _("Leave empty to use the unit price.")


class CategoryForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("e.g. A0201010501 under the national A02010105, or a code of the school's own such as X01."))
    name = forms.CharField(label=_("Name"), max_length=100)
    parent_code = forms.CharField(label=_("Parent code"), max_length=20, required=False)
    special_equipment = forms.BooleanField(label=_("Special equipment"), required=False,
                                           help_text=_("Uses the higher fixed-asset threshold."))


class AssetSettingsForm(forms.ModelForm):
    class Meta:
        model = AssetSettings
        fields = ["fixed_threshold", "special_threshold"]


class LabelSelectionForm(forms.Form):
    ids = forms.CharField(widget=forms.HiddenInput)


class StoreItemForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    spec = forms.CharField(label=_("Spec / model"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=20)
    unit_price = forms.DecimalField(label=_("Unit price (¥)"), max_digits=12, decimal_places=2, min_value=0, required=False)
    low_stock_threshold = forms.DecimalField(label=_("Low-stock threshold"), max_digits=12, decimal_places=2, min_value=0, initial=0)


class ReceiveForm(forms.Form):
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    unit_price = forms.DecimalField(label=_("Unit price (¥)"), max_digits=12, decimal_places=2, min_value=0, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=StockSource.choices, initial=StockSource.MANUAL, widget=FastSelect)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class IssueForm(forms.Form):
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    department = forms.ModelChoiceField(label=_("To department"), queryset=Department.objects.none(), required=False,
                                        widget=FastSelect, empty_label="—")
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(school=school).order_by("name")


class RequisitionForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=StoreItem.objects.none())
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    department = forms.ModelChoiceField(label=_("For department"), queryset=Department.objects.none(), required=False)
    reason = forms.CharField(label=_("What for"), max_length=300)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import store_items

        self.fields["item"].queryset = store_items(school)
        self.fields["department"].queryset = Department.objects.filter(school=school).order_by("name")


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300)


class LendForm(forms.Form):
    borrower = forms.ModelChoiceField(label=_("Borrower"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borrower"].queryset = school_people(school)


class DamageForm(forms.Form):
    cause = forms.ChoiceField(label=_("Cause"), choices=DamageCause.choices)
    liable_person = forms.ModelChoiceField(label=_("Person liable"), queryset=User.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["liable_person"].queryset = school_people(school)


class DamageAmountForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount to pay (¥)"), max_digits=12, decimal_places=2, min_value=0)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300)


class WriteOffForm(forms.Form):
    reason = forms.CharField(label=_("Why write it off"), max_length=500)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class StocktakeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    rooms = forms.ModelMultipleChoiceField(
        label=_("Rooms (leave empty for the whole school)"), queryset=Room.objects.none(), required=False,
        widget=FastSelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rooms"].queryset = school_rooms(school)


class MarkLineForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=[c for c in LineResult.choices if c[0] != LineResult.PENDING])
    found_room = forms.ModelChoiceField(label=_("Found in"), queryset=Room.objects.none(), required=False, widget=FastSelect)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["found_room"].queryset = school_rooms(school)


class WrongRoomForm(forms.Form):
    found_room = forms.ModelChoiceField(label=_("Found in"), queryset=Room.objects.none(), widget=FastSelect)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["found_room"].queryset = school_rooms(school)


class SurplusForm(forms.Form):
    name = forms.CharField(label=_("What was found"), max_length=200)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False, widget=FastSelect)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = school_rooms(school)
