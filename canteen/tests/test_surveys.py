from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from canteen.selectors import survey_results
from canteen.services import surveys

pytestmark = pytest.mark.django_db
SCORES = {"taste": 5, "hygiene": 4, "price": 3, "service": 4}


def test_survey_answered_once_by_parents_and_teachers_and_results_averaged(school, make_member):
    manager = make_member("canteen_manager")
    survey = surveys.open_survey(school=school, by=manager, term="2026秋季")
    surveys.answer_survey(survey, by=make_member("parent"), comment="好", **SCORES)
    teacher = make_member("teacher")
    surveys.answer_survey(survey, by=teacher, taste=4, hygiene=4, price=4, service=5)
    with pytest.raises(ValidationError):
        surveys.answer_survey(survey, by=teacher, **SCORES)
    with pytest.raises(PermissionDenied):
        surveys.answer_survey(survey, by=make_member("accountant"), **SCORES)
    with pytest.raises(ValidationError):
        surveys.answer_survey(survey, by=make_member("parent"), taste=6, hygiene=1, price=1, service=1)
    surveys.close_survey(survey, by=manager)
    with pytest.raises(ValidationError):
        surveys.answer_survey(survey, by=make_member("parent"), **SCORES)
    results = survey_results(survey)
    assert results["count"] == 2
    assert [s for _l, s in results["scores"]] == [Decimal("4.5"), Decimal("4.0"), Decimal("3.5"), Decimal("4.5")]


def test_results_visible_to_parents_only_when_published(login_as, school, make_member):
    manager = make_member("canteen_manager")
    survey = surveys.open_survey(school=school, by=manager, term="2026秋季")
    parent = login_as("parent")
    assert parent.post(reverse("canteen:survey_answer", args=[survey.pk]), {**SCORES, "comment": "不错"}).status_code == 302
    surveys.close_survey(survey, by=manager)
    assert "2026秋季" not in parent.get(reverse("canteen:survey_list")).content.decode()
    surveys.publish_survey(survey, by=manager)
    page = parent.get(reverse("canteen:survey_list")).content.decode()
    assert "2026秋季" in page and "5.0" in page


def test_results_of_many_surveys_match_single(school, make_member):
    from canteen.selectors import survey_results_many

    manager = make_member("canteen_manager")
    a = surveys.open_survey(school=school, by=manager, term="A")
    b = surveys.open_survey(school=school, by=manager, term="B")
    surveys.answer_survey(a, by=make_member("parent"), **SCORES)
    many = survey_results_many([a.pk, b.pk])
    assert many[a.pk] == survey_results(a)
    assert many[b.pk]["count"] == 0
