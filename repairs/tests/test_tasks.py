"""Beat sweeps: escalation, auto-close and planned maintenance; idempotent and catching up."""
import datetime as dt

import pytest
from django.utils import timezone

from logistics.models import Notification
from logistics.roles import Role
from repairs import services, tasks
from repairs.choices import RepairStatus
from repairs.models import Repair, RepairSettings
from repairs.tests.factories import MaintenancePlanFactory, RepairFactory

pytestmark = pytest.mark.django_db


def test_untaken_request_escalates_to_the_director_once(school, make_member):
    director = make_member(Role.LOGISTICS_DIRECTOR)
    RepairSettings.objects.create(school=school, escalate_after_minutes=30)
    old = RepairFactory(school=school, created_at=timezone.now() - dt.timedelta(minutes=31))
    fresh = RepairFactory(school=school, created_at=timezone.now() - dt.timedelta(minutes=5))
    taken = RepairFactory(school=school, status=RepairStatus.TAKEN, created_at=timezone.now() - dt.timedelta(hours=5))
    assert tasks.sweep()["escalated"] == 1
    assert tasks.sweep()["escalated"] == 0
    assert Notification.objects.filter(recipient=director).count() == 1
    assert Repair.objects.get(pk=old.pk).escalated_at is not None
    assert Repair.objects.get(pk=fresh.pk).escalated_at is None
    assert Repair.objects.get(pk=taken.pk).escalated_at is None


def test_unsigned_jobs_close_automatically_marked_so(school):
    RepairSettings.objects.create(school=school, auto_close_days=3)
    late = RepairFactory(school=school, status=RepairStatus.DONE, done_at=timezone.now() - dt.timedelta(days=4))
    recent = RepairFactory(school=school, status=RepairStatus.DONE, done_at=timezone.now() - dt.timedelta(days=1))
    assert tasks.sweep()["auto_closed"] == 1
    assert tasks.sweep()["auto_closed"] == 0
    late.refresh_from_db()
    recent.refresh_from_db()
    assert (late.status, late.auto_closed, late.rating_quality) == (RepairStatus.CLOSED, True, None)
    assert recent.status == RepairStatus.DONE


def test_sweep_creates_settings_for_schools_with_repairs(school):
    RepairFactory(school=school)
    tasks.sweep()
    assert RepairSettings.objects.filter(school=school).exists()


def test_planned_maintenance_makes_one_ticket_per_occurrence_and_catches_up(school, make_member):
    repairer = make_member(Role.REPAIRER)
    monthly = MaintenancePlanFactory(school=school, frequency="monthly", day=1, assignee=repairer)
    weekly = MaintenancePlanFactory(school=school, frequency="weekly", weekday=0)
    today = dt.date(2026, 11, 23)  # a Monday
    created = services.generate_planned(today, lookback_days=31)
    # monthly: 1 Nov; weekly Mondays 26 Oct, 2, 9, 16, 23 Nov
    assert created == 6
    assert services.generate_planned(today, lookback_days=31) == 0
    assert set(monthly.repairs.values_list("occurrence", flat=True)) == {dt.date(2026, 11, 1)}
    assert weekly.repairs.count() == 5
    ticket = monthly.repairs.get()
    assert (ticket.status, ticket.assignee) == (RepairStatus.DISPATCHED, repairer)


def test_plan_occurrence_is_unique_in_the_database(school):
    from django.db import IntegrityError

    plan = MaintenancePlanFactory(school=school)
    RepairFactory(school=school, plan=plan, occurrence=dt.date(2026, 1, 1))
    with pytest.raises(IntegrityError):
        RepairFactory(school=school, plan=plan, occurrence=dt.date(2026, 1, 1))


def test_yearly_plan_falls_due_once_a_year(school):
    plan = MaintenancePlanFactory(school=school, frequency="yearly", month=5, day=25)
    assert plan.occurrences(dt.date(2026, 1, 1), dt.date(2027, 12, 31)) == [dt.date(2026, 5, 25), dt.date(2027, 5, 25)]


@pytest.mark.services
def test_sweep_runs_on_a_real_worker_twice_and_escalates_once(celery_worker_process, school, make_member):
    director = make_member(Role.LOGISTICS_DIRECTOR)
    RepairSettings.objects.create(school=school, escalate_after_minutes=10)
    RepairFactory(school=school, created_at=timezone.now() - dt.timedelta(hours=2))
    first = tasks.sweep.delay().get(timeout=60)
    second = tasks.sweep.delay().get(timeout=60)
    assert (first["escalated"], second["escalated"]) == (1, 0)
    assert Notification.objects.filter(recipient=director).count() == 1
