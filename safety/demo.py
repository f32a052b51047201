"""Demo data of the safety app: the inspection plans the school's written rules describe, six weeks
of past inspections (most done, some missed), hazards in every state, visitors, a drill.

Idempotent: plans by name, inspections by (plan, period), hazards/visitors only when the school
has none. Every plan quotes the line of the work plan (``/work/shared/seeds/002_…``, 中学/幼儿园
后勤工作计划; ``003_…`` for the monthly sweep) it comes from. The weekly lighting check and the
monthly fan check of the same plan are planned maintenance in Repairs, not inspections.
"""
from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from logistics.models import Building, Room
from safety import services
from safety.choices import RECTIFY_DAYS, Frequency, HazardStatus, InspectionStatus, ItemResult, Severity
from safety.models import Drill, Hazard, Inspection, InspectionItem, InspectionPlan, Visitor

# name, area (room or building name; None = whole school), frequency, weekdays, day, window,
# responsible, close-up check at the gate, checklist — and the seed sentence it comes from.
PLANS = [
    # 002: 完善“每日巡视制度”，总务处对学校环境、绿化、卫生、安全、校舍维修、设备使用等进行每日巡视
    #      继续做好检查安全防护网
    ("每日巡视：校园环境与场地", "操场", Frequency.DAILY, [], None, ("07:30", "08:30"), "staff", False,
     ["校园环境整洁、无杂物堆放", "绿化带完好、无倒伏树木", "场地、道路无坑洼、无积水", "围墙、护栏、安全防护网完好", "排水沟通畅"]),
    # 002: 每日巡视（卫生、安全、校舍维修、设备使用）; 继续观测房屋裂缝的安全程度;
    #      经常检查场地、设施和各处室中的电器、线路、装置、设备
    ("每日巡视：校舍、卫生与设备", "教学楼A", Frequency.DAILY, [], None, ("08:00", "09:00"), "staff2", False,
     ["走廊、楼梯、卫生间清洁，无漏水", "墙体、门窗无损坏，房屋裂缝无扩大", "电器、线路、装置无异常", "教学设备使用正常",
      "消防通道畅通、灭火器在位"]),
    # 002: 每天整理和检修体育用品房器材，保证体育器械的安全性
    ("每日体育用品房器材整理检修", "体育器材室", Frequency.DAILY, [], None, ("15:30", "16:30"), "staff", False,
     ["器材摆放整齐、无堆压", "器材无破损、无松动", "损坏器材已挂牌停用并报修"]),
    # 002: 门卫每天做好下班前的电器、电源、门窗的常规检查; 按时关锁大门; 继续做好来访者的登记与询问;
    #      在学生离校期间对校园进行巡视检查
    ("每日放学关门检查", "校门", Frequency.DAILY, [], None, ("17:00", "18:30"), "guard", True,
     ["电器已关闭", "电源已切断", "门窗已关好", "学生离校后巡视校园，无滞留人员", "来访人员均已离校", "大门按时关锁"]),
    # 002: 每周一认真做好活动场所大型玩具、体育器材的检查维修工作
    ("活动场所大型玩具、体育器材检查", "操场", Frequency.WEEKLY, [0], None, ("08:00", "10:00"), "staff", False,
     ["大型玩具稳固、无松动", "篮球架、单双杠等体育器材无锈蚀、无松动", "器材无尖角、毛刺", "活动场地地面无破损"]),
    # 002: 每周对食堂煤气用具、煤气管、电器设备、门窗、进行一次全面的检查修理
    ("食堂煤气用具、电器设备、门窗检查", "食堂", Frequency.WEEKLY, [2], None, ("14:00", "16:00"), "staff2", False,
     ["煤气用具完好", "煤气管无泄漏、无老化", "电器设备运行正常、线路无裸露", "门窗完好、关闭严密"]),
    # 002: 每月检查一次楼梯窗户和班级门窗，发现问题及时处理
    ("楼梯窗户与班级门窗检查", "教学楼A", Frequency.MONTHLY, [], 1, None, "staff", False,
     ["楼梯窗户及限位器完好", "班级门、门锁、合页完好", "班级窗户、玻璃无破损"]),
    # 003: 进行每月一次的安全隐患排查和数据上报; 002: 切实做好防水、防盗、防触电及防其它意外事故;
    #      003: 加强校园周边环境的治理
    ("每月安全隐患排查", None, Frequency.MONTHLY, [], 25, None, "director", False,
     ["消防设施与消防通道", "用电安全（防触电）", "防水、防盗", "校舍安全（房屋裂缝、安全防护网）", "食堂食品安全", "校园周边环境"]),
    # 002: 开学前做好各处安全检查表的张贴; 开学前摆放好幼儿活动场所各种体育器材，整理好体育用品房器材
    ("开学前安全准备检查", None, Frequency.TERM, [], None, None, "director", False,
     ["各处安全检查表已张贴", "活动场所体育器材摆放到位", "体育用品房器材整理完毕"]),
]
PROBLEMS = ["螺丝松动", "灯管不亮", "灭火器压力不足", "窗户限位器脱落", "地面积水", "插座破损", "门锁损坏"]
VISITORS = [("张建国", "3021", "13812345678", "王老师", "送学习资料"), ("李秀英", "102X", "13987654321", "教务处", "办理转学手续"),
            ("陈师傅", "5566", "13700001111", "后勤处", "送货（办公用品）")]


