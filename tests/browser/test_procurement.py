"""Procurement in a real browser, every role, in Chinese and English, on a 375 px phone and a desktop:
staff drafts a request for assets and submits it, the director approves, staff orders and two people
receive it (assets appear numbered in the room, consumables in the store room), the accountant
reimburses with the invoice, generates and publishes the month's disclosure; the principal's and the
district's dashboard; teachers and parents read the published report. Nothing overflows the screen
and no script fails. Screenshots go to $PROCUREMENT_SHOTS (or the test's tmp dir)."""
import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from assets.models import Asset, StoreItem
from assets.tests.factories import category
from logistics.roles import Role
from logistics.tests.factories import MembershipFactory, RoomFactory, UserFactory
from procurement import services
from procurement.models import Disclosure, PurchaseRequest
from procurement.tests.factories import BudgetLineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
PDF = b"%PDF-1.4\n%invoice\n"


@pytest.fixture
def shots(tmp_path):
    path = Path(os.environ.get("PROCUREMENT_SHOTS") or tmp_path)
    path.mkdir(parents=True, exist_ok=True)
    return path


class Screen:
    """One signed-in browser context: a phone or a desktop, in Chinese or English."""

    def __init__(self, browser, live_server, user, *, viewport, lang, shots):
        client = Client()
        client.force_login(user)
        self.context = browser.new_context(viewport=viewport, locale="zh-CN" if lang == "zh-hans" else "en-US")
        host = live_server.url.split("//", 1)[1].split(":")[0]
        self.context.add_cookies([
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"},
            {"name": "django_language", "value": lang, "domain": host, "path": "/"},
        ])
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.base, self.shots, self.lang = live_server.url, shots, lang

    def go(self, path):
        self.page.goto(self.base + path)
        return self.page

    def check(self, name):
        """No horizontal overflow, no script error; keep a screenshot."""
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name}: {overflow}px wider than the screen"
        assert not self.errors, self.errors
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)

    def close(self):
        self.context.close()


def s_url(screen_, link):
    """The absolute URL a link points to (fetched with the page's cookies)."""
    return screen_.base + link.get_attribute("href")


@pytest.fixture
def screen(browser, live_server, shots):
    opened = []

    def open_(user, *, phone=True, lang="zh-hans"):
        s = Screen(browser, live_server, user, viewport=PHONE if phone else DESKTOP, lang=lang, shots=shots)
        opened.append(s)
        return s

    yield open_
    for s in opened:
        s.close()


def test_request_to_goods_in_the_register_on_a_phone(screen, school, make_member):
    category()
    staff, staff2 = make_member(Role.LOGISTICS_STAFF, full_name="张干事"), make_member(Role.LOGISTICS_STAFF, full_name="刘干事")
    director = make_member(Role.LOGISTICS_DIRECTOR, full_name="王主任")
    room = RoomFactory(school=school, name="物理实验室")
    line = BudgetLineFactory(school=school, name="教学设备", year=dt.date.today().year)

    s = screen(staff)
    page = s.go("/procurement/new/")
    page.fill("input[name=title]", "实验室示波器")
    page.fill("textarea[name=reason]", "物理分组实验")
    page.select_option("select[name=budget_line]", str(line.pk))
    page.click("form button[type=submit]:has-text('保存草稿')")
    page.wait_for_selector("text=草稿已保存")
    page.fill("input[name=name]", "示波器")
    page.fill("input[name=quantity]", "2")
    page.fill("input[name=unit]", "台")
    page.fill("input[name=unit_price]", "450")
    page.select_option("select[name=kind]", "fixed_asset")
    page.fill("input[name=asset_category_code]", "A02010105")
    page.select_option("select[name=room]", str(room.pk))
    page.click("button:has-text('添加')")
    page.wait_for_selector("text=示波器")
    page.fill("input[name=name]", "无尘粉笔")
    page.fill("input[name=quantity]", "20")
    page.fill("input[name=unit]", "盒")
    page.fill("input[name=unit_price]", "4")
    page.click("button:has-text('添加')")
    page.wait_for_selector("text=无尘粉笔")
    page.click("button:has-text('提交审批')")
    page.wait_for_selector("text=已提交审批")
    s.check("1-staff-submitted-phone-zh")
    p = PurchaseRequest.objects.get(title="实验室示波器")
    assert p.status == "submitted" and p.total == Decimal("980")

    d = screen(director)
    page = d.go(f"/procurement/{p.pk}/")
    page.locator("form[action$='/approve/'] textarea[name=note]").fill("同意")
    page.click("form[action$='/approve/'] button[type=submit]")
    page.wait_for_selector("text=已签署审批")
    d.check("2-director-approved-phone-zh")

    page = s.go(f"/procurement/{p.pk}/")
    page.click("form[action$='/order/'] button[type=submit]")
    page.wait_for_selector("form[action$='/receive/']")
    # The consumable line's asset fields are hidden; the asset line shows category and room.
    pc, chalk = p.items.order_by("pk")
    page.wait_for_selector(f"#room_{chalk.pk}", state="hidden")
    assert page.locator(f"#room_{pc.pk}").is_visible() and not page.locator(f"#room_{chalk.pk}").is_visible()
    assert page.locator(f"#store_{chalk.pk}").is_visible()
    page.fill(f"#qty_{chalk.pk}", "18")
    s.check("3-staff-receiving-form-phone-zh")
    page.click("form[action$='/receive/'] button[type=submit]")
    page.wait_for_selector("text=须由第二人复核签字")

    s2 = screen(staff2, lang="en")
    page = s2.go(f"/procurement/{p.pk}/")
    page.click("form[action$='/countersign/'] button[type=submit]")
    page.wait_for_selector("text=Receiving countersigned")
    numbers = list(Asset.objects.filter(room=room).order_by("number").values_list("number", flat=True))
    assert len(numbers) == 2
    for n in numbers:
        assert page.locator(f"a:has-text('{n}')").count() == 1
    assert StoreItem.objects.get(school=school, name="无尘粉笔").stock == Decimal("18")
    s2.check("4-second-signer-received-phone-en")


