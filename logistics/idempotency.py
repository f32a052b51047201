"""One submission per form: a double click, a second tab or a retried POST of the same create form
makes one record, not two — also when the two requests arrive at the same moment on two workers.

How: the form page carries a one-time token (``form_token``, rendered by
``templates/_partials/form_token.html``, included in ``_partials/form.html``). The first POST
with a token stores ``FormSubmission(user, token)`` — unique per user and token — in the same
transaction as the record it creates. A second POST with the same token cannot store it again:
on PostgreSQL it waits for the first to commit, then meets the unique constraint, and is answered
with a redirect to what the first one created. When the first POST is refused (form errors), its
transaction is rolled back with the token, so the corrected form can be sent again.

Use ``OneSubmissionMixin`` first in the bases of a create view (``FormView``/``CreateView``).
A POST without a token (an API client, an old page) is processed as before.
"""
from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_FIELD = "form_token"
TOKEN_MAX = 64
KEEP_DAYS = 30


class FormSubmission(models.Model):
    """A create form that was sent: who sent it, with which one-time token, and where it led."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    token = models.CharField(_("form token"), max_length=TOKEN_MAX)
    path = models.CharField(_("form address"), max_length=200)
    result_url = models.CharField(_("result address"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        app_label = "logistics"
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="uniq_form_submission_token")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.path} · {self.created_at:%Y-%m-%d %H:%M}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def purge_old_submissions(*, days: int = KEEP_DAYS) -> int:
    """Forget tokens older than ``days`` (a page that old is not re-sent by a double click)."""
    return FormSubmission.objects.filter(created_at__lt=timezone.now() - timezone.timedelta(days=days)).delete()[0]


class OneSubmissionMixin:
    """Create views: the first POST with a token runs; any other POST with it goes to the first's result."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # A re-shown form keeps its token: the corrected form is the same submission.
        posted = self.request.POST.get(TOKEN_FIELD, "") if self.request.method == "POST" else ""
        ctx["form_token"] = posted[:TOKEN_MAX] or new_token()
        return ctx

    def post(self, request, *args, **kwargs):
        token = request.POST.get(TOKEN_FIELD, "")[:TOKEN_MAX]
        if not token or not request.user.is_authenticated:
            return super().post(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    submission = FormSubmission.objects.create(user=request.user, token=token, path=request.path[:200])
            except IntegrityError:
                submission = None
            if submission is not None:
                response = super().post(request, *args, **kwargs)
                if response.status_code in (301, 302, 303):
                    FormSubmission.objects.filter(pk=submission.pk).update(result_url=response["Location"][:500])
                    # Each person's old tokens go as they send new forms: the table stays small, no job needed.
                    FormSubmission.objects.filter(
                        user=request.user, created_at__lt=timezone.now() - timezone.timedelta(days=KEEP_DAYS)
                    ).delete()
                else:
                    transaction.set_rollback(True)  # refused: nothing was created, the token is free again
                return response
        done = FormSubmission.objects.filter(user=request.user, token=token).first()
        messages.info(request, _("This form was already sent; here is what it created."))
        return HttpResponseRedirect(done.result_url if done and done.result_url else request.path)
