"""The timed jobs of the benchmark, each in a process of its own so its peak memory is its own.

    python -m benchmarks.jobs make-workbook /tmp/assets.xlsx 20000   # the import's input (not timed)
    python -m benchmarks.jobs disclosure benchmarks/out/ids-postgres.json
    python -m benchmarks.jobs sweeps benchmarks/out/ids-postgres.json
    python -m benchmarks.jobs monthly benchmarks/out/ids-postgres.json
    python -m benchmarks.jobs import benchmarks/out/ids-postgres.json /tmp/assets.xlsx

Each prints one JSON line: seconds, SQL queries, peak resident memory of the process (and the
baseline after Django started, so the job's own share is visible) and what it did. Every job
runs inside a transaction that is rolled back, so the seeded database stays as it was and the
job can be repeated. The functions called are the apps' own:

- disclosure: ``procurement.services.generate_disclosure`` for the big school's busiest month,
  first topped up (inside the rolled-back transaction) to at least ``DISCLOSURE_LINES`` paid
  purchases by copying that month's purchases with their items and approvals;
- sweeps: the beat jobs that remind and escalate across all schools — ``<app>.tasks.sweep`` of
  every app that has one, each timed on its own, then all again (the second run must do nothing);
- monthly: ``procurement.tasks.generate_monthly_disclosures``, the 1st-of-the-month job that
  renders last month's disclosure of every school (then again: nothing more to make);
- PDF jobs (disclosure, monthly) run where they run in production, in a started Celery worker:
  the process first does what a worker does when it starts (``logistics.pdf.warm_up``, WeasyPrint's
  once-per-process import and font loading, reported as ``worker_start_seconds``), then the job
  is timed;
- import: ``assets.importer.parse_workbook`` (the preview) then ``import_rows`` (the confirm) of
  a workbook of new assets with Chinese headers, as a school's register comes.
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time
from contextlib import contextmanager

DISCLOSURE_LINES = 520
PDF_JOBS = {"disclosure", "monthly"}  # run by a Celery worker, which warms WeasyPrint up when it starts


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


class Rollback(Exception):
    pass


@contextmanager
def counted():
    """Count SQL statements; yield a dict filled in on exit."""
    from django.db import connection

    box = {"queries": 0}

    def counter(execute, sql, params, many, context):
        box["queries"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        yield box


@contextmanager
def rolled_back():
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def _copy(obj, **changes):
    """An unsaved copy of a model instance (every concrete field but the primary key)."""
    model = type(obj)
    values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
    values.update(changes)
    return model(**values)


def job_disclosure(ids: dict) -> dict:
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from logistics.models import School, User
    from procurement.models import ApprovalStep, PurchaseApproval, PurchaseItem, PurchaseRequest
    from procurement.services import generate_disclosure

    school = School.objects.get(pk=ids["big_school"])
    busiest = (PurchaseRequest.objects.filter(school=school, paid_on__isnull=False).annotate(m=TruncMonth("paid_on"))
               .values("m").annotate(n=Count("pk")).order_by("-n").first())
    month = busiest["m"]
    originals = list(PurchaseRequest.objects.filter(school=school, paid_on__year=month.year, paid_on__month=month.month))
    copies, k = [], 0
    while len(originals) + len(copies) < DISCLOSURE_LINES:
        src = originals[k % len(originals)]
        copies.append((src, _copy(src, title=f"{src.title}（副本{k}）", invoice_number=f"{src.invoice_number}-c{k}"[:50])))
        k += 1
    PurchaseRequest.objects.bulk_create([c for _s, c in copies])
    def children(model):
        rows = {}
        for row in model.objects.filter(purchase__in=originals):
            rows.setdefault(row.purchase_id, []).append(row)
        return rows

    items, steps, approvals = children(PurchaseItem), children(ApprovalStep), children(PurchaseApproval)
    PurchaseItem.objects.bulk_create([_copy(i, purchase_id=c.pk) for s, c in copies for i in items.get(s.pk, [])])
    for s, c in copies:  # an approval signs one step (one-to-one): copy the steps, then the approvals
        new_steps = {st.pk: _copy(st, purchase_id=c.pk) for st in steps.get(s.pk, [])}
        ApprovalStep.objects.bulk_create(list(new_steps.values()))
        PurchaseApproval.objects.bulk_create(
            [_copy(a, purchase_id=c.pk, step_id=new_steps[a.step_id].pk if a.step_id in new_steps else None)
             for a in approvals.get(s.pk, [])])
    accountant = User.objects.get(username="b_accountant")
    lines = len(originals) + len(copies)
    t0 = time.perf_counter()
    with counted() as box:
        disclosure = generate_disclosure(school, year=month.year, month=month.month, by=accountant)
    seconds = time.perf_counter() - t0
    size = disclosure.file.size
    return {"seconds": seconds, "queries": box["queries"],
            "detail": f"{school.name} {month:%Y-%m}: {lines} purchases, PDF {size // 1024} KiB (+ parents' version)"}


def _sweeps():
    """The reminder/escalation sweeps beat runs every few minutes: ``<app>.tasks.sweep``."""
    from importlib import import_module

    found = []
    for app in ("repairs", "safety", "assets", "canteen", "procurement"):
        task = getattr(import_module(f"{app}.tasks"), "sweep", None)
        if task is not None:
            found.append((f"{app}.{task.__name__}", task))
    return found


def job_monthly(ids: dict) -> dict:
    """The 1st-of-the-month job: last month's disclosure for every school that has none."""
    from logistics.models import School
    from procurement.tasks import generate_monthly_disclosures

    t0 = time.perf_counter()
    with counted() as box:
        made = generate_monthly_disclosures()
    seconds = time.perf_counter() - t0
    with counted() as again:
        generate_monthly_disclosures()
    return {"seconds": seconds, "queries": box["queries"], "second_run": {"seconds": 0.0, "queries": again["queries"]},
            "detail": f"{made} disclosures made for {School.objects.count()} schools (two PDFs each)"}


