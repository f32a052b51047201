"""Two gunicorn instances and two Celery workers on one PostgreSQL and one Redis.

Every write made through one instance is visible through the other; the scheduled sweeps run
on both workers at the same moment (the assets overdue-loan sweep, eight times at once, and
the e-mail outbox sweep) and still send every reminder and every e-mail exactly once.
"""
from __future__ import annotations

import re
import time
import uuid

import pytest
import requests

from logistics.models import EmailState, Notification
from logistics.roles import Role
from logistics.tests.factories import BuildingFactory, member
from tests.processes import (
    free_port, log_text, mail_text, read_mail, start_gunicorn, start_worker, stop, subprocess_env, wait_for_workers,
)

pytestmark = [pytest.mark.services]


def overdue_loans(school, *, borrowers: int, count: int) -> list:
    """``count`` loans of as many assets, three days overdue, spread over borrowers with an e-mail."""
    import datetime as dt

    from django.utils import timezone

    from assets.models import Asset, Loan
    from assets.tests.factories import AssetFactory

    office = member(Role.LOGISTICS_STAFF, school)
    people = [member(Role.TEACHER, school, email=f"borrower{i}@example.org") for i in range(borrowers)]
    assets = [AssetFactory(school=school) for _ in range(count)]
    due = timezone.localdate() - dt.timedelta(days=3)
    return Loan.objects.bulk_create([Loan(asset=a, borrower=people[i % borrowers], lent_by=office, due_date=due) for i, a in enumerate(assets)])


def login(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(f"{base}/accounts/login/", data={"username": username, "password": password, "csrfmiddlewaretoken": token},
                            headers={"Referer": f"{base}/accounts/login/"}, allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    return session


def csrf(session: requests.Session, url: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', session.get(url).text).group(1)


def test_two_instances_two_workers(postgres, redis_url, transactional_db, settings, school, tmp_path):
    from logistics.celery import app

    building = BuildingFactory(school=school, name="教学楼")
    member(Role.LOGISTICS_STAFF, school, username="staff_a", password="pw-scale-123")
    teacher = member(Role.TEACHER, school, username="teacher_b", password="pw-scale-123", email="t@example.org")

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    queue = f"logistics-scale-{uuid.uuid4().hex[:8]}"
    env = subprocess_env(redis_url=redis_url, queue=queue, media_root=settings.MEDIA_ROOT, TEST_EMAIL_FILE_PATH=mail_dir)
    port_a, port_b = free_port(), free_port()
    procs = []
    old = (app.conf.task_always_eager, app.conf.task_default_queue)
    try:
        procs.append(start_gunicorn(port_a, env, "gunicorn-a"))
        procs.append(start_gunicorn(port_b, env, "gunicorn-b"))
        workers = [start_worker(queue, env, f"{queue}-w1"), start_worker(queue, env, f"{queue}-w2")]
        procs += workers
        app.conf.task_always_eager = False
        app.conf.task_default_queue = queue
        wait_for_workers(app, [f"{queue}-w1", f"{queue}-w2"], workers)

        a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
        # --- writes through A are read through B (and the session made on A works on B) ---
        staff_on_a = login(a, "staff_a", "pw-scale-123")
        names = [f"音乐室{i}" for i in range(5)]
        for i, name in enumerate(names):
            token = csrf(staff_on_a, f"{a}/rooms/new/")
            r = staff_on_a.post(f"{a}/rooms/new/", data={"building": building.pk, "name": name, "number": f"40{i}", "kind": "special",
                                                          "csrfmiddlewaretoken": token}, headers={"Referer": f"{a}/rooms/new/"}, allow_redirects=False)
            assert r.status_code == 302, r.text[:300]
        staff_on_b = requests.Session()
        staff_on_b.cookies.update(staff_on_a.cookies)
        listing = staff_on_b.get(f"{b}/rooms/").text
        assert all(name in listing for name in names)
        teacher_on_b = login(b, "teacher_b", "pw-scale-123")
        assert all(name in teacher_on_b.get(f"{b}/rooms/").text for name in names)

        # --- a scheduled sweep on both workers at once: every reminder exactly once ---
        loans = overdue_loans(school, borrowers=5, count=30)
        results = [app.send_task("assets.tasks.sweep", queue=queue) for _ in range(8)]
        made = sum(result.get(timeout=120)["overdue_reminded"] for result in results)
        reminders = Notification.objects.filter(dedupe_key__startswith="assets:loan-overdue:")
        assert made == len(loans) == reminders.count() == reminders.values("dedupe_key").distinct().count()

        # --- the e-mail outbox sweep on both workers at once: each e-mail exactly once ---
        Notification.objects.bulk_create(
            [Notification(recipient=teacher, school=school, text=f"提醒 {i}", email_state=EmailState.PENDING) for i in range(40)]
        )
        results = [app.send_task("logistics.tasks.heartbeat", queue=queue) for _ in range(12)]
        for result in results:
            result.get(timeout=60)
        with_email = Notification.objects.exclude(email_state=EmailState.NONE)
        assert with_email.count() == 70 and not with_email.exclude(email_state=EmailState.SENT).exists()
        sent = [(m["To"], mail_text(m)) for m in read_mail(mail_dir)]
        assert len(sent) == 70 and len(set(sent)) == 70
        # both workers took part in both sweeps
        logs = [log_text(f"{queue}-w{i}") for i in (1, 2)]
        assert all("logistics.tasks.heartbeat" in log and "assets.tasks.sweep" in log for log in logs)
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = old
        stop(*procs)
