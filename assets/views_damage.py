"""Damage, compensation and write-off views."""
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from logistics.scoping import ObjectActionView, SchoolScopedMixin

from . import services
from .choices import WriteOffStatus
from .forms import DamageAmountForm, DamageForm, DecisionForm, WriteOffForm
from .models import Asset, DamageRecord, WriteOff


class DamageCreateView(ObjectActionView):
    model = Asset
    capability = "assets.damage"
    form_class = DamageForm

    def get_form_kwargs(self):
        return {"school": self.object.school}

    def perform(self, obj, form):
        d = form.cleaned_data
        r = services.record_damage(obj, cause=d["cause"], liable_person=d["liable_person"], by=self.request.user, note=d["note"])
        return _("Damage recorded; amount by the rule: ¥%(amount)s.") % {"amount": r.amount}


class DamageAmountView(ObjectActionView):
    model = DamageRecord
    capability = "assets.damage"
    form_class = DamageAmountForm

    def get_success_url(self):
        return self.object.asset.get_absolute_url()

    def perform(self, obj, form):
        services.change_damage_amount(obj, amount=form.cleaned_data["amount"], reason=form.cleaned_data["reason"], by=self.request.user)
        return _("Amount changed; the reason is kept in the record's history.")


class WriteOffRequestView(ObjectActionView):
    model = Asset
    capability = "assets.damage"
    form_class = WriteOffForm

    def perform(self, obj, form):
        services.request_writeoff(obj, reason=form.cleaned_data["reason"], by=self.request.user)
        return _("Write-off requested; the director decides.")


class WriteOffDecideView(ObjectActionView):
    model = WriteOff
    capability = "assets.approve_writeoff"
    form_class = DecisionForm
    approve = True

    def perform(self, obj, form):
        services.decide_writeoff(obj, approve=self.approve, by=self.request.user, note=form.cleaned_data["note"])
        return _("Approved: the asset is written off.") if self.approve else _("Rejected: the asset is back in service.")


class WriteOffRejectView(WriteOffDecideView):
    approve = False


class WriteOffListView(SchoolScopedMixin, ListView):
    model = WriteOff
    capability = "assets.view"
    paginate_by = 50
    template_name = "assets/writeoff_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("asset", "requested_by", "decided_by").order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Write-offs"), pending=WriteOffStatus.PENDING, **kwargs)
