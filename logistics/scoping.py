"""School scoping: every query a view makes is narrowed to the schools the user belongs to.

- ``SchoolScopedQuerySet.for_user(user)``: rows of the user's schools (district officers: their
  district's). A model whose school is reached through a parent sets ``school_path``
  (e.g. ``school_path = "repair__school"``).
- ``SchoolScopedMixin`` for class-based views: anonymous → login; ``capability`` checked on the
  active school (lists, create forms) or on the object's school (detail, edit, actions) → 403;
  objects outside the user's schools are simply not in the queryset → 404.
- ``ObjectActionView``: a POST-only workflow step on one object.
- ``history_panel = True`` on a detail view: ``?fragment=history`` answers with the audit trail of
  the object ``get_object`` returns (``logistics.history``), under the same checks as the page.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.views import View
from django.views.generic.detail import SingleObjectMixin
from django.views.generic.list import MultipleObjectMixin

from logistics.audit import already_logged, log_refused
from logistics.history import history_fragment, wants_history
from logistics.roles import can, school_ids_for


def log_refusal(request, *, obj=None, action: str, reason) -> None:
    """Write one line to the audit log for a refused attempt (immutable record, wrong role, …)."""
    log_refused(action=action, reason=reason, obj=obj, by=getattr(request, "user", None),
                school=None if obj is not None else getattr(request, "school", None), path=getattr(request, "path", ""))


def school_path_of(model) -> str:
    return getattr(model, "school_path", "school")


def school_of(obj):
    """The School an object belongs to, following ``school_path``."""
    target = obj
    for part in school_path_of(type(obj)).split("__"):
        target = getattr(target, part)
    return target


class SchoolScopedQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(**{f"{school_path_of(self.model)}__in": school_ids_for(user)})

    def for_school(self, school):
        return self.filter(**{school_path_of(self.model): school})


class SchoolScopedMixin:
    """Login, role and school checks for every class-based view of the domain apps."""

    capability: str | None = None
    history_panel = False  # the page shows the object's audit trail (answers ?fragment=history)
    # Views that list or create act on the active school; object views on the object's school.
    object_kwargs = ("pk", "slug", "number")

    def is_object_view(self) -> bool:
        return any(k in self.kwargs for k in self.object_kwargs) and hasattr(self, "get_object")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.capability and not (any(k in kwargs for k in self.object_kwargs) and hasattr(self, "get_object")):
            if request.school is None or not can(request.user, self.capability, school=request.school):
                log_refusal(request, action=self.capability, reason="role")
                raise PermissionDenied(self.capability)
        if self.history_panel and wants_history(request) and self.is_object_view():
            return history_fragment(request, self.get_object())
        return super().dispatch(request, *args, **kwargs)

    def handle_no_permission(self):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(self.request.get_full_path())

    def get_queryset(self):
        qs = super().get_queryset()
        if hasattr(qs, "for_user"):
            qs = qs.for_user(self.request.user)
        if isinstance(self, MultipleObjectMixin) and not self.is_object_view() and hasattr(qs, "for_school"):
            qs = qs.for_school(self.request.school)
        return qs

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if self.capability and not can(self.request.user, self.capability, school=school_of(obj)):
            log_refusal(self.request, obj=obj, action=self.capability, reason="role")
            raise PermissionDenied(self.capability)
        return obj


class ObjectActionView(SchoolScopedMixin, SingleObjectMixin, View):
    """A POST-only step on one object: validate a small form, call one service, say what happened.

    Subclasses set ``model``, ``capability``, optionally ``form_class``, and implement
    ``perform(obj, form)`` returning a success message. A ``ValidationError`` from the service
    becomes an error message; the user's typed text is kept in the session under
    ``action_form_data`` so the page can show it again.
    """

    http_method_names = ["post"]
    form_class = None

    def get_success_url(self):
        return self.object.get_absolute_url()

    def perform(self, obj, form):  # pragma: no cover - every subclass defines it
        raise ImproperlyConfigured(f"{type(self).__name__} must define perform(obj, form)")

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = None
        if self.form_class is not None:
            form = self.form_class(request.POST, request.FILES, **self.get_form_kwargs())
            if not form.is_valid():
                for field, errors in form.errors.items():
                    for error in errors:
                        label = form.fields[field].label if field in form.fields else ""
                        messages.error(request, f"{label}: {error}" if label else error)
                self.keep_input(request)
                return HttpResponseRedirect(self.get_success_url())
        try:
            message = self.perform(self.object, form)
        except PermissionDenied as exc:
            log_refusal(request, obj=self.object, action=self.action_name(), reason=str(exc) or "permission denied")
            raise
        except ValidationError as exc:
            if not already_logged(exc):  # the service wrote its own line
                log_refusal(request, obj=self.object, action=self.action_name(), reason="; ".join(exc.messages))
            for error in exc.messages:
                messages.error(request, error)
            self.keep_input(request)
            return HttpResponseRedirect(self.get_success_url())
        if message:
            messages.success(request, message)
        return HttpResponseRedirect(self.get_success_url())

    def get_form_kwargs(self) -> dict:
        return {}

    def action_name(self) -> str:
        match = getattr(self.request, "resolver_match", None)
        return (match.view_name if match else "") or type(self).__name__

    def keep_input(self, request):
        request.session["action_form_data"] = {
            "path": request.path,
            "data": {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"},
        }


def pop_kept_input(request, action_path: str) -> dict | None:
    """The POST data an ``ObjectActionView`` at ``action_path`` kept after a failed attempt."""
    kept = request.session.get("action_form_data")
    if kept and kept.get("path") == action_path:
        del request.session["action_form_data"]
        return kept["data"]
    return None