def _area(school, name):
    if name is None:
        return {}
    room = Room.objects.filter(school=school, name=name).first()
    if room:
        return {"room": room}
    building = Building.objects.filter(school=school, name=name).first()
    return {"building": building} if building else None


def seed(*, school, users) -> None:
    today = timezone.localdate()
    start = today - dt.timedelta(days=45)
    for name, area_name, freq, weekdays, day, window, who, gate, checklist in PLANS:
        area = _area(school, area_name)
        if area is None:
            continue
        InspectionPlan.objects.get_or_create(
            school=school, name=name,
            defaults=dict(
                **area, frequency=freq, weekdays=weekdays, day_of_month=day, checklist=checklist, responsible=users[who],
                window_start=dt.time.fromisoformat(window[0]) if window else None,
                window_end=dt.time.fromisoformat(window[1]) if window else None, starts_on=start, gate_check=gate,
            ),
        )
    services.generate_inspections(today=today, school=school)
    if not Visitor.objects.filter(school=school).exists():
        _visitors(school, users["guard"])
    if Hazard.objects.filter(school=school).exists():
        return
    _history(school, users, today)


def _visitors(school, guard) -> None:
    now = timezone.now()
    rows = []
    for days_ago in (3, 2, 1, 0):
        for i, (name, id4, phone, whom, purpose) in enumerate(VISITORS):
            time_in = now - dt.timedelta(days=days_ago, hours=3 - i)
            inside = days_ago == 0 and i == 0
            rows.append(Visitor(school=school, name=name, id_last4=id4, phone=phone, visiting=whom, purpose=purpose, time_in=time_in,
                                time_out=None if inside else time_in + dt.timedelta(minutes=40), registered_by=guard))
    Visitor.objects.bulk_create(rows)


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
    for ins in done:
        InspectionItem.objects.filter(inspection=ins).update(result=ItemResult.OK, recorded_by_id=ins.responsible_id, recorded_at=ins.submitted_at)
    items = list(InspectionItem.objects.filter(inspection__in=done).select_related("inspection__plan"))
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
    counts: dict[int, int] = {}
    for item in problems:
        counts[item.inspection_id] = counts.get(item.inspection_id, 0) + 1
    for inspection_id, n in counts.items():
        Inspection.objects.filter(pk=inspection_id).update(problem_count=n)
    if not Drill.objects.filter(school=school).exists():
        Drill.objects.create(school=school, held_on=today - dt.timedelta(days=20), kind="消防疏散演练", participants=860,
                             note="全校师生3分10秒完成疏散", recorded_by=users["director"])
