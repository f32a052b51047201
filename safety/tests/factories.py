"""Factories for the safety tests, on top of the shared core's."""
import datetime as dt

import factory
from factory.django import DjangoModelFactory

from logistics.roles import Role
from logistics.tests.factories import RoomFactory, SchoolFactory, member
from safety import models as m


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = m.InspectionPlan

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"巡视计划{n}")
    room = factory.SubFactory(RoomFactory, school=factory.SelfAttribute("..school"))
    checklist = factory.LazyFunction(lambda: ["门窗完好", "消防通道畅通", "电线无裸露"])
    frequency = "daily"
    responsible = factory.LazyAttribute(lambda o: member(Role.LOGISTICS_STAFF, o.school))
    starts_on = dt.date(2026, 1, 1)


class HazardFactory(DjangoModelFactory):
    class Meta:
        model = m.Hazard

    school = factory.SubFactory(SchoolFactory)
    description = factory.Sequence(lambda n: f"隐患{n}：楼梯扶手松动")
    severity = "medium"
    responsible = factory.LazyAttribute(lambda o: member(Role.LOGISTICS_STAFF, o.school))
    found_on = dt.date(2026, 11, 1)
    deadline = dt.date(2026, 11, 4)
