"""Exactly one beat: a second Celery beat started by mistake doubles nothing (issue 11).

Two real ``celery beat`` processes (RedBeat scheduler, real Redis) share one schedule that sends a
task every second into a queue nobody consumes, so the queue length counts what was sent.
While both run, the second waits for RedBeat's lock and the rate stays one per second; when
the first is killed (SIGKILL: no clean release), the second takes the lock over once it expires
and the schedule goes on, still at one per second.
"""
from __future__ import annotations

import os
import signal
import time
import uuid

import pytest
import redis as redis_lib

from tests.processes import log_text, settings_module, start_beat, stop, subprocess_env

pytestmark = [pytest.mark.services]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_second_beat_waits_for_the_lock_and_takes_over_when_the_first_dies(redis_url, settings, tmp_path):
    run = uuid.uuid4().hex[:8]
    queue = f"logistics-beat-{run}"
    env = subprocess_env(redis_url=redis_url, queue=queue, media_root=settings.MEDIA_ROOT, DATABASE_URL="sqlite:///" + str(tmp_path / "x.db"))
    env.update(settings_module(tmp_path, "beat_settings", "logistics.settings.test", "\n".join([
        "CELERY_TASK_ALWAYS_EAGER = False",
        f"CELERY_REDBEAT_KEY_PREFIX = 'logistics:test-redbeat:{run}:'",
        "CELERY_REDBEAT_LOCK_TIMEOUT = 5",
        "CELERY_BEAT_MAX_LOOP_INTERVAL = 1",
        f"CELERY_BEAT_SCHEDULE = {{'tick': {{'task': 'logistics.tasks.ping', 'schedule': 1.0, 'args': ['beat'], 'options': {{'queue': '{queue}'}}}}}}",
    ])))
    client = redis_lib.Redis.from_url(redis_url)
    a_name, b_name = f"beat-{run}-a", f"beat-{run}-b"
    a = start_beat(env, a_name, tmp_path)
    procs = [a]
    try:
        assert env["DJANGO_SETTINGS_MODULE"] == "beat_settings"
        wait_for(lambda: "Acquired lock" in log_text(a_name), 60, "beat A to take the lock")
        b = start_beat(env, b_name, tmp_path)
        procs.append(b)
        wait_for(lambda: "beat: Starting" in log_text(b_name) or "Acquiring lock" in log_text(b_name) or "LocalTime" in log_text(b_name),
                 60, "beat B to start")
        time.sleep(2)
        start_count, t0 = client.llen(queue), time.monotonic()
        time.sleep(8)
        both = client.llen(queue) - start_count
        overlap = time.monotonic() - t0
        assert b.poll() is None and "Acquired lock" not in log_text(b_name), "the second beat must wait for the lock"
        assert 0 < both <= overlap + 2, f"{both} ticks in {overlap:.1f}s with two beats: a job was doubled"

        os.kill(a.pid, signal.SIGKILL)
        a.wait(timeout=10)
        killed = time.monotonic()
        wait_for(lambda: "Acquired lock" in log_text(b_name), 30, "beat B to take the lock over")
        takeover = time.monotonic() - killed
        time.sleep(1)
        after, t1 = client.llen(queue), time.monotonic()
        time.sleep(5)
        alone = client.llen(queue) - after
        assert 0 < alone <= (time.monotonic() - t1) + 2
        print(f"\ntwo beats: {both} ticks in {overlap:.1f}s while both ran (1/s schedule); "
              f"B took over {takeover:.1f}s after A was killed, then {alone} ticks in 5s")
    finally:
        stop(*procs)
        client.delete(queue)
        for key in client.scan_iter(f"logistics:test-redbeat:{run}:*"):
            client.delete(key)
