"""Input forms of the canteen: they validate input only; the rules live in services."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canteen.choices import Meal
from canteen.models import (
    AccompaniedMeal,
    DisinfectionLog,
    Feedback,
    HealthCertificate,
    Ingredient,
    MealSample,
    MonthAccount,
    Receiving,
    Supplier,
)

# Django 6.1's blank choice of a select; its Chinese catalogue lacks it, so it is translated here
# (an app catalogue serves the whole site).
BLANK = _("- Select an option -")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # <input type=date> takes ISO only, whatever the locale
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MenuCreateForm(forms.Form):
    week_start = forms.DateField(label=_("week starting (Monday)"), widget=DATE)


class MenuItemForm(forms.Form):
    day = forms.DateField(label=_("day"), widget=DATE)
    meal = forms.ChoiceField(label=_("meal"), choices=Meal.choices, widget=forms.Select(attrs={"class": "form-select"}))
    dish = forms.ModelChoiceField(label=_("dish"), queryset=None, widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, school=None, meals=None, **kwargs):
        super().__init__(*args, **kwargs)
        from canteen.models import Dish

        self.fields["dish"].queryset = Dish.objects.filter(school=school)
        if meals:
            self.fields["meal"].choices = [(m, Meal(m).label) for m in meals]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


class SeenForm(forms.Form):
    """The version of the record the person decided on (its ``updated_at``), sent back with the decision."""

    seen = forms.DateTimeField(required=False, widget=forms.HiddenInput, input_formats=["%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"])


class RejectForm(SeenForm, ReasonForm):
    pass


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class IngredientForm(forms.ModelForm):
    class Meta:
        model = Ingredient
        fields = ["name", "group", "edible_pct", "energy_kcal", "protein_g", "fat_g", "carbohydrate_g", "calcium_mg", "iron_mg", "vitamin_a_ug", "vitamin_c_mg", "allergens"]


class DishForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class DishPartForm(forms.Form):
    ingredient = forms.ModelChoiceField(label=_("ingredient"), queryset=Ingredient.objects.none(), required=False)
    grams = forms.DecimalField(label=_("grams per serving"), min_value=0.1, max_digits=7, decimal_places=1, required=False)

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ingredient"].queryset = Ingredient.objects.for_school(school).order_by("name")
        self.fields["ingredient"].empty_label = BLANK

    def clean(self):
        data = super().clean()
        if data.get("ingredient") and not data.get("grams"):
            self.add_error("grams", _("Enter the grams per serving."))
        return data


DishPartFormSet = forms.formset_factory(DishPartForm, extra=6, max_num=20)


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "licence_number", "licence_expiry", "contact"]
        widgets = {"licence_expiry": DATE}


class ReceivingForm(forms.ModelForm):
    class Meta:
        model = Receiving
        fields = ["supplier", "received_on", "item", "ingredient", "quantity", "unit", "unit_price", "batch", "production_date", "shelf_life_days", "certificate"]
        widgets = {"received_on": DATE, "production_date": DATE, "certificate": forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf", "capture": "environment"})}

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(school=school)
        self.fields["ingredient"].queryset = Ingredient.objects.for_school(school).order_by("name")
        self.fields["received_on"].initial = timezone.localdate()


class ReceivingEditForm(ReceivingForm):
    """Correcting a delivery that waits for its second signature: a new certificate replaces the
    old one; it cannot be removed."""

    class Meta(ReceivingForm.Meta):
        widgets = {**ReceivingForm.Meta.widgets, "certificate": forms.FileInput(attrs={"accept": "image/*,application/pdf", "capture": "environment"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].required = False
        if self.instance.certificate:
            self.fields["certificate"].help_text = _("A certificate is attached; choose a file only to replace it.")


class SupplierEditForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "licence_number", "licence_expiry", "contact"]
        widgets = {"licence_expiry": DATE}


class CommitteeCheckForm(forms.Form):
    remarks = forms.CharField(label=_("what you checked"), max_length=300)


class SampleForm(forms.ModelForm):
    class Meta:
        model = MealSample
        fields = ["day", "meal", "dish", "weight_g", "fridge_temp_c"]
        widgets = {"day": DATE}

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        from canteen.models import Dish

        self.fields["dish"].queryset = Dish.objects.filter(school=school)
        self.fields["day"].initial = timezone.localdate()
        self.fields["weight_g"].widget.attrs.update({"inputmode": "decimal", "min": "125"})


class DisinfectionForm(forms.ModelForm):
    class Meta:
        model = DisinfectionLog
        fields = ["method", "batch", "temp_c", "seconds", "concentration_mg_l"]
        widgets = {"temp_c": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
                   "seconds": forms.NumberInput(attrs={"inputmode": "numeric"}),
                   "concentration_mg_l": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        methods = list(self.fields["method"].queryset)
        self.fields["method"].help_text = _("National minimums: %(list)s") % {"list": "; ".join(f"{m.label} {m.minimum_text()}" for m in methods)}


class CertificateForm(forms.ModelForm):
    class Meta:
        model = HealthCertificate
        fields = ["staff_name", "number", "issued_on", "expires_on"]
        widgets = {"issued_on": DATE, "expires_on": DATE}

    def clean(self):
        data = super().clean()
        if data.get("issued_on") and data.get("expires_on") and data["expires_on"] <= data["issued_on"]:
            self.add_error("expires_on", _("The expiry must be after the issue date."))
        return data


class AccompaniedMealForm(forms.ModelForm):
    class Meta:
        model = AccompaniedMeal
        fields = ["day", "meal", "observations", "issues"]
        widgets = {"day": DATE, "observations": forms.Textarea(attrs={"rows": 3}), "issues": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()
        self.fields["meal"].initial = "lunch"


class AccountForm(forms.ModelForm):
    class Meta:
        model = MonthAccount
        fields = ["year", "month", "students", "days", "price_per_day", "income_entered", "other_cost", "note"]


class AccountEditForm(forms.ModelForm):
    class Meta:
        model = MonthAccount
        fields = ["students", "days", "price_per_day", "income_entered", "other_cost", "note"]


class FeedbackForm(forms.ModelForm):
    """``for_teacher``: only a teacher sees the "passed on from a student" box (the service checks it too)."""

    class Meta:
        model = Feedback
        fields = ["kind", "text", "from_student"]

    def __init__(self, *args, for_teacher: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_teacher:
            del self.fields["from_student"]


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("reply"), widget=forms.Textarea(attrs={"rows": 3}))


SCORES = [(i, str(i)) for i in range(5, 0, -1)]


class SurveyAnswerForm(forms.Form):
    taste = forms.TypedChoiceField(label=_("taste"), choices=SCORES, coerce=int, widget=forms.RadioSelect)
    hygiene = forms.TypedChoiceField(label=_("hygiene"), choices=SCORES, coerce=int, widget=forms.RadioSelect)
    price = forms.TypedChoiceField(label=_("price"), choices=SCORES, coerce=int, widget=forms.RadioSelect)
    service = forms.TypedChoiceField(label=_("service"), choices=SCORES, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SurveyOpenForm(forms.Form):
    term = forms.CharField(label=_("term"), max_length=50)


class CanteenSettingsForm(forms.ModelForm):
    class Meta:
        from canteen.models import CanteenSettings

        model = CanteenSettings
        fields = ["serves_breakfast", "serves_lunch", "serves_dinner", "price_breakfast", "price_lunch", "price_dinner", "age_group",
                  "menu_deadline_weekday", "breakfast_end", "lunch_end", "dinner_end", "food_safety_officer", "food_safety_director"]
        widgets = {"breakfast_end": forms.TimeInput(attrs={"type": "time"}), "lunch_end": forms.TimeInput(attrs={"type": "time"}), "dinner_end": forms.TimeInput(attrs={"type": "time"})}

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        from logistics.selectors import members_of

        staff = members_of(school)
        self.fields["food_safety_officer"].queryset = staff
        self.fields["food_safety_director"].queryset = staff
        self.fields["menu_deadline_weekday"].widget = forms.Select(choices=[(i, d) for i, d in enumerate([_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")])])

    def clean(self):
        data = super().clean()
        if not (data.get("serves_breakfast") or data.get("serves_lunch") or data.get("serves_dinner")):
            raise forms.ValidationError(_("The canteen serves at least one meal."))
        return data


class CloseUpForm(forms.Form):
    gas_off = forms.BooleanField(label=_("gas off"), required=False)
    power_off = forms.BooleanField(label=_("power off"), required=False)
    water_off = forms.BooleanField(label=_("water off"), required=False)
    doors_locked = forms.BooleanField(label=_("doors locked"), required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class TrainingForm(forms.ModelForm):
    class Meta:
        from canteen.models import TrainingRecord

        model = TrainingRecord
        fields = ["day", "topic", "hours", "trainer", "attendees"]
        widgets = {"day": DATE, "attendees": forms.Textarea(attrs={"rows": 3})}


class ReferenceForm(forms.ModelForm):
    class Meta:
        from canteen.models import NutrientReference

        model = NutrientReference
        fields = ["age_group", "sex", "energy_kcal", "protein_g", "calcium_mg", "iron_mg", "vitamin_a_ug", "vitamin_c_mg", "source"]


class FollowUpForm(forms.Form):
    follow_up = forms.CharField(label=_("follow-up"), max_length=1000)
