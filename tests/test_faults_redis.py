"""Redis stopped while the site runs (issue 10, faults).

A private ``redis-server`` (no persistence) is the broker and cache of a real gunicorn on the
PostgreSQL test database, with a real Celery worker. The test stops Redis, then drives every
parameterless page for four roles and submits forms of four apps as five roles; every page must answer as it
does with Redis up, every form must save, and the e-mails those forms queued must not be lost.
Redis is started again (empty, as after a crash); once the worker is back, the outbox sweep that
beat runs every minute sends each e-mail exactly once, and a second sweep sends nothing more.
"""
from __future__ import annotations

import shutil
import time
import uuid

import pytest
from celery import Celery

from logistics.models import EmailState, Notification, Room
from logistics.roles import Role
from logistics.tests.factories import BuildingFactory, RoomFactory, member
from logistics.tests.urlwalk import iter_routes
from tests.processes import (
    free_port, http_login, http_post_form, mail_text, read_mail, settings_module, start_gunicorn, start_redis, start_worker,
    stop, subprocess_env, wait_for_workers,
)

pytestmark = [pytest.mark.services]

PASSWORD = "pw-faults-123"
ROLES = {  # username → role; each drives every page it may (and may not) see
    "f_teacher": Role.TEACHER,
    "f_staff": Role.LOGISTICS_STAFF,
    "f_director": Role.LOGISTICS_DIRECTOR,
    "f_guard": Role.GUARD,
    "f_parent": Role.PARENT,
}
WALKERS = ("f_teacher", "f_staff", "f_director", "f_parent")  # walk every page (others only submit their forms)
SKIP = {"logout", "set_language", "switch_school", "notification_read_all", "readyz", "healthz"}


def page_paths() -> list[str]:
    return ["/" + route for name, route, conv in iter_routes() if not conv and not name.startswith("admin:") and name not in SKIP]


def statuses(sessions: dict, paths: list[str]) -> dict:
    return {(user, path): sessions[user].get(f"{sessions[user].base}{path}", allow_redirects=False, timeout=60).status_code
            for user in WALKERS for path in paths}


@pytest.fixture
def redis_binary():
    if not shutil.which("redis-server"):
        import os

        if os.environ.get("CI"):
            pytest.fail("CI requires redis-server")
        pytest.skip("redis-server is not installed")


