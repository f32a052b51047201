from decimal import Decimal

import pytest
from django.urls import reverse

from logistics.roles import Role
from procurement import services
from procurement.choices import PurchaseStatus
from procurement.tests.factories import BudgetLineFactory, PurchaseItemFactory, PurchaseRequestFactory

pytestmark = pytest.mark.django_db


def test_list_query_count_is_fixed(school, login_as, django_assert_num_queries):
    c = login_as(Role.LOGISTICS_DIRECTOR)
    line = BudgetLineFactory(school=school)
    PurchaseRequestFactory.create_batch(2, school=school, budget_line=line)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert c.get(reverse("procurement:purchase_list")).status_code == 200
    PurchaseRequestFactory.create_batch(20, school=school, budget_line=line)
    with django_assert_num_queries(len(small)):
        c.get(reverse("procurement:purchase_list"))


def test_budget_list_shows_remaining_with_fixed_queries(school, login_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login_as(Role.ACCOUNTANT)
    line = BudgetLineFactory(school=school, amount=Decimal("1000"), name="教学用品")
    p = PurchaseRequestFactory(school=school, budget_line=line, status=PurchaseStatus.APPROVED, total=Decimal("300"))
    assert p.pk
    with CaptureQueriesContext(connection) as small:
        r = c.get(reverse("procurement:budgetline_list"))
    assert "¥700.00" in r.content.decode() or "700.00" in r.content.decode()
    BudgetLineFactory.create_batch(10, school=school)
    with CaptureQueriesContext(connection) as big:
        c.get(reverse("procurement:budgetline_list"))
    assert len(small) == len(big)


def test_other_school_is_404_wrong_role_is_403(school, other_school, login_as):
    theirs = PurchaseRequestFactory(school=other_school)
    c = login_as(Role.LOGISTICS_DIRECTOR)
    assert c.get(reverse("procurement:purchase_detail", args=[theirs.pk])).status_code == 404
    assert c.post(reverse("procurement:purchase_approve", args=[theirs.pk])).status_code == 404
    teacher = login_as(Role.TEACHER)
    assert teacher.get(reverse("procurement:purchase_list")).status_code == 403
    mine = PurchaseRequestFactory(school=school)
    assert teacher.get(reverse("procurement:purchase_detail", args=[mine.pk])).status_code == 403
    assert login_as(Role.LOGISTICS_DIRECTOR).get(reverse("procurement:purchase_create")).status_code == 200
    assert login_as(Role.PRINCIPAL).get(reverse("procurement:purchase_create")).status_code == 403


def test_staff_drafts_submits_and_director_approves_through_views(school, login_as):
    staff = login_as(Role.LOGISTICS_STAFF)
    line = BudgetLineFactory(school=school)
    r = staff.post(reverse("procurement:purchase_create"), {"title": "扫帚", "reason": "清洁", "budget_line": line.pk})
    assert r.status_code == 302
    from procurement.models import PurchaseRequest

    p = PurchaseRequest.objects.get(title="扫帚")
    staff.post(reverse("procurement:purchase_add_item", args=[p.pk]),
               {"name": "扫帚", "quantity": "5", "unit": "把", "unit_price": "15", "kind": "consumable"})
    staff.post(reverse("procurement:purchase_submit", args=[p.pk]))
    p.refresh_from_db()
    assert p.status == PurchaseStatus.SUBMITTED and p.total == Decimal("75")
    director = login_as(Role.LOGISTICS_DIRECTOR)
    page = director.get(p.get_absolute_url()).content.decode()
    assert reverse("procurement:purchase_approve", args=[p.pk]) in page
    director.post(reverse("procurement:purchase_approve", args=[p.pk]), {"note": "同意"})
    p.refresh_from_db()
    assert p.status == PurchaseStatus.APPROVED


def test_bad_item_input_gives_error_and_keeps_status(school, login_as):
    staff = login_as(Role.LOGISTICS_STAFF)
    line = BudgetLineFactory(school=school)
    p = services.create_purchase(school=school, by=staff.user, title="x", reason="y", budget_line=line)
    r = staff.post(reverse("procurement:purchase_add_item", args=[p.pk]),
                   {"name": "扫帚", "quantity": "-1", "unit": "把", "unit_price": "15", "kind": "consumable"}, follow=True)
    assert r.status_code == 200
    assert p.items.count() == 0
    assert list(r.context["messages"])


def test_detail_shows_timeline_and_history(school, login_as):
    p = PurchaseItemFactory(purchase__school=school).purchase
    c = login_as(Role.PRINCIPAL)
    r = c.get(p.get_absolute_url())
    assert r.status_code == 200


def test_receiving_through_views_needs_two_people(school, login_as, make_member):
    staff = login_as(Role.LOGISTICS_STAFF)
    line = BudgetLineFactory(school=school)
    p = services.create_purchase(school=school, by=make_member(Role.CANTEEN_MANAGER), title="碗", reason="食堂",
                                 budget_line=line,
                                 items=[{"name": "碗", "quantity": Decimal("10"), "unit": "个", "unit_price": Decimal("5")}])
    services.submit_purchase(p, by=p.requester)
    services.approve_purchase(p, by=make_member(Role.LOGISTICS_DIRECTOR))
    services.order_purchase(p, by=staff.user)
    item = p.items.get()
    r = staff.post(reverse("procurement:purchase_receive", args=[p.pk]), {f"qty_{item.pk}": "abc"}, follow=True)
    assert not p.items.filter(received_quantity__gt=0).exists()
    assert list(r.context["messages"])
    staff.post(reverse("procurement:purchase_receive", args=[p.pk]), {f"qty_{item.pk}": "8"})
    staff.post(reverse("procurement:purchase_countersign", args=[p.pk]))
    p.refresh_from_db()
    assert p.status == PurchaseStatus.ORDERED
    login_as(Role.LOGISTICS_STAFF).post(reverse("procurement:purchase_countersign", args=[p.pk]))
    p.refresh_from_db()
    item.refresh_from_db()
    assert p.status == PurchaseStatus.RECEIVED and item.received_quantity == Decimal("8")


def test_dashboard_counts_link_to_lists_and_role_checks(school, login_as, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    line = BudgetLineFactory(school=school)
    p = services.create_purchase(school=school, by=staff, title="桌椅", reason="新班", budget_line=line,
                                 items=[{"name": "桌", "quantity": Decimal("10"), "unit": "张", "unit_price": Decimal("200")}])
    for i, a in enumerate(("2000", "2100", "2200")):
        services.add_quote(p, by=staff, supplier=f"S{i}", amount=Decimal(a), chosen=i == 0)
    services.submit_purchase(p, by=staff)
    principal = login_as(Role.PRINCIPAL)
    r = principal.get(reverse("procurement:dashboard"))
    assert r.status_code == 200
    assert r.context["waiting"] == 0  # the director signs first
    services.approve_purchase(p, by=make_member(Role.LOGISTICS_DIRECTOR))
    r = principal.get(reverse("procurement:dashboard"))
    html = r.content.decode()
    assert r.context["waiting"] == 1 and r.context["spent_month"] == Decimal("2000")
    assert reverse("procurement:purchase_list") + "?status=submitted" in html
    assert 'data-chart="budget-chart"' in html and 'id="budget-chart"' in html
    assert "<script>" not in html.replace('<script src=', '')
    assert login_as(Role.TEACHER).get(reverse("procurement:dashboard")).status_code == 403


def test_attachment_upload_checks_content(school, login_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = login_as(Role.LOGISTICS_STAFF)
    p = services.create_purchase(school=school, by=staff.user, title="x", reason="y", budget_line=BudgetLineFactory(school=school))
    url = reverse("procurement:purchase_attach", args=[p.pk])
    staff.post(url, {"kind": "minutes", "file": SimpleUploadedFile("m.pdf", b"hello", content_type="application/pdf")})
    assert p.attachments.count() == 0
    staff.post(url, {"kind": "minutes", "file": SimpleUploadedFile("m.pdf", b"%PDF-1.4\n", content_type="application/pdf")})
    assert p.attachments.get().content_type == "application/pdf"
    staff.post(reverse("procurement:purchase_notes", args=[p.pk]), {"quote_justification": "售后", "tender_record": "招标"})
    p.refresh_from_db()
    assert p.tender_record == "招标"
    other = login_as(Role.LOGISTICS_STAFF)
    other.post(reverse("procurement:purchase_notes", args=[p.pk]), {"quote_justification": "改", "tender_record": ""})
    p.refresh_from_db()
    assert p.tender_record == "招标"
