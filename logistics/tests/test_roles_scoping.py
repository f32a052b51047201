import pytest
from django.core.exceptions import PermissionDenied

from logistics.models import Membership, Room
from logistics.roles import CAPABILITIES, Role, can, require, school_ids_for
from logistics.tests.factories import DistrictFactory, RoomFactory, SchoolFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_capability_follows_role_in_that_school_only(school, other_school):
    staff = member(Role.LOGISTICS_STAFF, school)
    assert can(staff, "repairs.dispatch", school=school)
    assert not can(staff, "repairs.dispatch", school=other_school)


def test_teacher_cannot_dispatch_and_require_raises(school):
    teacher = member(Role.TEACHER, school)
    assert not can(teacher, "repairs.dispatch", school=school)
    with pytest.raises(PermissionDenied):
        require(teacher, "repairs.dispatch", school=school)


def test_unknown_capability_is_an_error(school):
    with pytest.raises(KeyError):
        can(member(Role.TEACHER, school), "repairs.fly", school=school)


def test_district_officer_reads_every_school_of_the_district_but_never_acts():
    district = DistrictFactory()
    a, b = SchoolFactory(district=district), SchoolFactory(district=district)
    elsewhere = SchoolFactory(district=DistrictFactory())
    officer = UserFactory()
    Membership.objects.create(user=officer, district=district, role=Role.DISTRICT_OFFICER)
    assert set(school_ids_for(officer)) == {a.pk, b.pk}
    assert can(officer, "repairs.view_all", school=b)
    assert not can(officer, "repairs.view_all", school=elsewhere)
    acting = [cap for cap, roles in CAPABILITIES.items() if Role.DISTRICT_OFFICER in roles and cap.split(".")[1].startswith(("approve", "manage", "publish"))]
    for cap in acting:
        assert not can(officer, cap, school=a), cap


def test_superuser_can_everything(school):
    admin = UserFactory(is_superuser=True)
    assert all(can(admin, cap, school=school) for cap in CAPABILITIES)


def test_inactive_user_can_nothing(school):
    user = member(Role.LOGISTICS_DIRECTOR, school, is_active=False)
    assert not can(user, "repairs.dispatch", school=school)


def test_scoped_queryset_returns_only_the_users_schools(school, other_school):
    mine = RoomFactory(school=school)
    RoomFactory(school=other_school)
    teacher = member(Role.TEACHER, school)
    assert list(Room.objects.for_user(teacher)) == [mine]


def test_membership_needs_a_school_or_a_district_for_officers(school):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Membership.objects.create(user=UserFactory(), school=None, role=Role.TEACHER)
