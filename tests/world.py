"""One school with a real object behind every object URL, the people to try them with, and a
second school whose members must never reach any of it. Shared by the access matrix, the
HTTP-method test and the hostile-input test.

``build_world()`` uses the app factories (and plain model rows where an app has no factory).
Owner-scoped objects (a teacher's repair request, feedback, requisition, loan, notification) all
belong to ``world.owner``, a teacher who is *not* one of the per-role users, so that the per-role
teacher is "another user of the same school".
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from logistics.models import Membership
from logistics.roles import Role
from logistics.tests.factories import DepartmentFactory, RoomFactory, SchoolFactory, UserFactory, member

ANON = "anonymous"
OTHER = "other_school"  # holds every school role, but in the other school
SUPER = "superuser"
OWNER = "owner"  # the teacher who owns the owner-scoped objects
ROLE_KEYS = [r.value for r in Role]


@dataclass
class World:
    school: object
    other_school: object
    users: dict = field(default_factory=dict)  # key (role value, OTHER, SUPER, OWNER) → User
    objects: dict = field(default_factory=dict)  # object key → model instance (or media path)

    @property
    def owner(self):
        return self.users[OWNER]


def _user_in(role, school, **kw):
    if role == Role.DISTRICT_OFFICER:
        user = UserFactory(**kw)
        Membership.objects.create(user=user, district=school.district, role=role)
        return user
    return member(role, school, **kw)


def build_world(school=None, other_school=None) -> World:
    from assets import models as am
    from assets.tests.factories import AssetFactory, StoreItemFactory
    from canteen import models as cm
    from canteen.tests.factories import (
        DishFactory,
        FeedbackFactory,
        MealSampleFactory,
        MonthAccountFactory,
        ReceivingFactory,
        WeekMenuFactory,
    )
    from logistics.models import Notification
    from procurement.models import Disclosure
    from procurement.tests.factories import PurchaseItemFactory, PurchaseRequestFactory
    from repairs.models import RepairPhoto
    from repairs.tests.factories import MaintenancePlanFactory, RepairFactory
    from safety import models as sm
    from safety.tests.factories import HazardFactory, PlanFactory

    school = school or SchoolFactory(name="示范实验学校", code="SY")
    other_school = other_school or SchoolFactory(name="和谐小学", code="HX")
    w = World(school=school, other_school=other_school)
    for role in Role:
        w.users[role.value] = _user_in(role, school, username=f"m_{role.value}")
    w.users[OWNER] = member(Role.TEACHER, school, username="m_owner")
    other = UserFactory(username="m_other")
    for role in Role:
        if role != Role.DISTRICT_OFFICER:
            Membership.objects.create(user=other, school=other_school, role=role)
    Membership.objects.create(user=other, district=other_school.district, role=Role.DISTRICT_OFFICER)
    w.users[OTHER] = other
    w.users[SUPER] = UserFactory(username="m_super", is_superuser=True, is_staff=True)
    staff, director, owner = w.users[Role.LOGISTICS_STAFF], w.users[Role.LOGISTICS_DIRECTOR], w.users[OWNER]
    staff2 = member(Role.LOGISTICS_STAFF, school, username="m_staff2")
    today = timezone.localdate()
    o = w.objects

    # --- core
    o["room"] = room = RoomFactory(school=school, name="三年级二班")
    o["notification"] = Notification.objects.create(recipient=owner, school=school, text="通知", url="/")

    # --- assets
    o["asset"] = asset = AssetFactory(school=school, room=room)
    o["storeitem"] = item = StoreItemFactory(school=school, stock=Decimal("10"))
    o["requisition"] = am.Requisition.objects.create(item=item, quantity=Decimal("1"), reason="上课用", requested_by=owner,
                                                     department=DepartmentFactory(school=school))
    lent = AssetFactory(school=school, room=room)
    o["loan"] = am.Loan.objects.create(asset=lent, borrower=owner, lent_by=staff, due_date=today + dt.timedelta(days=7))
    o["damage"] = am.DamageRecord.objects.create(asset=asset, cause="accidental", value_basis=Decimal("4500"),
                                                 proposed_amount=Decimal("4500"), amount=Decimal("4500"), by=staff)
    doomed = AssetFactory(school=school, room=room, status="to_write_off")
    o["writeoff"] = am.WriteOff.objects.create(asset=doomed, reason="损坏无法修复", previous_status="in_use", requested_by=staff)
    o["stocktake"] = st = am.Stocktake.objects.create(school=school, name="期初盘点", started_by=staff)
    o["stocktakeline"] = am.StocktakeLine.objects.create(stocktake=st, asset=asset, expected_room=room)

    # --- repairs
    o["repair"] = repair = RepairFactory(school=school, reporter=owner, room=room, asset=asset)
    # A stored file is served only to whoever may open the record holding it (logistics.uploads).
    photo = RepairPhoto.objects.create(repair=repair, image=ContentFile(b"matrix", name="matrix.png"),
                                       thumbnail=ContentFile(b"thumb", name="matrix-thumb.png"))
    o["media"] = photo.image.name
    o["plan"] = MaintenancePlanFactory(school=school, room=room, created_by=staff)

    # --- canteen
    o["dish"] = dish = DishFactory(school=school)
    o["menu"] = menu = WeekMenuFactory(school=school, created_by=w.users[Role.CANTEEN_MANAGER])
    o["menuitem"] = cm.MenuItem.objects.create(menu=menu, day=menu.week_start, meal="lunch", dish=dish)
    o["receiving"] = ReceivingFactory(school=school, checked_by=w.users[Role.CANTEEN_MANAGER])
    o["supplier"] = o["receiving"].supplier
    o["sample"] = MealSampleFactory(school=school, dish=dish, taken_by=w.users[Role.CANTEEN_MANAGER],
                                    taken_at=timezone.now() - dt.timedelta(days=3), day=today - dt.timedelta(days=3))
    o["account"] = MonthAccountFactory(school=school)
    o["feedback"] = FeedbackFactory(school=school, author=owner, reply="", replied_by=None, replied_at=None)
    o["survey"] = cm.Survey.objects.create(school=school, term="2026 秋季学期")
    o["accompanied"] = cm.AccompaniedMeal.objects.create(school=school, day=today, meal="lunch", companion=director,
                                                         kind="leader", observations="饭菜温度合适")

    # --- safety
    o["inspectionplan"] = plan = PlanFactory(school=school, room=room, responsible=staff)
    o["inspection"] = ins = sm.Inspection.objects.create(school=school, plan=plan, period_start=today, due_date=today, responsible=staff)
    o["inspectionitem"] = sm.InspectionItem.objects.create(inspection=ins, position=1, text="门窗完好")
    o["hazard"] = HazardFactory(school=school, responsible=staff)
    o["visitor"] = sm.Visitor.objects.create(school=school, name="访客甲", id_last4="1234", phone="13800000000", visiting="刘主任",
                                             purpose="送货", time_in=timezone.now(), registered_by=w.users[Role.GUARD])

    # --- procurement
    o["purchase"] = purchase = PurchaseRequestFactory(school=school, requester=staff2)
    PurchaseItemFactory(purchase=purchase)
    o["budgetline"] = purchase.budget_line
    o["disclosure"] = Disclosure.objects.create(
        school=school, year=2026, month=10, file=ContentFile(b"%PDF-1.4 full", name="d.pdf"),
        parent_file=ContentFile(b"%PDF-1.4 parent", name="p.pdf"), published_at=timezone.now(), published_by=w.users[Role.ACCOUNTANT],
    )
    return w
