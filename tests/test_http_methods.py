"""Nothing changes on GET; every state-changing route wants POST, and POST without a CSRF token is refused.

- Every route of the access matrix is opened with GET by every kind of user; a checksum of every
  business table (every row of every model, except sessions, login attempts and last_login) must
  be the same after each route as before.
- Every route the matrix declares POST-only answers GET with 405 (or 403/login before that),
  never with a page or a redirect.
- Every route that takes a POST refuses it without a CSRF token (403) even from a user allowed to
  use it, and the checksum is unchanged; the same POST with the token goes through (control).
"""
from __future__ import annotations

import hashlib

import pytest
from django.apps import apps
from django.test import Client

from tests.test_access_matrix import (
    COMMITTEE,
    EXPECT,
    OK,
    add_committee_member,
    classify,
    path_for,
    project_routes,
)
from tests.world import ANON, OTHER, OWNER, ROLE_KEYS, SUPER, build_world

pytestmark = pytest.mark.django_db

SKIP_MODELS = {"sessions.session", "admin.logentry", "contenttypes.contenttype", "auth.permission"}
SKIP_APPS = {"axes"}
SKIP_FIELDS = {"last_login"}


def db_checksum() -> dict[str, str]:
    """model label → digest of all its rows."""
    out = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SKIP_MODELS or model._meta.app_label in SKIP_APPS or model._meta.proxy:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in SKIP_FIELDS]
        digest = hashlib.sha256()
        for row in model._base_manager.order_by("pk").values_list(*fields):
            digest.update(repr(row).encode())
        out[label] = digest.hexdigest()
    return out


def changed(before, after) -> list[str]:
    return sorted(k for k in after if before.get(k) != after[k])


def path_of(name, w):
    entry = EXPECT[name]
    route = project_routes()[name]
    return path_for(route, w.objects[entry.obj]) if entry.obj else "/" + route


@pytest.fixture
def world(school, other_school):
    w = build_world(school, other_school)
    add_committee_member(w)
    return w


def logged_in(w, who, **kw) -> Client:
    client = Client(**kw)
    if who != ANON:
        client.force_login(w.users[who])
    return client


def routes_in_both():
    """Entries of EXPECT whose route exists (the matrix itself reports any difference)."""
    routes = project_routes()
    return [n for n in EXPECT if n in routes]


def users_to_try(entry) -> list[str]:
    """Everyone the route lets in with GET (or, for a POST-only route, who may POST), and anonymous."""
    rule = entry.methods.get("get") or entry.methods["post"]
    everyone = ROLE_KEYS + [OWNER, OTHER, SUPER, *entry.principals]
    return [who for who in everyone if rule.expected(who, has_object=entry.obj is not None) == OK] + [ANON]


def test_nothing_changes_on_get(world):
    w = world
    clients = {who: logged_in(w, who) for who in ROLE_KEYS + [OWNER, OTHER, SUPER, COMMITTEE, ANON]}
    problems, requests = [], 0
    before = db_checksum()
    names = routes_in_both()
    for name in names:
        path = path_of(name, w)
        for who in users_to_try(EXPECT[name]):
            try:
                clients[who].get(path)
            except Exception as exc:  # a 500 on GET is a bug too
                problems.append(f"GET {path} ({name}) as {who} raised {type(exc).__name__}: {exc}")
            requests += 1
        after = db_checksum()
        if after != before:
            problems.append(f"GET {path} ({name}) changed {changed(before, after)}")
            before = after
    print(f"\nGET on {len(names)} routes by every user allowed there: {requests} requests, database unchanged")
    assert not problems, "\n".join(problems)


def test_state_changing_routes_refuse_get(world):
    w = world
    posts = [n for n in routes_in_both() if set(EXPECT[n].methods) == {"post"}]
    assert len(posts) > 60
    bad = []
    for name in posts:
        rule = EXPECT[name].methods["post"]
        path = path_of(name, w)
        for who in ROLE_KEYS + [OWNER, SUPER]:
            got = classify(logged_in(w, who).get(path))
            if got == OK or (rule.expected(who, has_object=EXPECT[name].obj is not None) == OK and got != "405"):
                bad.append(f"GET {path} ({name}) as {who}: {got}")
    assert not bad, "\n".join(bad)


def allowed_user(entry, rule) -> str:
    for who in ROLE_KEYS + [OWNER, *entry.principals, SUPER]:
        if rule.expected(who, has_object=entry.obj is not None) == OK:
            return who
    raise AssertionError("no user may use this route")


def test_post_without_csrf_token_is_refused(world):
    w = world
    refused, bad = 0, []
    before = db_checksum()
    for name in routes_in_both():
        entry = EXPECT[name]
        rule = entry.methods.get("post")
        if rule is None:
            continue
        who = allowed_user(entry, rule) if any(
            rule.expected(k, has_object=entry.obj is not None) == OK for k in ROLE_KEYS + [OWNER, *entry.principals, SUPER]
        ) else ANON
        client = logged_in(w, who, enforce_csrf_checks=True)
        data = entry.data(w) if entry.data else {}
        response = client.post(path_of(name, w), data)
        if response.status_code != 403:
            bad.append(f"POST {path_of(name, w)} ({name}) as {who} without CSRF token: {response.status_code}")
        refused += 1
    assert not bad, "\n".join(bad)
    assert db_checksum() == before
    assert refused > 90


def test_csrf_control_same_post_with_the_token_goes_through(world):
    """The refusal above is the CSRF check, not something else: with the token the POST works."""
    from logistics.models import Room

    w = world
    client = logged_in(w, "logistics_staff", enforce_csrf_checks=True)
    client.get("/rooms/new/")
    token = client.cookies["csrftoken"].value
    building = w.objects["room"].building
    before = db_checksum()
    response = client.post("/rooms/new/", {"building": building.pk, "name": "新建教室", "number": "999", "kind": "classroom",
                                           "csrfmiddlewaretoken": token})
    assert response.status_code == 302, response.content[:500]
    assert Room.objects.filter(school=w.school, name="新建教室").exists()
    assert "logistics.room" in changed(before, db_checksum())