def test_accountant_reimburses_and_publishes_then_teachers_and_parents_read(screen, school, make_member, tmp_path):
    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR, full_name="王主任")
    acc_user = make_member(Role.ACCOUNTANT, full_name="赵会计")
    p = services.create_purchase(school=school, by=staff, title="拖把", reason="保洁", budget_line=BudgetLineFactory(school=school),
                                 items=[{"name": "拖把", "quantity": Decimal("10"), "unit": "把", "unit_price": Decimal("18"),
                                         "kind": "service"}])
    services.submit_purchase(p, by=staff)
    services.approve_purchase(p, by=director)
    services.order_purchase(p, by=staff)
    services.record_receipt(p, by=staff, quantities={p.items.get().pk: 10})
    services.countersign_receipt(p, by=director)

    acc = screen(acc_user, phone=False, lang="en")
    page = acc.go(f"/procurement/{p.pk}/")
    invoice = tmp_path / "invoice.pdf"
    invoice.write_bytes(PDF)
    form = page.locator("form[action$='/reimburse/']")
    form.locator("input[name=invoice_number]").fill("No.0441")
    form.locator("input[name=invoice_amount]").fill("180")
    last_month = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    form.locator("input[name=paid_on]").fill(last_month.isoformat())
    form.locator("input[name=invoice_file]").set_input_files(str(invoice))
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Marked as paid")
    acc.check("5-accountant-reimbursed-desktop-en")
    p.refresh_from_db()
    assert p.status == "reimbursed" and p.invoice_file

    page = acc.go("/procurement/disclosures/")
    page.click("summary")
    page.fill("input[name=year]", str(last_month.year))
    page.fill("input[name=month]", str(last_month.month))
    page.click("form[action$='/generate/'] button[type=submit]")
    page.wait_for_selector("text=is being generated")
    page = acc.go("/procurement/disclosures/")
    page.click("button:has-text('Publish')")
    page.wait_for_selector("text=Report published")
    acc.check("6-accountant-published-desktop-en")
    d = Disclosure.objects.get(school=school)
    assert d.published_at is not None and d.totals["purchases"] == "180.00"

    teacher = screen(make_member(Role.TEACHER))
    page = teacher.go("/procurement/disclosures/")
    link = page.locator(f"a[href$='/disclosures/{d.pk}/pdf/']")
    assert page.request.get(s_url(teacher, link)).body() == d.file.open("rb").read()
    teacher.check("7-teacher-disclosures-phone-zh")

    parent = screen(make_member(Role.PARENT), lang="en")
    page = parent.go("/procurement/disclosures/")
    assert page.locator("text=Canteen finance disclosure").count() >= 1
    link = page.locator(f"a[href$='/disclosures/{d.pk}/pdf/']")
    assert page.request.get(s_url(parent, link)).body() == d.parent_file.open("rb").read()
    parent.check("8-parent-disclosures-phone-en")


