"""Monthly canteen accounts."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from canteen import forms as f, selectors
from canteen.models import MonthAccount
from canteen.services import accounts
from logistics.scoping import ObjectActionView, SchoolScopedMixin
from canteen.views.base import PAGE, ServiceFormView


# --- accounts ------------------------------------------------------------------------------

class AccountListView(SchoolScopedMixin, ListView):
    model = MonthAccount
    capability = "canteen.accounts"
    paginate_by = PAGE

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = selectors.account_rows(ctx["object_list"])
        return ctx


class AccountCreateView(ServiceFormView):
    capability = "canteen.accounts"
    form_class = f.AccountForm
    title = gettext_lazy("Open a month account")
    success_url = reverse_lazy("canteen:account_list")

    def perform(self, form):
        d = dict(form.cleaned_data)
        year, month = d.pop("year"), d.pop("month")
        if MonthAccount.objects.filter(school=self.request.school, year=year, month=month).exists():
            raise ValidationError(_("This month already has an account."))
        self.success_message = _("Month account saved.")
        return accounts.open_month(school=self.request.school, year=year, month=month, by=self.request.user, **d)


class AccountDetailView(SchoolScopedMixin, DetailView):
    history_panel = True
    model = MonthAccount
    capability = "canteen.accounts"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["figures"] = selectors.account_figures(self.object)
        if not self.object.is_closed:
            ctx["form"] = f.AccountEditForm(instance=self.object)
        return ctx


class AccountEditView(ObjectActionView):
    model = MonthAccount
    capability = "canteen.accounts"

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = f.AccountEditForm(request.POST, instance=MonthAccount.objects.get(pk=self.object.pk))
        if not form.is_valid():
            for field, errors in form.errors.items():
                for error in errors:
                    messages.error(request, f"{form.fields[field].label}: {error}" if field in form.fields else error)
            return HttpResponseRedirect(self.object.get_absolute_url())
        try:
            accounts.update_month(self.object, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("Month account saved."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class AccountCloseView(ObjectActionView):
    model = MonthAccount
    capability = "canteen.close_month"

    def perform(self, account, form):
        accounts.close_month(account, by=self.request.user)
        return _("Month closed; its account is now frozen.")


class AccountPublishView(ObjectActionView):
    model = MonthAccount
    capability = "canteen.close_month"

    def perform(self, account, form):
        accounts.publish_month(account, by=self.request.user)
        return _("Month account published to parents.")
