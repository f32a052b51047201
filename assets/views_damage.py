"""Damage, compensation and write-off views."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from logistics.models import person_columns
from logistics.scoping import ObjectActionView, SchoolScopedMixin

from . import services
from .choices import AssetStatus, WriteOffStatus
from .forms import DamageAmountForm, DamageForm, DecisionForm, WriteOffForm
from .models import Asset, DamageRecord, WriteOff
from .paging import PAGE, IdsFirstPaginator
from .views_base import ObjectFormView


class WrittenOffRefusalMixin:
    """The page of a step is not even offered for a written-off asset (the attempt is logged)."""

    action = ""

    def asset_of(self, obj):
        return obj

    def refusal(self, obj):
        try:
            services.refuse_if_written_off(self.asset_of(obj), by=self.request.user, action=self.action)
        except ValidationError as exc:
            return exc.messages[0]
        return None


class DamageCreateView(WrittenOffRefusalMixin, ObjectFormView):
    model = Asset
    capability = "assets.damage"
    form_class = DamageForm
    title = _("Record damage")
    submit_label = _("Record damage")
    help_text = _("Natural wear: nothing to pay. Accidental: the current value. Deliberate: twice the current value and a discipline referral.")
    action = "assets.record_damage"

    def form_extra(self):
        return {"school": self.object.school}

    def perform(self, obj, form):
        d = form.cleaned_data
        r = services.record_damage(obj, cause=d["cause"], liable_person=d["liable_person"], by=self.request.user, note=d["note"])
        return _("Damage recorded; amount by the rule: ¥%(amount)s.") % {"amount": r.amount}


class DamageAmountView(WrittenOffRefusalMixin, ObjectFormView):
    model = DamageRecord
    capability = "assets.damage"
    form_class = DamageAmountForm
    title = _("Change the amount")
    submit_label = _("Change the amount")
    help_text = _("The amount by the rule stays on the record; the new amount and your reason are kept in its history.")
    action = "assets.change_damage_amount"

    def asset_of(self, obj):
        return obj.asset

    def get_queryset(self):
        return super().get_queryset().select_related("asset__school")

    def get_initial(self):
        return {"amount": self.object.amount}

    def get_success_url(self):
        return self.object.asset.get_absolute_url()

    def get_title(self):
        return f"{self.title} · {self.object.asset} · {self.object.get_cause_display()}"

    def perform(self, obj, form):
        services.change_damage_amount(obj, amount=form.cleaned_data["amount"], reason=form.cleaned_data["reason"], by=self.request.user)
        return _("Amount changed; the reason is kept in the record's history.")


class WriteOffRequestView(WrittenOffRefusalMixin, ObjectFormView):
    model = Asset
    capability = "assets.damage"
    form_class = WriteOffForm
    title = _("Request a write-off")
    submit_label = _("Request a write-off")
    help_text = _("The director decides. Until then the asset is “to be written off”; a written-off asset stays in the register and its history.")
    action = "assets.request_writeoff"

    def refusal(self, obj):
        if obj.status == AssetStatus.TO_WRITE_OFF:
            return _("A write-off of this asset is already waiting for the director.")
        return super().refusal(obj)

    def perform(self, obj, form):
        services.request_writeoff(obj, reason=form.cleaned_data["reason"], by=self.request.user)
        return _("Write-off requested; the director decides.")


class WriteOffDecideView(ObjectActionView):
    model = WriteOff
    capability = "assets.approve_writeoff"
    form_class = DecisionForm
    approve = True

    def get_success_url(self):
        from django.urls import reverse

        return reverse("assets:writeoff_list")

    def perform(self, obj, form):
        services.decide_writeoff(obj, approve=self.approve, by=self.request.user, note=form.cleaned_data["note"])
        return _("Approved: the asset is written off.") if self.approve else _("Rejected: the asset is back in service.")


class WriteOffRejectView(WriteOffDecideView):
    approve = False


class WriteOffListView(SchoolScopedMixin, ListView):
    model = WriteOff
    capability = "assets.view"
    paginator_class = IdsFirstPaginator  # one query per page (keys from an index, rows joined, total alongside)
    paginate_by = PAGE
    template_name = "assets/writeoff_list.html"

    def get_queryset(self):
        # only what a row shows (an asset row is wide; 25 rows × three joined objects)
        qs = super().get_queryset().select_related("asset", "requested_by", "decided_by").only(
            "id", "school_id", "asset_id", "reason", "status", "decision_note", "created_at", "requested_by_id", "decided_by_id",
            "asset__id", "asset__number", "asset__name", *person_columns("requested_by", "decided_by"))
        if self.request.GET.get("status") in WriteOffStatus.values:
            qs = qs.filter(status=self.request.GET["status"])
        return qs.order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Write-offs"), pending=WriteOffStatus.PENDING, statuses=WriteOffStatus.choices,
                                        **kwargs)