@pytest.mark.parametrize(("phone", "lang"), [(True, "zh-hans"), (False, "en")])
def test_dashboards_budget_and_policy_for_the_leadership(screen, school, make_member, phone, lang):
    staff = make_member(Role.LOGISTICS_STAFF)
    principal = make_member(Role.PRINCIPAL, full_name="李校长")
    line = BudgetLineFactory(school=school, name="教学设备购置", year=dt.date.today().year, amount=Decimal("300000"))
    BudgetLineFactory(school=school, name="办公用品", year=dt.date.today().year, amount=Decimal("30000"))
    p = services.create_purchase(school=school, by=staff, title="投影机", reason="多媒体教室", budget_line=line,
                                 items=[{"name": "投影机", "quantity": Decimal("4"), "unit": "台", "unit_price": Decimal("4200")}])
    for i, (supplier, amount) in enumerate((("华信科技", "16800"), ("博远电子", "17600"), ("明达办公", "18200"))):
        services.add_quote(p, by=staff, supplier=supplier, amount=Decimal(amount), chosen=i == 0)
    services.submit_purchase(p, by=staff)
    services.approve_purchase(p, by=make_member(Role.LOGISTICS_DIRECTOR))

    tag = f"{'phone' if phone else 'desktop'}-{'zh' if lang == 'zh-hans' else 'en'}"
    s = screen(principal, phone=phone, lang=lang)
    page = s.go("/procurement/dashboard/")
    page.wait_for_selector("canvas[data-chart]")
    assert page.locator("#dash-waiting").inner_text() == "1"
    s.check(f"9-principal-dashboard-{tag}")
    page.click("#dash-waiting")
    page.wait_for_url("**/procurement/?awaiting=true")
    assert page.locator(f"a[href='/procurement/{p.pk}/']").count() == 1
    s.check(f"10-principal-waiting-list-{tag}")
    page = s.go(f"/procurement/{p.pk}/")
    assert page.locator("form[action$='/approve/']").count() == 1
    s.check(f"11-principal-detail-{tag}")
    page = s.go("/procurement/budget/")
    s.check(f"12-budget-{tag}")
    page.click("a[href='/procurement/policy/']")
    page.fill("input[name=collective_threshold]", "500")
    page.click("form[novalidate] button[type=submit]")
    page.wait_for_selector(".invalid-feedback, .alert-danger, .errorlist")
    assert page.locator("input[name=collective_threshold]").input_value() == "500"  # kept as typed
    s.check(f"13-policy-error-{tag}")

    officer = UserFactory(full_name="区教育局督导")
    MembershipFactory(user=officer, school=None, district=school.district, role=Role.DISTRICT_OFFICER)
    o = screen(officer, phone=phone, lang=lang)
    page = o.go("/procurement/dashboard/")
    assert page.locator("#dash-waiting").count() == 1
    assert page.locator("form[action$='/approve/']").count() == 0
    o.check(f"14-district-dashboard-{tag}")


def test_canteen_manager_drafts_in_english_on_a_phone(screen, school, make_member):
    category()
    line = BudgetLineFactory(school=school, name="食堂设备", code="ST01")
    s = screen(make_member(Role.CANTEEN_MANAGER), lang="en")
    page = s.go("/procurement/new/")
    page.fill("input[name=title]", "Stainless trays")
    page.fill("textarea[name=reason]", "Replace worn trays")
    page.select_option("select[name=budget_line]", str(line.pk))
    page.click("form button[type=submit]:has-text('Save draft')")
    page.wait_for_selector("text=Draft saved")
    page.fill("input[name=name]", "Dish warmer")
    page.fill("input[name=quantity]", "1")
    page.fill("input[name=unit]", "pc")
    page.fill("input[name=unit_price]", "900")
    page.select_option("select[name=kind]", "fixed_asset")
    page.fill("input[name=asset_category_code]", "NOPE")  # not in the category table: the server says so
    page.click("button:has-text('Add item')")
    page.wait_for_selector("text=Unknown category code")
    assert page.locator("input[name=name]").input_value() == "Dish warmer"
    assert page.locator("input[name=asset_category_code]").input_value() == "NOPE"
    s.check("15-canteen-item-error-phone-en")
    page.fill("input[name=asset_category_code]", "A02061804")
    page.click("button:has-text('Add item')")
    page.wait_for_selector("text=Item added")
    s.check("16-canteen-item-added-phone-en")
