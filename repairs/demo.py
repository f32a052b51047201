"""Demo data of the repairs app: service deadlines, three maintenance plans and ~300 tickets over
six months in every state, including overdue, escalated, reopened and auto-closed ones.
Idempotent: a school that already has tickets gets none added."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from logistics.models import Room
from repairs.choices import EventKind, Frequency, RepairStatus, Urgency
from repairs.models import MaintenancePlan, Repair, RepairEvent, RepairSettings

S = RepairStatus
FAULTS = [
    "投影仪无法开机", "日光灯不亮", "窗户把手松动", "门锁坏了", "电扇不转", "空调漏水", "水龙头漏水",
    "黑板松动", "插座没电", "课桌椅腿断了", "窗帘轨道脱落", "饮水机不出水", "网络断开", "厕所冲水阀故障",
    "走廊灯闪烁", "暖气片漏水", "实验台水槽堵塞", "篮球架螺丝松动", "电脑无法开机", "音响有杂音",
]
COUNT = 300


def seed(*, school, users) -> None:
    RepairSettings.for_school(school)
    rooms = list(Room.objects.filter(school=school).order_by("pk"))
    if not rooms:
        return
    plans = [
        ("清洗全部空调", "六月一日前清洗空调滤网", Frequency.YEARLY, None, 25, 5),
        ("检查电风扇", "每月一日检查教室电风扇", Frequency.MONTHLY, None, 1, None),
        ("检查走廊照明", "每周一检查走廊灯", Frequency.WEEKLY, 0, None, None),
    ]
    for title, desc, freq, weekday, day, month in plans:
        MaintenancePlan.objects.get_or_create(
            school=school, title=title,
            defaults=dict(description=desc, room=rooms[0], frequency=freq, weekday=weekday, day=day, month=month,
                          urgency=Urgency.LOW, start_date=dt.date(2026, 1, 1), assignee=users["repairer"], created_by=users["staff"]),
        )
    if Repair.objects.filter(school=school).exists():
        return
    _tickets(school, users, rooms)


def _tickets(school, users, rooms) -> None:
    rng = random.Random(5)
    now = timezone.now()
    reporters = [users[u] for u in ("teacher", "teacher2", "guard", "canteen")]
    owners = [users["staff"], users["staff2"]]
    repairers = [users["repairer"], users["repairer2"]]
    deadlines = {Urgency.URGENT: (1, 24), Urgency.NORMAL: (4, 72), Urgency.LOW: (24, 168)}
    from assets.models import Asset

    assets = list(Asset.objects.filter(school=school, room__isnull=False).order_by("pk")[:25])
    repairs, steps = [], []
    for i in range(COUNT):
        created = now - dt.timedelta(days=180 * (COUNT - i) / COUNT, hours=rng.randint(0, 8))
        urgency = rng.choices([Urgency.URGENT, Urgency.NORMAL, Urgency.LOW], [2, 6, 2])[0]
        respond_h, fix_h = deadlines[urgency]
        r = Repair(
            school=school, number=f"{timezone.localtime(created).year}-{i + 1:05d}", room=rng.choice(rooms),
            reporter=rng.choice(reporters), description=rng.choice(FAULTS), urgency=urgency, created_at=created,
            response_due=created + dt.timedelta(hours=respond_h), completion_due=created + dt.timedelta(hours=fix_h),
        )
        if assets and i % 5 == 0:  # every fifth ticket is about a registered asset; some get flagged
            r.asset = assets[(i // 5) % len(assets)]
            r.room = r.asset.room
        age_days = (now - created).days
        # Older tickets are mostly closed; the last weeks hold every open state.
        if age_days > 20:
            state = rng.choices(["closed", "auto", "reopened", "cancelled"], [80, 8, 8, 4])[0]
        else:
            state = rng.choice(["submitted", "taken", "dispatched", "in_progress", "done", "closed", "reopened"])
        trail = [(S.SUBMITTED, r.reporter, created, "")]
        if state == "cancelled":
            r.status, r.closed_at = S.CANCELLED, created + dt.timedelta(hours=1)
            trail.append((S.CANCELLED, r.reporter, r.closed_at, "重复报修"))
        elif state == "submitted":
            if (now - created) > dt.timedelta(hours=1):
                r.escalated_at = created + dt.timedelta(hours=1)
        else:
            r.owner = rng.choice(owners)
            late_take = rng.random() < 0.15
            r.taken_at = created + dt.timedelta(hours=respond_h * (1.5 if late_take else 0.4))
            r.status = S.TAKEN
            trail.append((S.TAKEN, r.owner, r.taken_at, ""))
            if state != "taken":
                r.assignee = rng.choice(repairers)
                r.dispatched_at = r.taken_at + dt.timedelta(minutes=20)
                r.planned_at = r.dispatched_at + dt.timedelta(hours=2)
                r.status = S.DISPATCHED
                trail.append((S.DISPATCHED, r.owner, r.dispatched_at, str(r.assignee)))
            if state in ("in_progress", "done", "closed", "auto", "reopened"):
                started = r.dispatched_at + dt.timedelta(hours=1)
                r.status = S.IN_PROGRESS
                trail.append((S.IN_PROGRESS, r.assignee, started, ""))
                late = rng.random() < 0.2
                done = created + dt.timedelta(hours=fix_h * (1.4 if late else rng.uniform(0.2, 0.9)))
                if state in ("done", "closed", "auto", "reopened") and done < now:
                    r.work_notes = "已更换配件并测试正常\n"
                    r.other_cost = Decimal(rng.choice(["0", "15.00", "35.50", "80.00", "120.00"]))
                    r.done_at, r.status = done, S.DONE
                    trail.append((S.DONE, r.assignee, done, ""))
                    if state == "reopened":
                        r.reopen_count = 1
                        reject = done + dt.timedelta(hours=3)
                        trail.append((S.DISPATCHED, r.reporter, reject, "问题仍然存在"))
                        r.status, r.done_at = S.DISPATCHED, None
                        if age_days > 20:
                            r.done_at = reject + dt.timedelta(hours=5)
                            trail.append((S.DONE, r.assignee, r.done_at, "返修完成"))
                            r.status = S.DONE
                    if r.status == S.DONE and state in ("closed", "reopened") and r.done_at + dt.timedelta(days=1) < now:
                        r.closed_at = r.done_at + dt.timedelta(hours=rng.randint(2, 20))
                        r.status, r.signed_by = S.CLOSED, r.reporter
                        r.rating_timeliness = 2 if late else rng.choice([4, 5])
                        r.rating_quality = rng.choice([3, 4, 5, 5])
                        r.rating_attitude = rng.choice([4, 5, 5])
                        r.rating_comment = rng.choice(["", "修得很快", "师傅很认真", "还行"])
                        trail.append((S.CLOSED, r.reporter, r.closed_at, r.rating_comment))
                    elif state == "auto" and r.status == S.DONE:
                        r.closed_at = r.done_at + dt.timedelta(days=7)
                        r.status, r.auto_closed = S.CLOSED, True
                        trail.append((S.CLOSED, None, r.closed_at, "未按时验收，自动关闭"))
        repairs.append(r)
        steps.append(trail)
    Repair.objects.bulk_create(repairs, batch_size=200)
    events = []
    for r, trail in zip(repairs, steps):
        previous = ""
        for to, actor, at, note in trail:
            events.append(RepairEvent(repair=r, kind=EventKind.STATUS, actor=actor, from_status=previous, to_status=to, created_at=at, note=note))
            previous = to
        if r.escalated_at:
            events.append(RepairEvent(repair=r, kind=EventKind.ESCALATED, created_at=r.escalated_at, note="无人按时受理"))
    RepairEvent.objects.bulk_create(events, batch_size=500)
