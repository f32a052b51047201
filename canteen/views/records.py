"""School settings, close-of-day checks, training, reference intakes."""
from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView

from canteen import forms as f
from canteen.models import (
    AccompaniedMeal,
    CloseUpCheck,
    NutrientReference,
    TrainingRecord,
)
from canteen.services import menus, safety
from logistics.scoping import ObjectActionView, SchoolScopedMixin
from canteen.views.base import PAGE, ServiceFormView


# --- school settings and daily records -----------------------------------------------------

class SettingsEditView(SchoolScopedMixin, FormView):
    """Meals served, prices, pupils' age group, menu deadline, meal end times, the named officers."""

    capability = "canteen.manage"
    form_class = f.CanteenSettingsForm
    template_name = "canteen/form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(school=self.request.school, instance=menus.settings_for(self.request.school))
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Canteen settings"), cancel_url=reverse("canteen:menu_list"), **kwargs)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Settings saved."))
        return HttpResponseRedirect(reverse("canteen:settings_edit"))


class CloseUpListView(SchoolScopedMixin, ListView):
    model = CloseUpCheck
    capability = "canteen.view"
    paginate_by = PAGE

    def get_queryset(self):
        return super().get_queryset().select_related("by")

    def get_context_data(self, **kwargs):
        done = CloseUpCheck.objects.filter(school=self.request.school, day=timezone.localdate()).exists()
        return super().get_context_data(form=f.CloseUpForm(), done_today=done, **kwargs)


class CloseUpCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.CloseUpForm
    title = gettext_lazy("Close-of-day check")
    success_url = reverse_lazy("canteen:closeup_list")

    def perform(self, form):
        safety.record_closeup(school=self.request.school, by=self.request.user, day=timezone.localdate(), **form.cleaned_data)
        self.success_message = _("Close-of-day check recorded.")
        return None


class TrainingListView(SchoolScopedMixin, ListView):
    model = TrainingRecord
    capability = "canteen.view"
    paginate_by = PAGE


class TrainingCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.TrainingForm
    title = gettext_lazy("New training record")
    success_url = reverse_lazy("canteen:training_list")

    def perform(self, form):
        form.instance.school = self.request.school
        form.save()
        self.success_message = _("Training record saved.")
        return None


class ReferenceListView(SchoolScopedMixin, ListView):
    model = NutrientReference
    capability = "canteen.view"
    paginate_by = PAGE

    def get_queryset(self):
        return super().get_queryset().order_by("school", "age_group", "sex")


class ReferenceCreateView(ServiceFormView):
    capability = "canteen.manage"
    form_class = f.ReferenceForm
    title = gettext_lazy("School reference intake")
    success_url = reverse_lazy("canteen:reference_list")

    def perform(self, form):
        form.instance.school = self.request.school
        form.save()
        self.success_message = _("Reference saved; it now takes precedence for that age group.")
        return None


class AccompaniedFollowUpView(ObjectActionView):
    model = AccompaniedMeal
    capability = "canteen.manage"
    form_class = f.FollowUpForm

    def get_success_url(self):
        return reverse("canteen:accompanied_list")

    def perform(self, record, form):
        safety.follow_up_accompanied_meal(record, by=self.request.user, follow_up=form.cleaned_data["follow_up"])
        return _("Follow-up recorded.")
