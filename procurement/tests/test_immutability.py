"""Signed approvals and published disclosures refuse every change — through every view and form
of procurement and through the models — and each refused attempt is written to logistics.audit."""
import logging
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from logistics.roles import Role
from procurement import services
from procurement.models import Disclosure, PurchaseApproval, PurchaseEvent
from procurement.tests.factories import BudgetLineFactory

pytestmark = pytest.mark.django_db


def audit(caplog):
    return [r for r in caplog.records if r.name == "logistics.audit"]


def signed(school, make_member):
    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    p = services.create_purchase(school=school, by=staff, title="粉笔", reason="教学", budget_line=BudgetLineFactory(school=school),
                                 items=[{"name": "粉笔", "quantity": Decimal("10"), "unit": "盒", "unit_price": Decimal("8")}])
    services.submit_purchase(p, by=staff)
    approval = services.approve_purchase(p, by=director, note="同意")
    return p, approval, staff, director


def snapshot(p):
    p.refresh_from_db()
    return (p.status, p.total, list(PurchaseApproval.objects.filter(purchase=p).values_list("by_id", "decision", "note", "at")),
            list(p.items.values_list("name", "quantity", "unit_price")))


def test_every_procurement_action_on_a_signed_request_is_refused_and_logged(school, login_as, make_member, caplog):
    """POST each step of the request as the people who could otherwise act: nothing of the signed
    request changes, and every refusal leaves one audit line."""
    p, _approval, staff, director = signed(school, make_member)
    before = snapshot(p)
    clients = {"requester": login_as(Role.LOGISTICS_STAFF), "director": login_as(Role.LOGISTICS_DIRECTOR),
               "principal": login_as(Role.PRINCIPAL)}
    clients["requester"].force_login(staff)
    clients["requester"].user = staff
    clients["director"].force_login(director)
    clients["director"].user = director
    posts = [
        ("requester", "procurement:purchase_add_item", {"name": "x", "quantity": "1", "unit": "个", "unit_price": "1",
                                                        "kind": "consumable"}),
        ("requester", "procurement:purchase_add_quote", {"supplier": "甲", "amount": "5"}),
        ("requester", "procurement:purchase_notes", {"quote_justification": "改", "tender_record": "改"}),
        ("requester", "procurement:purchase_submit", {}),
        ("director", "procurement:purchase_approve", {"note": "再签一次"}),
        ("director", "procurement:purchase_reject", {"note": "改主意了"}),
        ("principal", "procurement:purchase_approve", {"note": "补签"}),
        ("principal", "procurement:purchase_reject", {"note": "驳回"}),
    ]
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        for who, name, data in posts:
            response = clients[who].post(reverse(name, args=[p.pk]), data)
            assert response.status_code in (302, 403), (name, response.status_code)
    assert snapshot(p) == before
    records = audit(caplog)
    assert len(records) == len(posts)
    assert {r.object for r in records} == {f"procurement.PurchaseRequest:{p.pk}"}
    assert all(r.reason for r in records)


def test_a_signed_approval_refuses_save_and_delete_and_logs_it(school, make_member, caplog):
    _p, approval, _staff, _director = signed(school, make_member)
    approval.note = "改"
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        with pytest.raises(ValidationError):
            approval.save()
        with pytest.raises(ValidationError):
            approval.delete()
    assert PurchaseApproval.objects.get(pk=approval.pk).note == "同意"
    assert [r.action for r in audit(caplog)] == ["procurement.approval.change", "procurement.approval.delete"]


def test_a_published_disclosure_refuses_changes_through_views_and_models_and_logs_them(school, login_as, make_member,
                                                                                     caplog):
    acc = login_as(Role.ACCOUNTANT)
    d = services.publish_disclosure(services.generate_disclosure(school, year=2026, month=10, by=acc.user), by=acc.user)
    before = (d.file.name, d.parent_file.name, d.totals, d.published_at, d.published_by_id)
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        acc.post(reverse("procurement:disclosure_publish", args=[d.pk]))  # publishing again
        d.totals = {"purchases": "0"}
        with pytest.raises(ValidationError):
            d.save()
        with pytest.raises(ValidationError):
            Disclosure.objects.get(pk=d.pk).delete()
    d = Disclosure.objects.get(pk=d.pk)
    assert (d.file.name, d.parent_file.name, d.totals, d.published_at, d.published_by_id) == before
    assert [r.action for r in audit(caplog)] == ["procurement:disclosure_publish", "procurement.disclosure.change",
                                                 "procurement.disclosure.delete"]
    # Regenerating the month is a new version; the published one stays as it was.
    d2 = services.generate_disclosure(school, year=2026, month=10, by=acc.user)
    assert d2.version == 2 and Disclosure.objects.get(pk=d.pk).totals == before[2]


def test_an_unpublished_version_can_still_be_replaced_by_a_new_one_and_kept(school, make_member):
    acc = make_member(Role.ACCOUNTANT)
    d1 = services.generate_disclosure(school, year=2026, month=9, by=acc)
    d2 = services.generate_disclosure(school, year=2026, month=9, by=acc)
    assert {d.version for d in Disclosure.objects.filter(month=9)} == {1, 2} and d1.pk != d2.pk


def test_the_timeline_keeps_every_decision(school, make_member):
    p, _approval, _staff, _director = signed(school, make_member)
    assert list(PurchaseEvent.objects.filter(purchase=p).values_list("kind", flat=True)) == ["created", "submitted",
                                                                                             "approved"]
