"""Assets in the browser: a keeper on a phone (375 px, Chinese) opens an asset card by its QR code, marks
it found in the running stocktake with one tap, marks another line missing, lends a key through its
page (a bad date is refused and what was typed stays), issues store-room items; the director on a
desktop (English) approves a write-off and sees the card refuse edits; nothing overflows the screen."""
import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from assets import services
from assets.choices import AssetStatus, LineResult
from assets.models import Asset, Loan
from assets.tests.factories import AssetFactory, StoreItemFactory, category
from logistics.roles import Role
from logistics.tests.factories import RoomFactory, SchoolFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = os.environ.get("SCREENSHOT_DIR")


def _shot(page, tmp_path, name):
    page.screenshot(path=str(Path(SHOTS or tmp_path) / f"assets-{name}.png"), full_page=True)


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1, page.url


def _login(browser, live_server, username, viewport, locale):
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-test-1234")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page, errors


def test_keeper_phone_flow(live_server, browser, tmp_path):
    category()
    key_category = category("KEY")
    school = SchoolFactory(code="SY", name="示范实验学校")
    staff = member(Role.LOGISTICS_STAFF, school, username="keeper", full_name="李干事")
    teacher = member(Role.TEACHER, school, username="wang", full_name="王老师")
    room = RoomFactory(school=school, name="物理实验室", custodian=staff)
    asset = AssetFactory(school=school, room=room, name="示波器", custodian=staff)
    lost = AssetFactory(school=school, room=room, name="电子天平")
    key = AssetFactory(school=school, room=room, name="物理实验室钥匙", category=key_category)
    services.start_stocktake(school, name="期末清点", by=staff)
    item = StoreItemFactory(school=school, name="日光灯管", low_stock_threshold=0)
    services.receive_stock(item, quantity=10, by=staff)

    context, page, errors = _login(browser, live_server, "keeper", PHONE, "zh-CN")
    page.goto(f"{live_server.url}/assets/{asset.pk}/")  # what the QR code opens
    assert page.locator("img[alt]").first.is_visible()
    page.click("text=盘点：标记为在位")
    page.wait_for_selector("text=已标记为在位")
    _fits(page)
    _shot(page, tmp_path, "card-phone-zh")

    page.goto(f"{live_server.url}/assets/stocktakes/")
    page.click("text=期末清点")
    page.click("a:has-text(\"未清点\")")  # only the lines still waiting
    row = page.locator("tr", has_text="电子天平")
    row.locator("button", has_text="盘亏").click()
    page.wait_for_selector("text=电子天平")
    _fits(page)
    _shot(page, tmp_path, "stocktake-phone-zh")

    page.goto(f"{live_server.url}/assets/{key.pk}/")
    page.click("a:has-text('借出')")
    page.select_option("select[name=borrower]", str(teacher.pk))
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    page.fill("input[name=due_date]", yesterday)
    page.fill("input[name=note]", "周五实验课用")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=应还日期已过")
    assert page.input_value("input[name=note]") == "周五实验课用"  # nothing typed is lost
    page.fill("input[name=due_date]", (timezone.localdate() + datetime.timedelta(days=2)).isoformat())
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=王老师")
    _fits(page)

    page.goto(f"{live_server.url}/assets/store/{item.pk}/")
    page.fill("form[action$='/issue/'] input[name=quantity]", "30")
    page.click("form[action$='/issue/'] button[type=submit]")
    page.wait_for_selector("text=库存不足")
    assert page.input_value("form[action$='/issue/'] input[name=quantity]") == "30"  # kept for correction
    page.fill("form[action$='/issue/'] input[name=quantity]", "3")
    page.click("form[action$='/issue/'] button[type=submit]")
    page.wait_for_selector("text=剩余 7")
    _fits(page)
    _shot(page, tmp_path, "store-phone-zh")

    page.goto(f"{live_server.url}/assets/")
    assert page.locator("text=示波器").count() >= 1
    _fits(page)
    _shot(page, tmp_path, "register-phone-zh")
    page.goto(f"{live_server.url}/assets/holdings/")
    _fits(page)
    _shot(page, tmp_path, "holdings-phone-zh")
    assert not errors, errors
    context.close()
    assert Loan.objects.get(asset=key).borrower == teacher
    st_line = lost.stocktake_lines.get()
    assert st_line.result == LineResult.MISSING


def test_director_desktop_english_write_off(live_server, browser, tmp_path):
    category()
    school = SchoolFactory(code="SY", name="示范实验学校")
    staff = member(Role.LOGISTICS_STAFF, school, username="keeper")
    member(Role.LOGISTICS_DIRECTOR, school, username="liu", full_name="刘主任", language="en")
    asset = AssetFactory(school=school, name="旧钢琴")
    AssetFactory.create_batch(60, school=school)
    services.request_writeoff(asset, reason="音板开裂，无法维修", by=staff)

    context, page, errors = _login(browser, live_server, "liu", DESKTOP, "en-US")
    page.goto(f"{live_server.url}/assets/write-offs/")
    page.click("form[action$='/approve/'] button[type=submit]")
    page.wait_for_selector("text=Approved: the asset is written off.")
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.WRITTEN_OFF
    page.goto(f"{live_server.url}/assets/{asset.pk}/")
    assert page.locator("text=Written off: the card is kept as it was").is_visible()
    assert page.locator("a:has-text('Edit')").count() == 0
    page.goto(f"{live_server.url}/assets/{asset.pk}/edit/")  # typed by hand: refused
    page.wait_for_selector("text=cannot be edited")
    # the card's history is folded: opening it fetches who changed what
    page.goto(f"{live_server.url}/assets/{asset.pk}/")
    page.locator("[data-testid=history] > summary").click()
    page.wait_for_selector("[data-testid=history-rows] >> text=刘主任")
    _shot(page, tmp_path, "card-desktop-en")
    page.goto(f"{live_server.url}/assets/")
    assert page.locator("h1", has_text="Property register").is_visible()
    page.click("text=Next")
    page.wait_for_url("**page=2")
    _fits(page)
    _shot(page, tmp_path, "register-desktop-en")
    # opening "Filter" fetches the form (htmx); filtering by status narrows the register
    page.goto(f"{live_server.url}/assets/")
    page.locator("details:has(.filter-slot) > summary").click()
    page.wait_for_selector(".filter-slot select[name=status]")
    page.select_option(".filter-slot select[name=status]", AssetStatus.WRITTEN_OFF)
    page.click(".filter-slot button[type=submit]")
    page.wait_for_url("**status=written_off**")
    assert page.locator(".filter-slot select[name=status]").input_value() == AssetStatus.WRITTEN_OFF
    assert page.locator("tbody tr").count() == 1 and page.locator("tbody", has_text="旧钢琴").is_visible()

    from assets.tests.test_import import BAD, GOOD, messy_workbook

    workbook = tmp_path / "register.xlsx"
    workbook.write_bytes(messy_workbook(GOOD + BAD))
    page.goto(f"{live_server.url}/assets/import/")
    page.set_input_files("input[name=file]", str(workbook))
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Rows that will not be imported")
    assert page.locator(".alert-warning li").count() == len(BAD)  # every bad row, with its number and reason
    _shot(page, tmp_path, "import-preview-desktop-en")
    page.click("text=Import all 3 good rows")
    page.wait_for_selector("text=Imported 3 assets.")
    assert not errors, errors
    context.close()
