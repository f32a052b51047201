"""Each demo role logs in with Chromium and sees its home page, on a phone and a desktop."""
import pytest
from django.core.management import call_command

from logistics.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each demo user and the card (by its English msgid) that says its home page is its own.
ROLES = {
    "teacher": "My repair requests",
    "staff": "Repair inbox: not taken",
    "repairer": "Jobs assigned to me",
    "director": "Repairs overdue or escalated",
    "canteen": "Canteen today",
    "accountant": "To reimburse and publish",
    "principal": "Purchases waiting for my approval",
    "guard": ("safety", "My inspections today"),  # (translation context, msgid)
    "parent": "Today's meals",
    "district": "Schools of the district",
}


def title(entry, language: str) -> str:
    from django.utils import translation

    context, msgid = entry if isinstance(entry, tuple) else (None, entry)
    with translation.override(language):
        return translation.pgettext(context, msgid) if context else translation.gettext(msgid)
VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_each_role_logs_in_and_sees_its_home(demo, live_server, browser, viewport, language, tmp_path):
    # Chinese (the default) for every role; English for the roles with the most navigation.
    for username in ROLES if language == "zh-hans" else ["director", "principal", "district"]:
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
        if language != "zh-hans":  # as after choosing English with the switcher
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
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
        own = title(ROLES[username], language)
        assert language == "en" or own != title(ROLES[username], "en"), f"no translation for {ROLES[username]!r}"
        assert page.locator(".card-header", has_text=own).first.is_visible(), f"{username} does not see “{own}”"
        # the bell and the account menu are on screen (not pushed out by the navigation)
        for testid in ("bell",):
            box = page.locator(f"[data-testid={testid}]").bounding_box()
            assert box and box["x"] + box["width"] <= VIEWPORTS[viewport]["width"], f"{testid} off screen for {username}"
        # nothing is wider than the screen
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{username} page overflows by {overflow}px on {viewport}"
        page.screenshot(path=str(tmp_path / f"{username}-{viewport}-{language}.png"), full_page=True)
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
