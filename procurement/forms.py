from django import forms
from django.utils.translation import gettext_lazy as _

from procurement.choices import AttachmentKind
from procurement.models import ApprovalPolicy, BudgetLine, PurchaseItem, PurchaseRequest, Quote


def school_rooms(school):
    from logistics.models import Room

    return Room.objects.for_school(school).select_related("building").order_by("building__name", "number", "name")


def school_store_items(school):
    from assets.selectors import store_items

    return store_items(school)


class PurchaseForm(forms.ModelForm):
    class Meta:
        model = PurchaseRequest
        fields = ["title", "reason", "budget_line", "tender_record", "quote_justification"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3}), "tender_record": forms.Textarea(attrs={"rows": 2}),
                   "quote_justification": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, school=None, **kwargs):
        from procurement.selectors import budget_lines_with_use

        super().__init__(*args, **kwargs)
        field = self.fields["budget_line"]
        field.queryset = BudgetLine.objects.for_school(school)
        # Each choice says what is left on the line (one query for all of them).
        lines = list(budget_lines_with_use(school))
        field.choices = [("", "---------")] + [
            (b.pk, _("%(line)s · ¥%(left)s left") % {"line": b, "left": f"{b.remaining:,.2f}"}) for b in lines
        ]


class ItemForm(forms.ModelForm):
    class Meta:
        model = PurchaseItem
        fields = ["name", "spec", "quantity", "unit", "unit_price", "kind", "asset_category_code", "room",
                  "store_item"]
        widgets = {"quantity": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0.01"}),
                   "unit_price": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"})}

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = school_rooms(school)
        self.fields["store_item"].queryset = school_store_items(school)


class QuoteForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ["supplier", "amount", "chosen"]


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReimburseForm(forms.Form):
    invoice_number = forms.CharField(label=_("invoice number"), max_length=50)
    invoice_amount = forms.DecimalField(label=_("invoice amount"), max_digits=12, decimal_places=2, min_value=0.01,
                                        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    invoice_file = forms.FileField(label=_("invoice file"), help_text=_("PDF or a photo of the invoice."),
                                   widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}))


class GenerateForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("month"), min_value=1, max_value=12)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("file"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}))


class JustificationForm(forms.Form):
    quote_justification = forms.CharField(label=_("why this supplier"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 2}))
    tender_record = forms.CharField(label=_("tender record"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "code", "name", "category", "amount"]
        widgets = {"amount": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"})}

    def validate_unique(self):
        """Uniqueness is the service's rule (with a translated message); the form only parses input."""


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ApprovalPolicy
        fields = ["principal_threshold", "collective_threshold", "min_quotes"]