def test_site_survives_a_redis_outage_and_the_queued_work_happens_once(postgres, redis_binary, transactional_db, settings, school, tmp_path):
    building = BuildingFactory(school=school, name="实验楼")
    room = RoomFactory(school=school, building=building, name="物理实验室")
    people = {u: member(role, school, username=u, password=PASSWORD, email=f"{u}@example.org") for u, role in ROLES.items()}
    member(Role.REPAIRER, school, username="f_repairer", password=PASSWORD, email="f_repairer@example.org")

    redis_port = free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    queue = f"logistics-faults-{uuid.uuid4().hex[:8]}"
    env = subprocess_env(redis_url=redis_url, queue=queue, media_root=settings.MEDIA_ROOT, TEST_EMAIL_FILE_PATH=mail_dir)
    # The test settings run tasks eagerly; these processes must go through the broker like production.
    env.update(settings_module(tmp_path / "settings", "faults_settings", "logistics.settings.test", "CELERY_TASK_ALWAYS_EAGER = False\nBROKER_RETRY_AFTER = 5.0"))
    client = Celery("faults-client", broker=redis_url, backend=redis_url)
    client.conf.broker_connection_retry_on_startup = True

    redis = start_redis(redis_port)
    procs = [redis]
    try:
        web_port = free_port()
        procs.append(start_gunicorn(web_port, env, "faults-gunicorn"))
        worker = start_worker(queue, env, f"{queue}-w")
        procs.append(worker)
        wait_for_workers(client, [f"{queue}-w"], [worker])
        base = f"http://127.0.0.1:{web_port}"
        sessions = {u: http_login(base, u, PASSWORD) for u in ROLES}
        paths = page_paths()
        assert len(paths) > 50
        t0 = time.monotonic()
        with_redis = statuses(sessions, paths)
        assert all(code < 500 for code in with_redis.values())
        import requests

        assert requests.get(f"{base}/readyz", timeout=10).status_code == 200

        # ---------------- Redis goes away ----------------
        redis.terminate()
        redis.wait(timeout=10)
        ready = requests.get(f"{base}/readyz", timeout=30)
        assert ready.status_code == 503 and ready.json()["database"]["ok"] and not ready.json()["broker"]["ok"]

        started = time.monotonic()
        print(f"\npages with redis: {started - t0:.1f}s")
        without_redis = statuses(sessions, paths)
        pages_seconds = time.monotonic() - started
        assert without_redis == with_redis, {k: (with_redis[k], v) for k, v in without_redis.items() if with_redis[k] != v}
        # a new sign-in works too (sessions and login throttling live in the database)
        sessions["f_teacher"] = http_login(base, "f_teacher", PASSWORD)

        slowest = 0.0

        def post(user, path, data, form_page=None):
            nonlocal slowest
            t = time.monotonic()
            response = http_post_form(sessions[user], path, data, form_page=form_page)
            slowest = max(slowest, time.monotonic() - t)
            assert response.status_code == 302, (path, response.status_code, response.text[:500])
            return response

        # repairs: a teacher reports a fault (the office is notified), staff take it and dispatch it
        post("f_teacher", "/repairs/new/", {"room": room.pk, "description": "断电时灯不亮", "urgency": "urgent"})
        from repairs.models import Repair

        repair = Repair.objects.get(description="断电时灯不亮")
        post("f_staff", f"/repairs/{repair.pk}/take/", {}, form_page=f"/repairs/{repair.pk}/")
        repairer = type(people["f_staff"]).objects.get(username="f_repairer")
        post("f_staff", f"/repairs/{repair.pk}/dispatch/", {"to": repairer.pk, "note": "请尽快"}, form_page=f"/repairs/{repair.pk}/")
        repair.refresh_from_db()
        assert repair.status == "dispatched" and repair.assignee == repairer
        # core: a room; safety: a visitor at the gate; canteen: a parent's feedback
        post("f_staff", "/rooms/new/", {"building": building.pk, "name": "停电期间新建的房间", "number": "501", "kind": "special"})
        post("f_guard", "/safety/visitors/new/", {"name": "来访者甲", "id_last4": "123X", "phone": "13800000000", "visiting": "刘主任", "purpose": "送货"})
        post("f_parent", "/canteen/feedback/new/", {"kind": "suggestion", "text": "希望多一些蔬菜"})
        assert Room.objects.filter(name="停电期间新建的房间").exists()
        from canteen.models import Feedback
        from safety.models import Visitor

        assert Visitor.objects.filter(name="来访者甲").exists() and Feedback.objects.filter(text="希望多一些蔬菜").exists()
        assert sessions["f_staff"].get(f"{base}/repairs/{repair.pk}/", timeout=30).status_code == 200
        assert slowest < 3, f"a form took {slowest:.1f}s with the broker down"
        outage_ended_requests = time.monotonic()

        # the e-mails those steps queued are waiting in the outbox, none sent
        waiting = set(Notification.objects.filter(email_state=EmailState.PENDING).values_list("pk", flat=True))
        assert len(waiting) >= 2, "the outage steps should have notified someone by e-mail"
        assert not read_mail(mail_dir)

        # ---------------- Redis comes back, empty (nothing was persisted) ----------------
        redis = start_redis(redis_port)
        procs[0] = redis
        back = time.monotonic()
        wait_for_workers(client, [f"{queue}-w"], [worker], timeout=90)
        reconnect_seconds = time.monotonic() - back
        assert requests.get(f"{base}/readyz", timeout=10).status_code == 200
        # what beat sends every minute: the heartbeat runs the outbox sweep
        assert client.send_task("logistics.tasks.heartbeat", queue=queue).get(timeout=60) == "ok"
        assert client.send_task("logistics.tasks.heartbeat", queue=queue).get(timeout=60) == "ok"
        sent = read_mail(mail_dir)
        states = dict(Notification.objects.filter(pk__in=waiting).values_list("pk", "email_state"))
        assert set(states.values()) == {EmailState.SENT}
        assert len(sent) == len(waiting)
        bodies = [(m["To"], mail_text(m)) for m in sent]
        assert len(set(bodies)) == len(bodies), "an e-mail went out twice"

        # and with the broker back, a new step's e-mail goes through the queue at once (no sweep);
        # a web process retries the broker BROKER_RETRY_AFTER seconds after its last failure
        time.sleep(max(0.0, 6 - (time.monotonic() - outage_ended_requests)))
        post("f_teacher", "/repairs/new/", {"room": room.pk, "description": "恢复后报修", "urgency": "normal"})
        fresh = Notification.objects.filter(email_state__in=[EmailState.PENDING, EmailState.SENDING, EmailState.SENT]).exclude(pk__in=waiting)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and fresh.exclude(email_state=EmailState.SENT).exists():
            time.sleep(0.3)
        assert fresh.exists() and not fresh.exclude(email_state=EmailState.SENT).exists()
        assert len(read_mail(mail_dir)) == len(waiting) + fresh.count()
        print(f"\nredis outage: {len(with_redis)} page requests unchanged ({pages_seconds:.1f}s), "
              f"6 forms saved (slowest {slowest:.2f}s), {len(waiting)} e-mails held and sent once after recovery; "
              f"worker back {reconnect_seconds:.1f}s after Redis")
    finally:
        stop(*procs)
