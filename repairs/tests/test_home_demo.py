"""Home cards per role, navigation, and the idempotent demo data."""
import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation

from logistics.roles import Role
from logistics.tests.factories import RoomFactory
from repairs import demo, home
from repairs.choices import RepairStatus
from repairs.models import Repair, RepairEvent
from repairs.tests.factories import RepairFactory

pytestmark = pytest.mark.django_db


def _request(user, school):
    request = RequestFactory().get("/")
    request.user, request.school = user, school
    return request


def titles(user, school):
    with translation.override("en"):
        return {str(c.title): c for c in home.cards(_request(user, school))}


def test_teacher_sees_requests_awaiting_sign_off_first(school, make_member):
    teacher = make_member(Role.TEACHER)
    RepairFactory(school=school, reporter=teacher)
    done = RepairFactory(school=school, reporter=teacher, status=RepairStatus.DONE, done_at=timezone.now())
    RepairFactory(school=school, reporter=teacher, status=RepairStatus.CLOSED)
    card = titles(teacher, school)["My repair requests"]
    assert card.count == 2
    assert card.items[0].url == done.get_absolute_url()


def test_staff_repairer_and_director_cards(school, make_member, django_assert_max_num_queries):
    staff, repairer, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.REPAIRER), make_member(Role.LOGISTICS_DIRECTOR)
    RepairFactory(school=school)
    RepairFactory(school=school, status=RepairStatus.TAKEN, owner=staff)
    RepairFactory(school=school, status=RepairStatus.DISPATCHED, owner=staff, assignee=repairer, completion_due=timezone.now() - dt.timedelta(hours=1))
    staff_cards = titles(staff, school)
    assert staff_cards["Repair inbox: not taken"].count == 1
    assert staff_cards["Repairs I own"].count == 2
    assert titles(repairer, school)["Jobs assigned to me"].count == 1
    assert titles(director, school)["Repairs overdue or escalated"].count == 1
    for _ in range(10):
        RepairFactory(school=school)
    with django_assert_max_num_queries(8):
        assert titles(staff, school)["Repair inbox: not taken"].count == 11


def test_demo_data_is_idempotent(school, make_member):
    users = {name: make_member(role) for name, role in {
        "teacher": Role.TEACHER, "teacher2": Role.TEACHER, "guard": Role.GUARD, "canteen": Role.CANTEEN_MANAGER,
        "staff": Role.LOGISTICS_STAFF, "staff2": Role.LOGISTICS_STAFF, "repairer": Role.REPAIRER, "repairer2": Role.REPAIRER,
    }.items()}
    RoomFactory(school=school)
    demo.seed(school=school, users=users)
    counts = (Repair.objects.count(), RepairEvent.objects.count())
    demo.seed(school=school, users=users)
    assert (Repair.objects.count(), RepairEvent.objects.count()) == counts
    assert counts[0] == demo.COUNT
    assert Repair.objects.filter(reopen_count__gt=0).exists()
    assert Repair.objects.filter(auto_closed=True).exists()
    assert Repair.objects.filter(status__in=[RepairStatus.SUBMITTED, RepairStatus.DISPATCHED]).exists()