def job_sweeps(ids: dict) -> dict:
    from logistics.models import School

    schools = School.objects.count()
    parts, total_q = [], 0
    t_all = time.perf_counter()
    for name, task in _sweeps():
        t0 = time.perf_counter()
        with counted() as box:
            result = task()  # the task's body, in this process
        parts.append({"task": name, "seconds": round(time.perf_counter() - t0, 3), "queries": box["queries"],
                      "result": result if isinstance(result, (int, str, dict, list)) else str(result)})
        total_q += box["queries"]
    seconds = time.perf_counter() - t_all
    again_t = time.perf_counter()
    with counted() as box:
        for _name, task in _sweeps():
            task()
    return {"seconds": seconds, "queries": total_q, "parts": parts,
            "second_run": {"seconds": round(time.perf_counter() - again_t, 3), "queries": box["queries"]},
            "detail": f"{schools} schools; " + ", ".join(f"{p['task']} {p['seconds']:.2f} s/{p['queries']} q" for p in parts)}


HEADERS = ["资产编号", "资产名称", "资产分类代码", "规格型号", "计量单位", "数量", "单价（元）", "原值（元）", "取得日期",
           "使用部门", "使用人", "存放地点", "使用状况"]


def make_workbook(path: str, rows: int) -> None:
    """A register as schools keep it: a title row, Chinese headers, text dates, ¥ amounts."""
    import datetime as dt
    import random

    from openpyxl import Workbook

    from assets.models import Category

    codes = list(Category.objects.filter(school__isnull=True).exclude(code="KEY").values_list("code", flat=True)[:50]) or ["A02010105"]
    rng = random.Random(3)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("资产台账")
    ws.append(["示范学校固定资产台账（导入基准）"])
    ws.append(HEADERS)
    start = dt.date(2016, 1, 1)
    for i in range(rows):
        price = rng.choice([80, 300, 900, 1500, 3200, 6800])
        day = start + dt.timedelta(days=rng.randint(0, 3600))
        ws.append(["", f"导入资产{i:05d}", rng.choice(codes), "标准型", "台", 1, f"¥{price:,.2f}", f"¥{price:,.2f}",
                   f"{day.year}年{day.month:02d}月{day.day:02d}日", rng.choice(["教务处", "语文组", "数学组", "后勤处"]),
                   rng.choice(["基准teacher", "基准logistics_staff"]), f"{rng.randint(1, 5)}号楼{rng.randint(1, 5)}0{rng.randint(1, 8)}室",
                   rng.choice(["在用", "在用", "在用", "闲置"])])
    wb.save(path)


def job_import(ids: dict, path: str) -> dict:
    from assets import importer
    from logistics.models import School, User

    school = School.objects.get(pk=ids["big_school"])
    staff = User.objects.get(username="b_logistics_staff")
    data = open(path, "rb").read()
    t0 = time.perf_counter()
    with counted() as box:
        rows, errors = importer.parse_workbook(data, school)
        parsed = time.perf_counter() - t0
        imported = importer.import_rows(school, rows, by=staff)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "queries": box["queries"],
            "detail": f"{imported} assets imported ({len(errors)} rows refused); preview {parsed:.1f} s, confirm {seconds - parsed:.1f} s"}


def main(argv=None):
    argv = argv or sys.argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings.local")
    import django

    django.setup()
    job = argv[0]
    if job == "make-workbook":
        make_workbook(argv[1], int(argv[2]))
        return
    ids = json.loads(open(argv[1]).read())
    ids = {**ids.get("ids", {}), "big_school": ids.get("big_school") or 1}
    baseline = rss_mb()
    out = {"job": job}
    if job in PDF_JOBS:  # as a Celery worker starts (logistics.celery: worker_init / worker_process_init)
        from logistics.pdf import warm_up

        out["worker_start_seconds"] = round(warm_up(), 2)
    try:
        with rolled_back():
            if job == "disclosure":
                out.update(job_disclosure(ids))
            elif job == "sweeps":
                out.update(job_sweeps(ids))
            elif job == "monthly":
                out.update(job_monthly(ids))
            elif job == "import":
                out.update(job_import(ids, argv[2]))
            else:
                raise SystemExit(f"unknown job {job!r}")
    except Exception as exc:  # report, don't hide: the harness prints it in the table
        out.update(error=f"{type(exc).__name__}: {exc}"[:500])
    out.update(seconds=round(out.get("seconds", 0.0), 2), peak_rss_mb=rss_mb(), baseline_rss_mb=baseline)
    print(json.dumps(out, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
