"""Canteen on a phone: a parent sees the published menu and accounts; the canteen manager records a sample."""
import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
PASSWORD = "pw-test-1234"


@pytest.fixture
def canteen_demo(transactional_db):
    from canteen import demo
    from logistics.tests.factories import SchoolFactory, member

    school = SchoolFactory(name="示范实验学校", code="SYB")
    roles = {"canteen": "canteen_manager", "director": "logistics_director", "staff": "logistics_staff", "accountant": "accountant", "parent": "parent"}
    users = {name: member(role, school, username=f"b-{name}") for name, role in roles.items()}
    demo.seed(school=school, users=users)
    return users


def _login(browser, live_server, username):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page, errors


def test_parent_sees_published_menu_and_accounts_on_a_phone(canteen_demo, live_server, browser, tmp_path):
    context, page, errors = _login(browser, live_server, "b-parent")
    page.goto(f"{live_server.url}/canteen/")
    body = page.locator("main, body").first.inner_text()
    assert "米饭" in body  # dishes of the published weeks
    assert "本周" in body and "每月伙食盈亏" in body
    assert page.locator("canvas[data-chart=canteen-chart]").is_visible()
    page.wait_for_function("document.querySelector('canvas[data-chart]').dataset.drawn === '1'")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, overflow
    page.screenshot(path=str(tmp_path / "parent.png"), full_page=True)
    assert not errors, errors
    context.close()


def test_canteen_manager_records_a_sample_on_a_phone(canteen_demo, live_server, browser, tmp_path):
    context, page, errors = _login(browser, live_server, "b-canteen")
    page.goto(f"{live_server.url}/canteen/samples/new/")
    page.fill("input[name=day]", timezone.localdate().isoformat())
    page.select_option("select[name=meal]", "dinner")
    page.select_option("select[name=dish]", label="冬瓜汤")
    page.fill("input[name=weight_g]", "120")
    page.fill("input[name=fridge_temp_c]", "4")
    page.click(".card-body button[type=submit]")
    assert page.locator("text=留样重量不得少于 125 克").is_visible()
    assert page.input_value("input[name=weight_g]") == "120"
    page.fill("input[name=weight_g]", "150")
    page.click(".card-body button[type=submit]")
    page.wait_for_url(f"{live_server.url}/canteen/samples/")
    assert page.locator("text=留样已登记").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, overflow
    page.screenshot(path=str(tmp_path / "samples.png"), full_page=True)
    page.goto(f"{live_server.url}/canteen/menus/")
    page.locator("table a").first.click()
    assert page.locator("text=WS/T 554-2017").is_visible()
    page.screenshot(path=str(tmp_path / "menu.png"), full_page=True)
    assert not errors, errors
    context.close()


def _login_as(browser, live_server, username, *, viewport=PHONE, lang="zh-hans"):
    context = browser.new_context(viewport=viewport)
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page, errors


def _no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, overflow


def test_parent_page_in_english_on_a_desktop(canteen_demo, live_server, browser, tmp_path):
    context, page, errors = _login_as(browser, live_server, "b-parent", viewport={"width": 1280, "height": 900}, lang="en")
    page.goto(f"{live_server.url}/canteen/")
    body = page.locator("main, body").first.inner_text()
    for text in ("School meals", "This week", "Next week", "Monthly canteen accounts", "Finance disclosures", "Weekly feedback summary", "Breakfast"):
        assert text in body, text
    assert "早餐" not in body and "本周" not in body  # nothing left in Chinese but the dishes' names
    page.wait_for_function("document.querySelector('canvas[data-chart]').dataset.drawn === '1'")
    _no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / "parent-en.png"), full_page=True)
    assert not errors, errors
    context.close()


def test_staff_sign_a_delivery_from_their_home_on_a_phone(canteen_demo, live_server, browser, tmp_path):
    context, page, errors = _login_as(browser, live_server, "b-staff")
    card = page.locator(".card", has_text="待复核签字的验收")
    assert card.is_visible()
    card.locator("a", has_text="签字").first.click()
    assert page.locator("text=待第二人签字").first.is_visible()
    _no_sideways_scroll(page)
    page.click("button:has-text('签字验收')")
    assert page.locator(".alert-danger, .alert-error", has_text="合格证明").first.is_visible()  # refused: no certificate yet
    page.click("a:has-text('更正或上传合格证明')")
    page.set_input_files("input[name=certificate]", files=[{"name": "合格证.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 test"}])
    _no_sideways_scroll(page)
    page.click(".card-body button[type=submit]")
    assert page.locator(".alert-success", has_text="已更正").first.is_visible()
    page.click("button:has-text('签字验收')")
    assert page.locator(".alert-success", has_text="验收合格").first.is_visible()
    assert page.locator(".badge", has_text="验收合格").first.is_visible()
    page.screenshot(path=str(tmp_path / "signed.png"), full_page=True)
    assert not errors, errors
    context.close()


def test_director_approves_next_week_and_parents_see_it_once_published(canteen_demo, live_server, browser, tmp_path):
    from canteen.models import WeekMenu

    draft = WeekMenu.objects.get(status="draft")
    context, page, errors = _login_as(browser, live_server, "b-director")
    page.goto(f"{live_server.url}/canteen/menus/{draft.pk}/")
    page.click("button:has-text('审核通过'), button:has-text('批准')")
    assert page.locator(".badge", has_text="已").first.is_visible()
    assert page.locator("text=之后修改菜品不会改变本周食谱").is_visible()  # frozen as approved
    _no_sideways_scroll(page)
    page.click("button:has-text('向家长公布')")
    page.screenshot(path=str(tmp_path / "published.png"), full_page=True)
    assert not errors, errors
    context.close()
    context, page, errors = _login_as(browser, live_server, "b-parent")
    page.goto(f"{live_server.url}/canteen/")
    assert "本周食谱尚未公布" not in page.locator("main, body").first.inner_text()
    _no_sideways_scroll(page)
    assert not errors, errors
    context.close()
