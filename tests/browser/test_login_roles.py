"""Each demo role logs in with Chromium and sees its home page, on a phone and a desktop."""
import pytest
from django.core.management import call_command

from logistics.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["teacher", "staff", "repairer", "director", "canteen", "accountant", "principal", "guard", "parent", "district"]
VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_each_role_logs_in_and_sees_its_home(demo, live_server, browser, viewport, tmp_path):
    for username in ROLES:
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_server.url}/")
        assert "/accounts/login/" in page.url
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator("[data-testid=home-cards]").is_visible()
        assert page.locator("[data-testid=role]").count() >= 1
        # nothing is wider than the screen
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{username} page overflows by {overflow}px on {viewport}"
        if username == "teacher":
            page.screenshot(path=str(tmp_path / f"{username}-{viewport}.png"), full_page=True)
        assert not errors, errors
        context.close()


def test_language_switch_in_the_browser(demo, live_server, page):
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "teacher")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("nav").inner_text().count("首页") or page.locator("text=首页").count()
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state()
    page.wait_for_selector("text=Hello")
    assert "Hello" in page.content()
