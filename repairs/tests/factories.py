"""Factories for the repairs tests, on top of the shared core's."""
import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from logistics.roles import Role
from logistics.tests.factories import RoomFactory, SchoolFactory, member
from repairs import models as m
from repairs.choices import RepairStatus, Urgency


class RepairFactory(DjangoModelFactory):
    """A submitted request; pass status/owner/assignee etc. to place it further along."""

    class Meta:
        model = m.Repair

    school = factory.SubFactory(SchoolFactory)
    number = factory.Sequence(lambda n: f"T-{n:05d}")
    room = factory.SubFactory(RoomFactory, school=factory.SelfAttribute("..school"))
    reporter = factory.LazyAttribute(lambda o: member(Role.TEACHER, o.school))
    description = factory.Sequence(lambda n: f"故障{n}：灯不亮")
    urgency = Urgency.NORMAL
    status = RepairStatus.SUBMITTED
    created_at = factory.LazyFunction(timezone.now)
    response_due = factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(hours=4))
    completion_due = factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(days=3))


class MaintenancePlanFactory(DjangoModelFactory):
    class Meta:
        model = m.MaintenancePlan

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"维护计划{n}")
    room = factory.SubFactory(RoomFactory, school=factory.SelfAttribute("..school"))
    frequency = "monthly"
    day = 1
    start_date = dt.date(2026, 1, 1)
    created_by = factory.LazyAttribute(lambda o: member(Role.LOGISTICS_STAFF, o.school))
