"""Demo data of the safety app: the plans the school's rules describe (每日巡视制度, 安全隐患排查),
six weeks of past inspections (most done, some missed) and hazards in every state.
Idempotent: plans by name, inspections by (plan, period), hazards only when the school has none."""
from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from logistics.models import Building, Room
from safety import services
from safety.choices import RECTIFY_DAYS, Frequency, HazardStatus, InspectionStatus, ItemResult, Severity
from safety.models import Drill, Hazard, Inspection, InspectionItem, InspectionPlan

PLANS = [
    # name, area (room name or building name), frequency, weekdays, day, window, responsible, checklist
    ("每日校园巡视：场地", "操场", Frequency.DAILY, [], None, ("07:30", "08:30"), "staff",
     ["地面无坑洼、无积水", "围墙、护栏完好", "无杂物堆放", "排水沟通畅"]),
    ("每日校园巡视：楼宇与卫生", "教学楼A", Frequency.DAILY, [], None, ("08:00", "09:00"), "staff2",
     ["走廊、楼梯照明正常", "消防通道畅通", "灭火器在位、压力正常", "卫生间清洁、无漏水", "设备设施无损坏"]),
    ("每日放学关门检查", "校门", Frequency.DAILY, [], None, ("17:00", "18:30"), "guard",
     ["教室门窗已关闭", "水电已关闭", "校园内无滞留人员", "来访人员均已离校", "校门已上锁"]),
    ("操场体育器材检查", "操场", Frequency.WEEKLY, [0], None, ("08:00", "10:00"), "staff",
     ["篮球架螺丝紧固", "单双杠无锈蚀松动", "跑道无破损", "器材室门锁完好"]),
    ("食堂燃气、电路、门窗检查", "食堂", Frequency.WEEKLY, [2], None, ("14:00", "16:00"), "staff2",
     ["燃气管道无泄漏", "燃气报警器正常", "电线无裸露、插座完好", "门窗及防盗设施完好"]),
    ("楼梯窗户与教室门检查", "教学楼A", Frequency.MONTHLY, [], 1, None, "staff",
     ["楼梯窗户限位器完好", "教室门合页、门锁完好", "门窗玻璃无破损"]),
    ("每月安全隐患大排查", "教学楼A", Frequency.MONTHLY, [], 25, None, "director",
     ["消防设施", "用电安全", "建筑结构", "食品安全", "校园周边环境"]),
]
PROBLEMS = ["螺丝松动", "灯管不亮", "灭火器压力不足", "窗户限位器脱落", "地面积水", "插座破损", "门锁损坏"]


def _area(school, name):
    room = Room.objects.filter(school=school, name=name).first()
    if room:
        return {"room": room}
    building = Building.objects.filter(school=school, name=name).first()
    return {"building": building} if building else None


def seed(*, school, users) -> None:
    today = timezone.localdate()
    start = today - dt.timedelta(days=45)
    for name, area_name, freq, weekdays, day, window, who, checklist in PLANS:
        area = _area(school, area_name)
        if area is None:
            continue
        InspectionPlan.objects.get_or_create(
            school=school, name=name,
            defaults=dict(
                **area, frequency=freq, weekdays=weekdays, day_of_month=day, checklist=checklist, responsible=users[who],
                window_start=dt.time.fromisoformat(window[0]) if window else None,
                window_end=dt.time.fromisoformat(window[1]) if window else None, starts_on=start,
            ),
        )
    services.generate_inspections(today=today, school=school)
    if Hazard.objects.filter(school=school).exists():
        return
    _history(school, users, today)


def _history(school, users, today) -> None:
    rng = random.Random(7)
    past = list(Inspection.objects.filter(school=school, due_date__lt=today, status=InspectionStatus.DUE).select_related("plan"))
    done = [i for i in past if rng.random() < 0.9]
    now = timezone.now()
    for ins in done:
        ins.status = InspectionStatus.SUBMITTED
        ins.submitted_by_id = ins.responsible_id
        ins.submitted_at = timezone.make_aware(dt.datetime.combine(ins.due_date, ins.plan.window_end or dt.time(10)))
    Inspection.objects.bulk_update(done, ["status", "submitted_by", "submitted_at"])
    InspectionItem.objects.filter(inspection__in=done).update(result=ItemResult.OK)
    items = list(InspectionItem.objects.filter(inspection__in=done).select_related("inspection"))
    problems = rng.sample(items, min(18, len(items)))
    hazards = []
    for n, item in enumerate(problems):
        item.result = ItemResult.PROBLEM
        item.severity = rng.choice(list(Severity.values))
        item.note = rng.choice(PROBLEMS)
        found = item.inspection.due_date
        deadline = found + dt.timedelta(days=RECTIFY_DAYS[item.severity])
        h = Hazard(
            school=school, item=item, description=f"{item.inspection.plan.name}: {item.text} — {item.note}",
            severity=item.severity, responsible_id=item.inspection.responsible_id, found_on=found, deadline=deadline,
        )
        if n % 3 == 0 and deadline < today:
            h.status = HazardStatus.VERIFIED
            h.closing_note = "已整改完毕"
            h.rectified_at = timezone.make_aware(dt.datetime.combine(deadline, dt.time(15)))
            h.verified_at = h.rectified_at + dt.timedelta(hours=2)
            h.verified_by = users["director"]
        elif n % 3 == 1:
            h.status = HazardStatus.RECTIFIED
            h.closing_note = "已修复，待验收"
            h.rectified_at = now
        elif deadline < today:
            h.escalation_level = 1
        hazards.append(h)
    InspectionItem.objects.bulk_update(problems, ["result", "severity", "note"])
    Hazard.objects.bulk_create(hazards)
    if not Drill.objects.filter(school=school).exists():
        Drill.objects.create(school=school, held_on=today - dt.timedelta(days=20), kind="消防疏散演练", participants=860,
                             note="全校师生3分10秒完成疏散", recorded_by=users["director"])
