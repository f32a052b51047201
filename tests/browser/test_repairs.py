"""The repair flow on a 375 px phone: a teacher reports with a photo, staff take and dispatch,
the repairer completes, the teacher signs off."""
import io

import pytest
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
PASSWORD = "pw-test-1234"


def _login(browser, live_server, user):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page, errors


def _no_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1


def test_phone_flow_report_take_dispatch_complete_sign_off(live_server, browser, school, make_member, tmp_path):
    from logistics.tests.factories import RoomFactory
    from repairs.models import Repair

    teacher, staff, repairer = make_member("teacher"), make_member("logistics_staff"), make_member("repairer")
    room = RoomFactory(school=school, name="三年级1班")
    image = tmp_path / "fault.png"
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), "green").save(buf, "PNG")
    image.write_bytes(buf.getvalue())

    ctx, page, errors = _login(browser, live_server, teacher)
    page.goto(f"{live_server.url}/repairs/new/?room={room.pk}")
    assert page.locator("select[name=room]").input_value() == str(room.pk)
    page.fill("textarea[name=description]", "窗户玻璃裂了")
    page.select_option("select[name=urgency]", "urgent")
    page.set_input_files("input[name=photos]", str(image))
    _no_overflow(page)
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    page.click("form:has(textarea[name=description]) button[type=submit]")
    page.wait_for_selector("img.repair-thumb")
    repair = Repair.objects.get()
    assert repair.photos.count() == 1 and repair.urgency == "urgent"
    ctx.close()

    ctx, page, errors2 = _login(browser, live_server, staff)
    page.goto(f"{live_server.url}/repairs/?untaken=true")
    _no_overflow(page)
    page.screenshot(path="/tmp/repairs-inbox-phone.png", full_page=True)
    page.click(f"text={repair.number}")
    page.click("form[action$='/take/'] button")
    page.wait_for_selector("form[action$='/dispatch/']")
    page.select_option("form[action$='/dispatch/'] select[name=to]", str(repairer.pk))
    page.click("form[action$='/dispatch/'] button")
    page.wait_for_selector(".alert-success")
    _no_overflow(page)
    ctx.close()

    ctx, page, errors3 = _login(browser, live_server, repairer)
    page.goto(f"{live_server.url}{repair.get_absolute_url()}")
    page.fill("form[action$='/note/'] textarea[name=note]", "更换玻璃")
    page.click("form[action$='/note/'] button")
    page.wait_for_selector("text=更换玻璃")
    page.click("form[action$='/complete/'] button")
    page.wait_for_selector("form[action$='/complete/']", state="detached")
    ctx.close()

    ctx, page, errors4 = _login(browser, live_server, teacher)
    page.goto(f"{live_server.url}{repair.get_absolute_url()}")
    page.select_option("form[action$='/signoff/'] select[name=quality]", "4")
    page.fill("form[action$='/signoff/'] textarea[name=comment]", "很及时")
    page.click("form[action$='/signoff/'] button")
    page.wait_for_selector("form[action$='/signoff/']", state="detached")
    _no_overflow(page)
    page.screenshot(path="/tmp/repairs-ticket-phone.png", full_page=True)
    ctx.close()

    repair.refresh_from_db()
    assert (repair.status, repair.rating_quality, repair.owner, repair.assignee) == ("closed", 4, staff, repairer)
    assert not (errors + errors2 + errors3 + errors4)
