"""Concurrent double-submit of the same form (PostgreSQL): one record, not two.

Two threads — two requests on two database connections, as on two gunicorn workers — post the
same page of a create form (the same one-time token, as a double click or a re-sent request
does) at the same moment. Exactly one record is created and both get a redirect to it. Control:
two *different* pages (two tokens) are two submissions and make two records, so the single
record above is the token's doing.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Callable

import pytest
from django.db import connection
from django.test import Client

from logistics.roles import Role

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@dataclass
class CreateForm:
    name: str
    role: str
    url: str
    data: Callable  # (ctx) → POST data without the token
    count: Callable  # (ctx) → how many such records exist


def _repair_data(ctx):
    return {"room": ctx["room"].pk, "description": "灯管不亮（双击测试）", "urgency": "normal"}


def _repairs(ctx):
    from repairs.models import Repair

    return Repair.objects.filter(description="灯管不亮（双击测试）").count()


def _purchase_data(ctx):
    return {"title": "粉笔（双击测试）", "reason": "教学需要", "budget_line": ctx["budget_line"].pk}


def _purchases(ctx):
    from procurement.models import PurchaseRequest

    return PurchaseRequest.objects.filter(title="粉笔（双击测试）").count()


def _visitor_data(ctx):
    return {"name": "张三（双击测试）", "id_last4": "1234", "phone": "13800000000", "visiting": "刘主任", "purpose": "送货"}


def _visitors(ctx):
    from safety.models import Visitor

    return Visitor.objects.filter(name="张三（双击测试）").count()


def _feedback_data(ctx):
    return {"kind": "suggestion", "text": "汤有点咸（双击测试）"}


def _feedbacks(ctx):
    from canteen.models import Feedback

    return Feedback.objects.filter(text="汤有点咸（双击测试）").count()


FORMS = [
    CreateForm("repair report", Role.TEACHER, "/repairs/new/", _repair_data, _repairs),
    CreateForm("purchase request", Role.LOGISTICS_STAFF, "/procurement/new/", _purchase_data, _purchases),
    CreateForm("visitor entry", Role.GUARD, "/safety/visitors/new/", _visitor_data, _visitors),
    CreateForm("canteen feedback", Role.PARENT, "/canteen/feedback/new/", _feedback_data, _feedbacks),
]


@pytest.fixture
def ctx(postgres, school):
    from logistics.tests.factories import RoomFactory, member
    from procurement.tests.factories import BudgetLineFactory

    return {
        "room": RoomFactory(school=school),
        "budget_line": BudgetLineFactory(school=school),
        "users": {f.role: member(f.role, school) for f in FORMS},
    }


def token_of(client, url) -> str:
    page = client.get(url)
    assert page.status_code == 200
    found = re.search(r'name="form_token" value="([^"]+)"', page.content.decode())
    assert found, f"{url}: the form carries no one-time token"
    return found.group(1)


def post_together(clients, url, payloads):
    """POST each payload from its own thread (own DB connection), released at the same moment."""
    barrier = threading.Barrier(len(payloads))
    results = [None] * len(payloads)

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = clients[i].post(url, payloads[i])
        except Exception as exc:  # noqa: BLE001 - reported below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(payloads))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def clients_for(user, n=2):
    out = []
    for _ in range(n):
        c = Client()
        c.force_login(user)
        out.append(c)
    return out


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_same_form_posted_twice_at_once_creates_one_record(form, ctx):
    user = ctx["users"][form.role]
    clients = clients_for(user)
    token = token_of(clients[0], form.url)
    data = {**form.data(ctx), "form_token": token}
    results = post_together(clients, form.url, [data, data])
    for r in results:
        assert not isinstance(r, Exception), repr(r)
        assert r.status_code == 302, (r.status_code, r.content[:300])
    assert form.count(ctx) == 1
    assert results[0]["Location"] == results[1]["Location"]  # both land on the one record


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_control_two_pages_are_two_records(form, ctx):
    user = ctx["users"][form.role]
    clients = clients_for(user)
    payloads = [{**form.data(ctx), "form_token": token_of(c, form.url)} for c in clients]
    results = post_together(clients, form.url, payloads)
    assert all(not isinstance(r, Exception) and r.status_code == 302 for r in results), results
    assert form.count(ctx) == 2


def test_refused_form_releases_its_token(ctx):
    """A form sent with an error is re-shown with the same token; the corrected one is saved."""
    from safety.models import Visitor

    client = clients_for(ctx["users"][Role.GUARD], 1)[0]
    token = token_of(client, "/safety/visitors/new/")
    bad = client.post("/safety/visitors/new/", {**_visitor_data(ctx), "id_last4": "1", "form_token": token})
    assert bad.status_code == 200 and f'value="{token}"' in bad.content.decode()
    good = client.post("/safety/visitors/new/", {**_visitor_data(ctx), "form_token": token})
    assert good.status_code == 302
    again = client.post("/safety/visitors/new/", {**_visitor_data(ctx), "form_token": token})
    assert again.status_code == 302 and again["Location"] == good["Location"]
    assert Visitor.objects.filter(name="张三（双击测试）").count() == 1


def test_old_tokens_are_forgotten_as_new_forms_are_sent(school):
    """Tokens older than KEEP_DAYS go when the same person sends a new form; others' stay."""
    import datetime as dt

    from django.utils import timezone

    from logistics.idempotency import KEEP_DAYS, FormSubmission
    from logistics.tests.factories import member

    guard, other = member(Role.GUARD, school), member(Role.GUARD, school)
    old = timezone.now() - dt.timedelta(days=KEEP_DAYS + 1)
    for user in (guard, other):
        FormSubmission.objects.create(user=user, token=f"old-{user.pk}", path="/safety/visitors/new/")
    FormSubmission.objects.update(created_at=old)
    client = clients_for(guard, 1)[0]
    token = token_of(client, "/safety/visitors/new/")
    assert client.post("/safety/visitors/new/", {**_visitor_data({}), "form_token": token}).status_code == 302
    assert set(FormSubmission.objects.values_list("token", flat=True)) == {token, f"old-{other.pk}"}
