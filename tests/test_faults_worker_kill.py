"""A Celery worker killed with SIGKILL in the middle of a job (issue 10, faults).

Tasks are acknowledged late (``CELERY_TASK_ACKS_LATE``), so a job's message stays unacked in Redis
while it runs; when its worker dies, Redis hands it out again once the visibility timeout has
passed (shortened here to a few seconds) and a second worker runs the whole job again.

The overdue-loan sweep writes its reminders in one statement (all or nothing), so the job that
makes progress step by step is the e-mail outbox (``logistics.tasks.heartbeat``): it sends the
reminders' e-mails one by one. It is killed after some were sent; the redelivered run and the next
ones must send the rest and none twice: one reminder per overdue loan, one e-mail per reminder.
"""
from __future__ import annotations

import datetime as dt
import os
import signal
import time
import uuid

import pytest
from celery import Celery
from django.db.models import Count
from django.utils import timezone

from assets.models import Asset, Loan
from assets.tests.factories import AssetFactory
from logistics.models import EmailState, Notification
from logistics.roles import Role
from logistics.tests.factories import member
from tests.processes import BASE_DIR, mail_text, read_mail, start_worker, stop, subprocess_env, wait_for_workers

pytestmark = [pytest.mark.services]

LOANS = 400


def overdue_reminders():
    return Notification.objects.filter(dedupe_key__startswith="assets:loan-overdue:")


def test_outbox_killed_mid_run_is_redelivered_and_sends_nothing_twice(postgres, redis_url, transactional_db, settings, school, tmp_path):
    office = member(Role.LOGISTICS_STAFF, school)
    borrowers = [member(Role.TEACHER, school, email=f"borrower{i}@example.org") for i in range(12)]
    template = AssetFactory.build(school=school)
    assets = Asset.objects.bulk_create([
        Asset(school=school, number=f"KILL{i:05d}", name=f"投影仪{i}", category=template.category, unit="台",
              unit_price=template.unit_price, original_value=template.unit_price, current_value=template.unit_price,
              asset_class=template.asset_class, status=template.status)
        for i in range(LOANS)
    ])
    due = timezone.localdate() - dt.timedelta(days=3)
    Loan.objects.bulk_create([Loan(asset=a, borrower=borrowers[i % len(borrowers)], lent_by=office, due_date=due) for i, a in enumerate(assets)])

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    queue = f"logistics-kill-{uuid.uuid4().hex[:8]}"
    env = subprocess_env(redis_url=redis_url, queue=queue, media_root=settings.MEDIA_ROOT, TEST_EMAIL_FILE_PATH=mail_dir,
                         CELERY_VISIBILITY_TIMEOUT=4)
    client = Celery("kill-client", broker=redis_url, backend=redis_url)
    client.conf.broker_transport_options = {"visibility_timeout": 4}
    first = start_worker(queue, env, f"{queue}-w1")
    procs = [first]
    try:
        wait_for_workers(client, [f"{queue}-w1"], [first])
        assert client.send_task("assets.tasks.sweep", queue=queue).get(timeout=120) == {"overdue_reminded": LOANS}
        keys = list(overdue_reminders().values_list("dedupe_key", flat=True))
        assert len(keys) == LOANS and len(set(keys)) == LOANS  # exactly one reminder per overdue loan
        # the outbox sweep sends their e-mails one by one: kill its worker after some have gone out
        sent_state = overdue_reminders().filter(email_state=EmailState.SENT)
        result = client.send_task("logistics.tasks.heartbeat", queue=queue)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and sent_state.count() < 10:
            time.sleep(0.02)
        done_before_kill = sent_state.count()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        at_kill = sent_state.count()
        assert 0 < done_before_kill <= at_kill < LOANS, f"the kill did not land mid-run ({at_kill} of {LOANS})"

        second = start_worker(queue, env, f"{queue}-w2")
        procs.append(second)
        wait_for_workers(client, [f"{queue}-w2"], [second])
        killed_at = time.monotonic()
        assert result.get(timeout=240) == "ok"
        rerun_seconds = time.monotonic() - killed_at  # the same task id, run again by the second worker
        log2 = (BASE_DIR / "var" / "test-logs" / f"{queue}-w2.log").read_text()
        assert result.id in log2, "the second worker did not receive the killed outbox sweep again"
        # and the next beats send what is still pending (a run sends at most 200)
        for _ in range(3):
            client.send_task("logistics.tasks.heartbeat", queue=queue).get(timeout=240)
        sent = read_mail(mail_dir)
        bodies = [(m["To"], mail_text(m)) for m in sent]
        assert len(bodies) == len(set(bodies)), "an e-mail went out twice"
        states = dict(overdue_reminders().values_list("email_state").annotate(n=Count("pk")))
        # the one e-mail in flight at the kill stays "sending": never sent twice (manage.py health counts it)
        assert states.get(EmailState.PENDING, 0) == 0 and states.get(EmailState.SENDING, 0) <= 1
        assert states.get(EmailState.SENT, 0) + states.get(EmailState.SENDING, 0) == LOANS
        assert states[EmailState.SENT] <= len(sent) <= LOANS
        assert Loan.objects.count() == LOANS
        value = {"sent_before_kill": at_kill}
        print(f"\nworker kill: outbox killed after {value['sent_before_kill']}/{LOANS} e-mails; "
              f"{len(keys)} reminders, {len(sent)} e-mails, states {states}; redelivered and finished in {rerun_seconds:.1f}s")
    finally:
        stop(*procs)
