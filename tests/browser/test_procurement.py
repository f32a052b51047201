"""Phone flow of procurement at 375 px: staff drafts and submits a request, the director approves it."""
from decimal import Decimal

import pytest
from django.test import Client

from logistics.roles import Role
from procurement.models import PurchaseRequest
from procurement.tests.factories import BudgetLineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def _phone_as(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}])
    return context, context.new_page()


def _no_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1


def test_staff_submits_and_director_approves_on_a_phone(live_server, browser, school, make_member, tmp_path):
    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    line = BudgetLineFactory(school=school, name="办公用品")
    context, page = _phone_as(browser, live_server, staff)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/procurement/new/")
    page.fill("input[name=title]", "粉笔")
    page.fill("textarea[name=reason]", "教学需要")
    page.select_option("select[name=budget_line]", str(line.pk))
    page.click("form button[type=submit]:has-text('保存草稿')")
    page.wait_for_url("**/procurement/*/")
    page.fill("input[name=name]", "无尘粉笔")
    page.fill("input[name=quantity]", "10")
    page.fill("input[name=unit]", "盒")
    page.fill("input[name=unit_price]", "8")
    page.click("button:has-text('添加')")
    page.wait_for_selector("text=无尘粉笔")
    page.click("button:has-text('提交审批')")
    page.wait_for_selector("text=已提交审批")
    _no_overflow(page)
    page.screenshot(path=str(tmp_path / "staff.png"), full_page=True)
    p = PurchaseRequest.objects.get(title="粉笔")
    assert p.status == "submitted" and p.total == Decimal("80")
    context.close()

    context, page = _phone_as(browser, live_server, director)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/procurement/{p.pk}/")
    page.locator("form[action$='/approve/'] textarea[name=note]").fill("同意")
    page.click("form[action$='/approve/'] button[type=submit]")
    page.wait_for_selector("text=已签署审批")
    _no_overflow(page)
    p.refresh_from_db()
    assert p.status == "approved"
    assert not errors, errors
    context.close()
