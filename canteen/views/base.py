"""Shared pieces of the canteen views."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.views.generic import FormView
from logistics.idempotency import OneSubmissionMixin
from logistics.scoping import SchoolScopedMixin

PAGE = 25


def _apply_errors(form, exc: ValidationError):
    for msg in exc.messages:
        form.add_error(None, msg)


class ServiceFormView(OneSubmissionMixin, SchoolScopedMixin, FormView):
    """A create form whose valid input goes to one service; a refusal is shown on the form."""

    template_name = "canteen/form.html"
    title = ""
    success_message = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "school" in self.form_class.__init__.__code__.co_varnames:
            kwargs["school"] = self.request.school
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, cancel_url=self.get_cancel_url(), **kwargs)

    def get_cancel_url(self):
        return self.success_url

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        if getattr(self, "object", None) is not None and hasattr(self.object, "get_absolute_url"):
            return self.object.get_absolute_url()
        return str(self.success_url)
