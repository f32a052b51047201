"""Feedback from parents, teachers and (through their teachers) students, and the canteen's replies."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canteen.models import Feedback
from logistics.roles import Role, require, roles_in
from logistics.services import notify


@transaction.atomic
def submit_feedback(*, school, by, kind: str, text: str, from_student: bool = False) -> Feedback:
    """Feedback of a parent or teacher; a teacher may pass on a student's (students have no accounts)."""
    require(by, "canteen.feedback", school=school)
    if not text.strip():
        raise ValidationError(_("Write your feedback."))
    if from_student and Role.TEACHER not in roles_in(by, school):
        raise ValidationError({"from_student": _("Only teachers pass on feedback from students.")})
    return Feedback.objects.create(school=school, author=by, kind=kind, text=text.strip(), from_student=from_student)


@transaction.atomic
def reply_feedback(feedback: Feedback, *, by, reply: str) -> Feedback:
    """One reply, kept as given; the author is notified."""
    require(by, "canteen.reply_feedback", school=feedback.school)
    if not reply.strip():
        raise ValidationError(_("Write the reply."))
    now = timezone.now()
    if not Feedback.objects.filter(pk=feedback.pk, replied_at__isnull=True).update(reply=reply.strip(), replied_by=by, replied_at=now):
        raise ValidationError(_("This feedback already has a reply."))
    feedback.refresh_from_db()
    notify(feedback.author, text=gettext_lazy("The canteen replied to your feedback."), school=feedback.school, url=feedback.get_absolute_url(), key=f"canteen:feedback-reply:{feedback.pk}")
    return feedback
