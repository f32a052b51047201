"""The load test, short: simulated people of every role on gunicorn + PostgreSQL (issue 10).

The full run (50 people, 2 minutes) is ``python -m tests.load``; this one is 10 people for 15 s.
Zero 5xx, zero client errors, every accepted form stored exactly once.
"""
from __future__ import annotations

import uuid

import pytest

from logistics.tests.factories import BuildingFactory, RoomFactory
from tests import load
from tests.processes import free_port, start_gunicorn, stop, subprocess_env

pytestmark = [pytest.mark.services]


def test_role_mix_keeps_the_proportions_and_every_writing_role():
    from collections import Counter

    from logistics.roles import Role

    assert len(load.role_mix(50)) == 50 and Counter(load.role_mix(50))[Role.TEACHER] == 14
    ten = Counter(load.role_mix(10))
    assert sum(ten.values()) == 10 and all(ten[r] >= 1 for r in (Role.TEACHER, Role.LOGISTICS_STAFF, Role.GUARD, Role.PARENT))


def test_ten_people_for_fifteen_seconds_no_5xx_no_lost_write(postgres, redis_url, transactional_db, settings, school):
    building = BuildingFactory(school=school)
    RoomFactory.create_batch(3, school=school, building=building)
    run_id = uuid.uuid4().hex[:8]
    accounts, ctx = load.prepare(school, users=10, password="pw-load-123", run_id=run_id)
    env = subprocess_env(redis_url=redis_url, queue=f"logistics-load-{run_id}", media_root=settings.MEDIA_ROOT)
    port = free_port()
    web = start_gunicorn(port, env, "load-gunicorn", workers=3)
    try:
        report = load.run(f"http://127.0.0.1:{port}", accounts, ctx, seconds=13, spawn_per_second=5)
    finally:
        stop(web)
    print("\n" + report.summary())
    assert report.errors_5xx == 0, report.server_errors
    assert not report.exceptions and not report.refused and not report.denied
    assert sum(report.accepted.values()) > 0 and report.lost == {}, report.summary()
    assert report.requests > 30  # ~10/s on an idle 2-core machine; the figure is printed
