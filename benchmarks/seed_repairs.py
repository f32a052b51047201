"""Repair tickets: 100,000 over ten years for the big school, a few hundred for every other school.

Numbers follow repairs.services._next_number (``<year>-<seq:05d>`` per school); deadlines follow
RepairSettings defaults. Rows are built directly and bulk-inserted in batches of 5,000.
"""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

BATCH = 5_000


def _tickets(school, rooms, count, users, settings, rng, start, end, now, assets=None):
    from repairs.choices import EventKind, RepairStatus as S, Urgency
    from repairs.models import Repair, RepairEvent

    requesters, owners, repairers = users
    span = (end - start).total_seconds()
    stamps = sorted(start + dt.timedelta(seconds=rng.random() * span) for _ in range(count))
    seq_by_year: dict[int, int] = {}
    statuses = [S.CLOSED] * 70 + [S.CANCELLED] * 6 + [S.DONE] * 6 + [S.IN_PROGRESS] * 5 + [S.DISPATCHED] * 5 + [S.TAKEN] * 4 + [S.SUBMITTED] * 4
    urgencies = [Urgency.URGENT] * 1 + [Urgency.NORMAL] * 6 + [Urgency.LOW] * 3
    repairs, plans = [], []
    for i, created in enumerate(stamps):
        recent = (now - created).days < 60
        status = rng.choice(statuses) if recent else rng.choice([S.CLOSED] * 12 + [S.CANCELLED])
        if i % 997 == 0:  # a few old tickets still open: the overdue list is never empty
            status = rng.choice([S.SUBMITTED, S.TAKEN, S.DISPATCHED, S.IN_PROGRESS])
        urgency = rng.choice(urgencies)
        respond, fix = settings[urgency]
        year = created.year
        seq_by_year[year] = seq_by_year.get(year, 0) + 1
        r = Repair(
            school=school, number=f"{year}-{seq_by_year[year]:05d}", room=rng.choice(rooms), reporter=rng.choice(requesters),
            description=f"基准报修 {i}: 灯管不亮/门锁损坏/水龙头漏水", urgency=urgency, status=status,
            response_due=created + respond, completion_due=created + fix, created_at=created,
            asset=rng.choice(assets) if assets and rng.random() < 0.2 else None,
        )
        order = [S.SUBMITTED, S.TAKEN, S.DISPATCHED, S.IN_PROGRESS, S.DONE, S.CLOSED]
        reached = order.index(status) if status in order else rng.randint(0, 1)
        t = created
        steps = [(None, S.SUBMITTED, t, r.reporter)]
        if reached >= 1:
            t += dt.timedelta(minutes=rng.randint(5, 300))
            r.owner, r.taken_at = rng.choice(owners), t
            steps.append((S.SUBMITTED, S.TAKEN, t, r.owner))
        if reached >= 2:
            t += dt.timedelta(minutes=rng.randint(5, 600))
            r.assignee, r.dispatched_at = rng.choice(repairers), t
            steps.append((S.TAKEN, S.DISPATCHED, t, r.owner))
        if reached >= 3:
            t += dt.timedelta(minutes=rng.randint(5, 600))
            steps.append((S.DISPATCHED, S.IN_PROGRESS, t, r.assignee))
        if reached >= 4:
            t += dt.timedelta(minutes=rng.randint(30, 5000))
            r.done_at, r.work_notes = t, "已修复"
            r.other_cost = Decimal(rng.choice([0, 0, 0, 20, 50, 120]))
            steps.append((S.IN_PROGRESS, S.DONE, t, r.assignee))
        if reached >= 5:
            t += dt.timedelta(minutes=rng.randint(10, 3000))
            r.closed_at, r.signed_by = t, r.reporter
            r.rating_timeliness, r.rating_quality, r.rating_attitude = rng.randint(2, 5), rng.randint(3, 5), rng.randint(3, 5)
            r.rating_comment = rng.choice(["", "", "很快", "满意"])
            r.cause = rng.choice(["", "natural", "natural", "accidental"])
            steps.append((S.DONE, S.CLOSED, t, r.reporter))
        if status == S.CANCELLED:
            t += dt.timedelta(minutes=rng.randint(5, 300))
            r.closed_at = t
            steps.append((steps[-1][1], S.CANCELLED, t, r.reporter))
        repairs.append(r)
        plans.append(steps)
        if len(repairs) >= BATCH or i == count - 1:
            Repair.objects.bulk_create(repairs, batch_size=BATCH)
            events = [
                RepairEvent(repair=rep, kind=EventKind.STATUS, actor=actor, from_status=frm or "", to_status=to, created_at=when)
                for rep, steps_ in zip(repairs, plans) for frm, to, when, actor in steps_
            ]
            RepairEvent.objects.bulk_create(events, batch_size=BATCH)
            last = repairs[-1]
            repairs, plans = [], []
    return last


def seed(ctx):
    from django.utils import timezone

    from logistics.models import User
    from logistics.roles import Role
    from repairs.choices import Urgency
    from repairs.models import Repair, RepairSettings

    rng = random.Random(9)
    now = timezone.now()
    settings = {}
    defaults = RepairSettings()
    for u in Urgency.values:
        settings[u] = defaults.deadlines(u)
    RepairSettings.objects.bulk_create([RepairSettings(school=s) for s in ctx["schools"]])
    users = ctx["users"]
    requesters = [users[r] for r in (Role.TEACHER, Role.LOGISTICS_STAFF, Role.CANTEEN_MANAGER, Role.LOGISTICS_DIRECTOR, Role.ACCOUNTANT, Role.PRINCIPAL)]
    owners = [users[Role.LOGISTICS_STAFF], users[Role.LOGISTICS_DIRECTOR]]
    repairers = [users[Role.REPAIRER], users[Role.LOGISTICS_STAFF]]
    count = ctx["sizes"]["repairs"]
    last = _tickets(ctx["big"], ctx["rooms"], count, (requesters, owners, repairers), settings, rng,
                    now - dt.timedelta(days=3650), now - dt.timedelta(minutes=5), now, assets=ctx.get("assets"))
    # the other schools: a few hundred tickets each over two years
    others = {u.username: u for u in User.objects.filter(username__regex=r"^b_.*_[0-9]+$")}
    per_school = 300 if count >= 10_000 else 30
    for i, school in enumerate(ctx["schools"][1:], start=1):
        rooms = [r for r in ctx["all_rooms"] if r.school_id == school.pk]
        staff, teacher, rep = (others[f"b_{r}_{i}"] for r in (Role.LOGISTICS_STAFF, Role.TEACHER, Role.REPAIRER))
        _tickets(school, rooms, per_school, ([teacher, staff], [staff], [rep]), settings, rng,
                 now - dt.timedelta(days=730), now - dt.timedelta(minutes=5), now)
    big = ctx["big"]
    ctx["ids"]["repair"] = last.pk
    ctx["ids"]["repair_closed"] = Repair.objects.filter(school=big, status="closed").order_by("-pk").values_list("pk", flat=True).first()
    ctx["ids"]["repair_deep_page"] = max(1, min(500, count // 25 - 1))
