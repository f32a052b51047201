"""Safety: three years of daily inspections (three daily plans, 30 checklist items each) for the
big school, hazards from the problems in every state, and the gate visitor register. Bulk inserts."""
from __future__ import annotations

import datetime as dt
import random

BATCH = 5_000


def seed(ctx):
    from django.utils import timezone

    from logistics.roles import Role
    from safety.models import Hazard, Inspection, InspectionItem, InspectionPlan, Visitor

    rng = random.Random(3)
    big, users = ctx["big"], ctx["users"]
    staff, director, guard = users[Role.LOGISTICS_STAFF], users[Role.LOGISTICS_DIRECTOR], users[Role.GUARD]
    today = timezone.localdate()
    days = ctx["sizes"]["inspection_days"]
    first = today - dt.timedelta(days=days)
    checklist = [f"检查项{k:02d}: 消防通道/灭火器/电线/门窗" for k in range(30)]
    plans = InspectionPlan.objects.bulk_create([
        InspectionPlan(school=big, name=name, room=room, frequency="daily", responsible=who, starts_on=first, checklist=checklist)
        for name, room, who in (("教学楼日查", ctx["rooms"][0], staff), ("食堂日查", ctx["rooms"][1], staff), ("校门日查", ctx["rooms"][2], guard))
    ])
    ctx["ids"]["inspection_plan"] = plans[0].pk
    hazards_done = 0
    day = first
    while day <= today:
        chunk_end = min(today, day + dt.timedelta(days=120))
        inspections = []
        d = day
        while d <= chunk_end:
            for p in plans:
                submitted = d < today
                inspections.append(Inspection(
                    school=big, plan=p, period_start=d, due_date=d, responsible=p.responsible, status="submitted" if submitted else "due",
                    submitted_at=timezone.make_aware(dt.datetime.combine(d, dt.time(17))) if submitted else None,
                    submitted_by=p.responsible if submitted else None))
            d += dt.timedelta(days=1)
        inspections = Inspection.objects.bulk_create(inspections, batch_size=BATCH)
        items = []
        for ins in inspections:
            for k, text in enumerate(checklist):
                if ins.status == "due":
                    items.append(InspectionItem(inspection=ins, position=k + 1, text=text))
                else:
                    problem = rng.random() < 0.01
                    items.append(InspectionItem(inspection=ins, position=k + 1, text=text, result="problem" if problem else "ok",
                                                severity=rng.choice(["high", "medium", "low"]) if problem else "",
                                                note="发现问题" if problem else ""))
        items = InspectionItem.objects.bulk_create(items, batch_size=BATCH)
        problems: dict[int, int] = {}
        for it in items:
            if it.result == "problem":
                problems[it.inspection_id] = problems.get(it.inspection_id, 0) + 1
        for ins in inspections:
            ins.problem_count = problems.get(ins.pk, 0)
        Inspection.objects.bulk_update([i for i in inspections if i.problem_count], ["problem_count"], batch_size=BATCH)
        hazards = []
        by_pk = {i.pk: i for i in inspections}
        for it in items:
            if it.result != "problem":
                continue
            found = by_pk[it.inspection_id].period_start
            age = (today - found).days
            status = "verified" if age > 30 else rng.choice(["open", "rectified", "verified"])
            hazards.append(Hazard(
                school=big, item=it, description=it.note + " " + it.text, severity=it.severity, responsible=rng.choice([staff, director]),
                found_on=found, deadline=found + dt.timedelta(days=7), status=status,
                rectified_at=timezone.make_aware(dt.datetime.combine(found + dt.timedelta(days=3), dt.time(10))) if status != "open" else None,
                verified_at=timezone.make_aware(dt.datetime.combine(found + dt.timedelta(days=4), dt.time(10))) if status == "verified" else None,
                verified_by=director if status == "verified" else None, closing_note="已整改" if status != "open" else ""))
        Hazard.objects.bulk_create(hazards, batch_size=BATCH)
        hazards_done += len(hazards)
        day = chunk_end + dt.timedelta(days=1)
    now = timezone.now()
    Visitor.objects.bulk_create([
        Visitor(school=big, name=f"访客{i}", id_last4=f"{i % 10000:04d}", phone="13800000000", visiting="教务处", purpose="送材料",
                time_in=now - dt.timedelta(hours=i * 7), time_out=now - dt.timedelta(hours=i * 7 - 1) if i else None, registered_by=guard)
        for i in range(min(5000, days * 5))], batch_size=BATCH)
    ctx["ids"]["inspection"] = Inspection.objects.filter(plan=plans[0], status="submitted").order_by("-period_start").values_list("pk", flat=True).first()
    ctx["ids"]["hazard"] = Hazard.objects.filter(school=big).order_by("-pk").values_list("pk", flat=True).first()
