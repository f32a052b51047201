"""The termly satisfaction survey: opened by the canteen, answered once by parents and teachers,
closed, then its results per question published to them."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from canteen.choices import SURVEY_QUESTIONS, SurveyStatus
from canteen.models import Survey, SurveyResponse
from logistics.roles import Role, has_role, require
from logistics.workflow import move

SURVEY_TRANSITIONS = {SurveyStatus.OPEN: {SurveyStatus.CLOSED}, SurveyStatus.CLOSED: {SurveyStatus.PUBLISHED}, SurveyStatus.PUBLISHED: set()}


@transaction.atomic
def open_survey(*, school, by, term: str) -> Survey:
    require(by, "canteen.manage", school=school)
    if not term.strip():
        raise ValidationError(_("Name the term, e.g. 2026 autumn."))
    if Survey.objects.filter(school=school, term=term.strip()).exists():
        raise ValidationError(_("This term already has a survey."))
    return Survey.objects.create(school=school, term=term.strip())


@transaction.atomic
def answer_survey(survey: Survey, *, by, comment: str = "", **scores) -> SurveyResponse:
    if not (has_role(by, Role.PARENT, school=survey.school) or has_role(by, Role.TEACHER, school=survey.school)):
        raise PermissionDenied("canteen.survey")
    if Survey.objects.filter(pk=survey.pk).values_list("status", flat=True).first() != SurveyStatus.OPEN:
        raise ValidationError(_("This survey is closed."))
    for key, _label in SURVEY_QUESTIONS:
        if not 1 <= int(scores.get(key, 0)) <= 5:
            raise ValidationError(_("Give every question a score from 1 to 5."))
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(survey=survey, respondent=by, comment=comment.strip(), **{k: int(scores[k]) for k, _l in SURVEY_QUESTIONS})
    except IntegrityError:
        raise ValidationError(_("You have already answered this survey.")) from None


@transaction.atomic
def close_survey(survey: Survey, *, by) -> Survey:
    require(by, "canteen.manage", school=survey.school)
    move(survey, SurveyStatus.CLOSED, transitions=SURVEY_TRANSITIONS)
    return survey


@transaction.atomic
def publish_survey(survey: Survey, *, by) -> Survey:
    require(by, "canteen.manage", school=survey.school)
    move(survey, SurveyStatus.PUBLISHED, transitions=SURVEY_TRANSITIONS)
    return survey
