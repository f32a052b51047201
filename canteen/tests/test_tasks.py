import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from canteen import tasks
from canteen.models import HealthCertificate
from canteen.services import menus
from canteen.services.sweep import sweep_school
from canteen.tests.factories import DishFactory, MealSampleFactory
from logistics.models import Notification

pytestmark = pytest.mark.django_db


def _at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_sweep_notifies_missing_samples_after_meal_once(school, make_member):
    manager, director = make_member("canteen_manager"), make_member("logistics_director")
    day = dt.date(2026, 11, 25)  # a Wednesday
    monday = menus.monday_of(day)
    rice, soup = DishFactory(school=school, name="米饭"), DishFactory(school=school, name="紫菜汤")
    menu = menus.create_menu(school=school, week_start=monday, by=manager)
    for d in (rice, soup):
        menus.add_menu_item(menu, day=day, meal="lunch", dish=d, by=manager)
    menus.approve_menu(menu, by=director)
    menus.publish_menu(menu, by=manager)
    MealSampleFactory(school=school, day=day, meal="lunch", dish=rice)
    # also publish next week so the late-menu notice stays out of this test
    nxt = menus.create_menu(school=school, week_start=monday + dt.timedelta(days=7), by=manager)
    menus.add_menu_item(nxt, day=nxt.week_start, meal="lunch", dish=rice, by=manager)
    menus.approve_menu(nxt, by=director)
    menus.publish_menu(nxt, by=manager)

    assert sweep_school(school, now=_at(day, 12, 0)) == 0  # lunch not over yet (ends 13:00)
    assert sweep_school(school, now=_at(day, 13, 5)) == 1
    assert sweep_school(school, now=_at(day, 13, 20)) == 0  # idempotent
    note = Notification.objects.get(recipient=manager)
    assert "紫菜汤" in note.text and "米饭" not in note.text
    # catch-up: a run the next morning would not send it again either
    assert sweep_school(school, now=_at(day + dt.timedelta(days=1), 7, 0)) == 0


def test_sweep_health_certificate_30_days_and_late_menu(school, make_member):
    manager = make_member("canteen_manager")
    today = dt.date(2026, 11, 28)  # Saturday: next week's menu was due Friday
    HealthCertificate.objects.create(school=school, staff_name="王师傅", number="J1", issued_on=dt.date(2025, 12, 20), expires_on=today + dt.timedelta(days=30))
    HealthCertificate.objects.create(school=school, staff_name="李师傅", number="J2", issued_on=dt.date(2026, 1, 20), expires_on=today + dt.timedelta(days=31))
    assert sweep_school(school, now=_at(today, 9)) == 2
    texts = sorted(Notification.objects.filter(recipient=manager).values_list("text", flat=True))
    assert any("王师傅" in t for t in texts) and not any("李师傅" in t for t in texts)
    assert any("2026-11-30" in t for t in texts)
    assert sweep_school(school, now=_at(today, 10)) == 0


def test_task_runs_the_sweep(school, make_member):
    make_member("canteen_manager")
    assert isinstance(tasks.sweep.apply().get(), int)


def test_the_sweep_task_records_its_run_for_the_health_command(db):
    from canteen.tasks import sweep
    from logistics.models import TaskHeartbeat

    sweep()
    beat = TaskHeartbeat.objects.get(name="canteen.sweep")
    assert beat.detail.endswith("notices")


def _canteen_world(schools: int, day: dt.date):
    """Schools that each served lunch with a dish unsampled, have a certificate about to expire and
    no menu for next week: three notices due per school, for each of its two canteen managers."""
    from logistics.roles import Role
    from logistics.tests.factories import SchoolFactory, member

    made = []
    for _ in range(schools):
        school = SchoolFactory()
        manager = member(Role.CANTEEN_MANAGER, school)
        member(Role.CANTEEN_MANAGER, school)
        director = member(Role.LOGISTICS_DIRECTOR, school)
        menu = menus.create_menu(school=school, week_start=menus.monday_of(day), by=manager)
        menus.add_menu_item(menu, day=day, meal="lunch", dish=DishFactory(school=school), by=manager)
        menus.approve_menu(menu, by=director)
        menus.publish_menu(menu, by=manager)
        HealthCertificate.objects.create(school=school, staff_name="张师傅", number="J9", issued_on=day - dt.timedelta(days=300),
                                         expires_on=day + dt.timedelta(days=10))
        made.append(school)
    return made


def test_sweep_query_count_does_not_grow_with_schools(db):
    """Set-wise across schools: the same statements for 1 school as for 8, each notice once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from canteen.services.sweep import sweep

    day = dt.date(2026, 11, 28)  # Saturday: lunch served, next week's menu was due Friday
    _canteen_world(1, day)
    with CaptureQueriesContext(connection) as small:
        assert sweep(now=_at(day, 14)) == 3 * 2
    _canteen_world(8, day)
    with CaptureQueriesContext(connection) as big:
        assert sweep(now=_at(day, 14)) == 8 * 3 * 2  # the first school's are sent already
    assert len(big) == len(small) <= 10, [q["sql"][:120] for q in big.captured_queries]
    assert Notification.objects.count() == 9 * 3 * 2
    assert sweep(now=_at(day, 15)) == 0
