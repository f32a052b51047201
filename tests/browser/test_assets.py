"""Assets on a phone (375 px): a keeper opens an asset card reached by its QR code, marks it found in the
running stocktake with one tap, and issues store-room items; nothing overflows the screen."""
import pytest

from assets import services
from assets.tests.factories import AssetFactory, StoreItemFactory, category
from logistics.roles import Role
from logistics.tests.factories import RoomFactory, SchoolFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}


def test_keeper_phone_flow(live_server, browser, tmp_path):
    category()
    school = SchoolFactory(code="SY", name="示范实验学校")
    staff = member(Role.LOGISTICS_STAFF, school, username="keeper")
    room = RoomFactory(school=school, name="物理实验室")
    asset = AssetFactory(school=school, room=room, name="示波器")
    services.start_stocktake(school, name="期末清点", by=staff)
    item = StoreItemFactory(school=school, name="日光灯管", low_stock_threshold=0)
    services.receive_stock(item, quantity=10, by=staff)

    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "keeper")
    page.fill("input[name=password]", "pw-test-1234")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/assets/{asset.pk}/")  # what the QR code opens
    assert page.locator("img[alt]").first.is_visible()
    page.click("text=盘点：标记为在位")
    page.wait_for_selector("text=已标记为在位")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    page.screenshot(path=str(tmp_path / "asset-card.png"), full_page=True)

    page.goto(f"{live_server.url}/assets/store/{item.pk}/")
    page.fill("form[action$='/issue/'] input[name=quantity]", "3")
    page.click("form[action$='/issue/'] button[type=submit]")
    page.wait_for_selector("text=剩余 7")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1

    page.goto(f"{live_server.url}/assets/")
    assert page.locator("text=示波器").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    assert not errors, errors
    context.close()
