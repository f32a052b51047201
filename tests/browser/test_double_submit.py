"""A guard on a 375 px phone registers a visitor, then the same page is sent again (a double tap, a
re-sent request): the second time nothing new is saved and the guard lands on the register with a
message in Chinese saying the form was already sent."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
PASSWORD = "pw-test-1234"


def test_sending_the_same_visitor_form_twice_registers_one_visitor(live_server, browser, make_member, tmp_path):
    from safety.models import Visitor

    guard = make_member("guard")
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", guard.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/safety/visitors/new/")
    token = page.locator("input[name=form_token]").input_value()
    assert token

    def fill_and_send():
        page.fill("input[name=name]", "张三")
        page.fill("input[name=id_last4]", "1234")
        page.fill("input[name=phone]", "13800000000")
        page.fill("input[name=visiting]", "刘主任")
        page.fill("input[name=purpose]", "送货")
        page.click("form:has(input[name=form_token]) button[type=submit]")
        page.wait_for_url(f"{live_server.url}/safety/visitors/")

    fill_and_send()
    assert Visitor.objects.filter(name="张三").count() == 1

    # The same page again, as a second tap or a re-sent request would bring it: same token.
    page.goto(f"{live_server.url}/safety/visitors/new/")
    page.evaluate("t => { document.querySelector('input[name=form_token]').value = t; }", token)
    fill_and_send()
    assert Visitor.objects.filter(name="张三").count() == 1
    assert page.locator(".alert", has_text="这张表单已经提交过了").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    page.screenshot(path=str(tmp_path / "already-sent.png"), full_page=True)
    page.screenshot(path="/tmp/access-already-sent-phone.png", full_page=True)
    assert not errors
    context.close()
