"""The view shape of the assets app's steps on one object that need more than one tap."""
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView
from django.views.generic.detail import SingleObjectMixin

from logistics.scoping import SchoolScopedMixin


def add_errors(form, exc: ValidationError):
    """A service's ValidationError onto the form: field errors by field, the rest on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ObjectFormView(SchoolScopedMixin, SingleObjectMixin, FormView):
    """A step on one object with its own small page (phone first): GET shows the form, POST calls one
    service. A refused step shows the page again with the service's message next to the field and
    everything the user typed; success redirects with a message.

    Subclasses set ``model``, ``capability``, ``form_class``, ``title`` and implement
    ``perform(obj, form) -> message``; ``refusal(obj)`` may return why the step is not possible at
    all now (the page then says so instead of offering the form).
    """

    template_name = "assets/object_form.html"
    title = ""
    submit_label = ""
    help_text = ""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        reason = self.refusal(self.object)
        if reason:
            messages.error(request, reason)
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def refusal(self, obj):
        return None

    def form_extra(self) -> dict:
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.form_extra()}

    def get_success_url(self):
        return self.object.get_absolute_url()

    def perform(self, obj, form):  # pragma: no cover - every subclass defines it
        raise ImproperlyConfigured(f"{type(self).__name__} must define perform(obj, form)")

    def form_valid(self, form):
        try:
            message = self.perform(self.object, form)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.form_invalid(form)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.get_title(), submit_label=self.submit_label, help_text=self.help_text, cancel_url=self.get_success_url(),
            **kwargs,
        )

    def get_title(self):
        return f"{self.title} · {self.object}"
