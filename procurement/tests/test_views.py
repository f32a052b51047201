from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

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


def _grown(school, staff, director, n_items):
    """A request through every step with ``n_items`` lines, quotes, approvals and events."""
    line = BudgetLineFactory(school=school, amount=Decimal("900000"))
    items = [{"name": f"物品{i}", "quantity": Decimal("1"), "unit": "个", "unit_price": Decimal("5")} for i in range(n_items)]
    p = services.create_purchase(school=school, by=staff, title="x", reason="y", budget_line=line, items=items)
    services.submit_purchase(p, by=staff)
    services.approve_purchase(p, by=director)
    return p


@pytest.mark.parametrize("role", [Role.LOGISTICS_DIRECTOR, Role.PRINCIPAL, Role.ACCOUNTANT])
def test_detail_query_count_is_fixed_whatever_the_number_of_lines(school, login_as, make_member, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    c = login_as(role)
    small, big = _grown(school, staff, director, 1), _grown(school, staff, director, 12)
    counts = []
    for p in (small, big):
        with CaptureQueriesContext(connection) as q:
            assert c.get(p.get_absolute_url()).status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1], counts


def test_receiving_form_query_count_is_fixed(school, login_as, make_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from logistics.tests.factories import RoomFactory

    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    c = login_as(Role.LOGISTICS_STAFF)
    counts = []
    for n in (1, 8):
        p = _grown(school, staff, director, n)
        services.order_purchase(p, by=staff)
        RoomFactory.create_batch(3, school=school)
        with CaptureQueriesContext(connection) as q:
            html = c.get(p.get_absolute_url()).content.decode()
        assert html.count('name="qty_') == n
        counts.append(len(q))
    assert counts[0] == counts[1], counts


def test_disclosure_list_query_count_is_fixed(school, login_as, make_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    acc = make_member(Role.ACCOUNTANT)
    counts = {}
    for role in (Role.ACCOUNTANT, Role.TEACHER, Role.PARENT):
        c = login_as(role)
        sizes = []
        for month in (1, 2, 3, 4, 5):
            d = services.generate_disclosure(school, year=2025, month=month, by=acc)
            services.publish_disclosure(d, by=acc)
            if month in (1, 5):
                with CaptureQueriesContext(connection) as q:
                    assert c.get(reverse("procurement:disclosure_list")).status_code == 200
                sizes.append(len(q))
        counts[role] = sizes
        assert sizes[0] == sizes[1], (role, sizes)


def test_failed_item_keeps_what_was_typed(school, login_as):
    staff = login_as(Role.LOGISTICS_STAFF)
    p = services.create_purchase(school=school, by=staff.user, title="x", reason="y", budget_line=BudgetLineFactory(school=school))
    r = staff.post(reverse("procurement:purchase_add_item", args=[p.pk]),
                   {"name": "投影幕布", "spec": "100寸", "quantity": "2", "unit": "块", "unit_price": "abc",
                    "kind": "fixed_asset", "asset_category_code": "A02020000"}, follow=True)
    html = r.content.decode()
    assert p.items.count() == 0
    assert 'value="投影幕布"' in html and 'value="100寸"' in html and 'value="A02020000"' in html
    assert [m.level_tag for m in r.context["messages"]] == ["error"]


def test_list_filters_by_month_and_awaiting(school, login_as, make_member):
    staff = make_member(Role.LOGISTICS_STAFF)
    director = login_as(Role.LOGISTICS_DIRECTOR)
    p = _grown(school, staff, make_member(Role.LOGISTICS_DIRECTOR), 1)
    q = services.create_purchase(school=school, by=staff, title="待批", reason="y", budget_line=BudgetLineFactory(school=school),
                                 items=[{"name": "x", "quantity": Decimal("1"), "unit": "个", "unit_price": Decimal("5")}])
    services.submit_purchase(q, by=staff)
    page = director.get(reverse("procurement:purchase_list") + "?awaiting=true").content.decode()
    assert f'href="/procurement/{q.pk}/"' in page and f'href="/procurement/{p.pk}/"' not in page
    month = timezone.localtime(p.submitted_at).strftime("%Y-%m")
    page = director.get(reverse("procurement:purchase_list") + f"?month={month}").content.decode()
    assert f'href="/procurement/{q.pk}/"' in page and f'href="/procurement/{p.pk}/"' in page
    r = director.get(reverse("procurement:purchase_list") + "?month=2026-13&title=%E7%81%AF")
    assert r.status_code == 200 and r.context["filter"].errors["month"]
    html = r.content.decode()
    assert 'value="2026-13"' in html and 'value="灯"' in html and "invalid-feedback" in html


def test_a_requester_without_the_view_role_sees_only_their_own_requests(school, login_as, make_member):
    """The canteen manager may request: they follow their own requests, not the school's."""
    canteen = login_as(Role.CANTEEN_MANAGER)
    line = BudgetLineFactory(school=school)
    mine = services.create_purchase(school=school, by=canteen.user, title="餐盘", reason="食堂", budget_line=line)
    theirs = services.create_purchase(school=school, by=make_member(Role.LOGISTICS_STAFF), title="粉笔", reason="教学",
                                      budget_line=line)
    assert canteen.get(mine.get_absolute_url()).status_code == 200
    assert canteen.get(theirs.get_absolute_url()).status_code == 403
    page = canteen.get(reverse("procurement:purchase_list")).content.decode()
    assert f'href="/procurement/{mine.pk}/"' in page and f'href="/procurement/{theirs.pk}/"' not in page
    assert canteen.get(reverse("procurement:budgetline_list")).status_code == 403
    assert login_as(Role.TEACHER).get(reverse("procurement:purchase_list")).status_code == 403


def test_the_cached_record_follows_every_write(school, login_as, make_member):
    """The detail page keeps the request's record in the cache keyed on updated_at: each write
    that changes it (quote, attachment, approval, receipt, goods, payment) shows on the next view."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = login_as(Role.LOGISTICS_STAFF)
    director, staff2 = make_member(Role.LOGISTICS_DIRECTOR), make_member(Role.LOGISTICS_STAFF)
    p = services.create_purchase(school=school, by=staff.user, title="灯管", reason="更换", budget_line=BudgetLineFactory(school=school),
                                 items=[{"name": "灯管", "quantity": Decimal("4"), "unit": "支", "unit_price": Decimal("20")}])

    def page():
        return staff.get(p.get_absolute_url()).content.decode()

    assert "供应商甲" not in page()
    services.add_quote(p, by=staff.user, supplier="供应商甲", amount=Decimal("80"))
    assert "供应商甲" in page()
    services.add_attachment(p, by=staff.user, kind="other", file=SimpleUploadedFile("q.pdf", b"%PDF-1.4\n"))
    assert "procurement/attachments/" in page()
    services.submit_purchase(p, by=staff.user)
    services.approve_purchase(p, by=director, note="同意更换")
    assert "同意更换" in page()
    services.order_purchase(p, by=staff.user)
    before = page()
    services.record_receipt(p, by=staff.user, quantities={p.items.get().pk: 3}, note="少到一支")
    after = page()
    assert "少到一支" in after and "少到一支" not in before
    services.countersign_receipt(p, by=staff2)
    assert "3 支" in page()


def test_the_requester_removes_a_line_from_a_draft_only(school, login_as, make_member):
    staff = login_as(Role.LOGISTICS_STAFF)
    p = services.create_purchase(school=school, by=staff.user, title="x", reason="y", budget_line=BudgetLineFactory(school=school),
                                 items=[{"name": "扫帚", "quantity": Decimal("2"), "unit": "把", "unit_price": Decimal("15")},
                                        {"name": "拖把", "quantity": Decimal("1"), "unit": "把", "unit_price": Decimal("20")}])
    broom, mop = p.items.order_by("pk")
    url = reverse("procurement:purchase_remove_item", args=[p.pk])
    other = login_as(Role.LOGISTICS_STAFF)
    other.post(url, {"item": broom.pk})  # not the requester
    assert p.items.count() == 2
    staff.post(url, {"item": broom.pk})
    p.refresh_from_db()
    assert list(p.items.values_list("name", flat=True)) == ["拖把"] and p.total == Decimal("20")
    r = staff.post(url, {"item": "999999"}, follow=True)
    assert [m.level_tag for m in r.context["messages"]][-1] == "error"
    services.submit_purchase(p, by=staff.user)
    staff.post(url, {"item": mop.pk})
    assert p.items.count() == 1
