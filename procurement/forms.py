from django import forms
from django.utils.translation import gettext_lazy as _

from procurement.choices import AttachmentKind
from procurement.models import BudgetLine, PurchaseItem, PurchaseRequest, Quote


class PurchaseForm(forms.ModelForm):
    class Meta:
        model = PurchaseRequest
        fields = ["title", "reason", "budget_line", "tender_record", "quote_justification"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3}), "tender_record": forms.Textarea(attrs={"rows": 2}),
                   "quote_justification": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = BudgetLine.objects.for_school(school)


class ItemForm(forms.ModelForm):
    class Meta:
        model = PurchaseItem
        fields = ["name", "spec", "quantity", "unit", "unit_price", "kind", "asset_category_code"]


class QuoteForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ["supplier", "amount", "chosen"]


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReimburseForm(forms.Form):
    invoice_number = forms.CharField(label=_("invoice number"), max_length=50)
    invoice_amount = forms.DecimalField(label=_("invoice amount"), max_digits=12, decimal_places=2, min_value=0.01)
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput(attrs={"type": "date"}))


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
