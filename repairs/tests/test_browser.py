"""The repair screens in Chromium: on a 375 px phone and a desktop, in Chinese and in English.

A teacher rejects a finished job with a reason (it goes back to the repairer); the office reads
the inbox and the ticket; the director reads the figures and drills into a number. Every page
fits the screen (no sideways scrolling) and raises no script error. Screenshots go to
``$REPAIRS_SHOTS`` (default: the test's tmp dir) for a person to look at.
"""
import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "pw-test-1234"


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("REPAIRS_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(browser, live_server, user, viewport, language):
    context = browser.new_context(viewport=viewport, locale="zh-CN" if language == "zh-hans" else "en-US")
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page, errors


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1, page.url


@pytest.fixture
def world(school, make_member):
    from logistics.tests.factories import RoomFactory
    from repairs.choices import RepairStatus as S
    from repairs.tests.factories import RepairFactory

    people = {role: make_member(role) for role in ("teacher", "logistics_staff", "repairer", "logistics_director")}
    room = RoomFactory(school=school, name="三年级1班")
    now = timezone.now()
    done = RepairFactory(
        school=school, room=room, reporter=people["teacher"], owner=people["logistics_staff"], assignee=people["repairer"],
        status=S.DONE, description="教室后排日光灯不亮，已经闪了三天", taken_at=now - dt.timedelta(hours=5),
        dispatched_at=now - dt.timedelta(hours=4), done_at=now - dt.timedelta(hours=1),
    )
    for i in range(30):
        status = [S.SUBMITTED, S.DISPATCHED, S.CLOSED][i % 3]
        RepairFactory(
            school=school, room=room, reporter=people["teacher"], status=status,
            owner=people["logistics_staff"] if status != S.SUBMITTED else None,
            assignee=people["repairer"] if status != S.SUBMITTED else None,
            done_at=now - dt.timedelta(hours=2) if status == S.CLOSED else None, closed_at=now if status == S.CLOSED else None,
            rating_timeliness=5 if status == S.CLOSED else None, rating_quality=4 if status == S.CLOSED else None,
            rating_attitude=5 if status == S.CLOSED else None,
            completion_due=now - dt.timedelta(hours=1) if i % 4 == 0 else now + dt.timedelta(days=2),
            response_due=now - dt.timedelta(minutes=30) if i % 4 == 0 else now + dt.timedelta(hours=3),
        )
    return people, room, done


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_reject_then_office_and_director_screens(live_server, browser, world, shots, language):
    from repairs.models import Repair
    from repairs.selectors import overdue_q

    people, room, done = world
    first_page = {"zh-hans": "第 1 / 2 页", "en": "Page 1 of 2"}[language]

    # the teacher rejects the finished job on a phone, giving the reason
    ctx, page, errors = _open(browser, live_server, people["teacher"], PHONE, language)
    page.goto(f"{live_server.url}{done.get_absolute_url()}")
    _fits(page)
    page.screenshot(path=str(shots / f"{language}-phone-teacher-signoff.png"), full_page=True)
    page.locator("form[action$='/reject/']").locator("xpath=ancestor::details/summary").click()
    page.fill("form[action$='/reject/'] input[name=reason]", "灯还是不亮")
    page.click("form[action$='/reject/'] button")
    page.wait_for_selector("form[action$='/reject/']", state="detached")
    assert page.locator(".alert-success").count() == 1
    page.goto(f"{live_server.url}/repairs/mine/")
    _fits(page)
    page.screenshot(path=str(shots / f"{language}-phone-teacher-mine.png"), full_page=True)
    ctx.close()
    done.refresh_from_db()
    assert (done.status, done.reopen_count, done.assignee) == ("dispatched", 1, people["repairer"])

    # the office: the inbox on a desktop and on a phone, then the ticket and the room's QR page
    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        ctx, page, errors2 = _open(browser, live_server, people["logistics_staff"], viewport, language)
        page.goto(f"{live_server.url}/repairs/?overdue=true")
        _fits(page)
        page.screenshot(path=str(shots / f"{language}-{name}-staff-inbox-overdue.png"), full_page=True)
        page.goto(f"{live_server.url}/repairs/")
        assert first_page in page.locator("nav[aria-label]").last.inner_text()
        # opening "Filter" fetches the form (htmx); filtering by overdue narrows the list
        page.locator("details:has(.filter-slot) > summary").click()
        page.wait_for_selector(".filter-slot select[name=overdue]")
        page.select_option(".filter-slot select[name=overdue]", "true")
        page.click(".filter-slot button[type=submit]")
        page.wait_for_url("**overdue=true**")
        assert page.locator(".filter-slot select[name=overdue]").input_value() == "true"
        assert page.locator("tbody tr").count() == Repair.objects.filter(overdue_q()).count() == 6
        page.screenshot(path=str(shots / f"{language}-{name}-staff-inbox.png"), full_page=True)
        page.goto(f"{live_server.url}{done.get_absolute_url()}")
        _fits(page)
        page.screenshot(path=str(shots / f"{language}-{name}-staff-ticket.png"), full_page=True)
        page.goto(f"{live_server.url}/repairs/rooms/{room.pk}/")
        _fits(page)
        assert page.locator("img.qr-img").count() == 1
        page.screenshot(path=str(shots / f"{language}-{name}-staff-room.png"), full_page=True)
        ctx.close()
        assert not errors2

    # the director: figures for the month, then the tickets behind one number
    ctx, page, errors3 = _open(browser, live_server, people["logistics_director"], DESKTOP, language)
    page.goto(f"{live_server.url}/repairs/stats/")
    _fits(page)
    page.click("td a[href*='metric=handled']")
    page.wait_for_selector("#drill")
    page.screenshot(path=str(shots / f"{language}-desktop-director-figures.png"), full_page=True)
    ctx.close()
    ctx, page, errors4 = _open(browser, live_server, people["logistics_director"], PHONE, language)
    page.goto(f"{live_server.url}/repairs/stats/")
    _fits(page)
    page.screenshot(path=str(shots / f"{language}-phone-director-figures.png"), full_page=True)
    page.goto(f"{live_server.url}/repairs/settings/")
    _fits(page)
    ctx.close()

    assert Repair.objects.filter(status="dispatched", reopen_count=1).count() == 1
    assert not (errors + errors3 + errors4)
