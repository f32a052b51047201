"""Safety in Chromium, every role, Chinese and English, phone (375 px) and desktop.

- staff: today's inspection on a phone, items recorded in place (htmx), one problem with a photo → hazard
- guard: the close-up check lists who is still inside; the visitor register keeps what was typed
- staff again: one-click repair ticket from the new hazard
- director (English, desktop): verifies a rectified hazard, sets up a weekly plan (bad input kept), the report, PDF
- principal (desktop) and district officer (English, phone): read the report and a hazard, no buttons to act
"""
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "pw-test-1234"
SHOTS = Path("/tmp/safety-shots")


def open_as(browser, live_server, username, password, *, viewport=PHONE, language="zh-hans"):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    if language != "zh-hans":
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1, page.url


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_staff_does_todays_inspection_with_one_problem(live_server, browser, school, make_member, tmp_path):
    from safety import services
    from safety.models import Hazard, Inspection
    from safety.tests.factories import PlanFactory

    staff = make_member("logistics_staff")
    plan = PlanFactory(school=school, name="每日校园巡视", responsible=staff, starts_on=timezone.localdate(),
                       checklist=["门窗完好", "消防通道畅通"])
    services.generate_inspections()
    ins = Inspection.objects.get(plan=plan)
    image = tmp_path / "problem.png"
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), "red").save(buf, "PNG")
    image.write_bytes(buf.getvalue())

    context, page = open_as(browser, live_server, staff.username, PASSWORD)
    page.goto(f"{live_server.url}/safety/")
    page.click("text=每日校园巡视")
    page.evaluate("window.__same_page = true")
    items = list(ins.items.order_by("position"))
    page.click(f"#item-{items[0].pk} button[value=ok]")
    page.wait_for_selector(f"#item-{items[0].pk} .badge.text-bg-success")
    assert page.locator("#progress").inner_text() == "1/2"
    page.click(f"#item-{items[1].pk} summary")
    page.fill(f"#item-{items[1].pk} textarea[name=note]", "消防通道堆放杂物")
    page.select_option(f"#item-{items[1].pk} select[name=severity]", "high")
    page.set_input_files(f"#item-{items[1].pk} input[name=photo]", str(image))
    page.click(f"#item-{items[1].pk} button[value=problem]")
    page.wait_for_selector(f"#item-{items[1].pk} .badge.text-bg-danger")
    assert page.evaluate("window.__same_page === true")  # recorded in place, no reload
    assert page.locator("#progress").inner_text() == "2/2"
    fits(page)
    shot(page, "staff-inspection-phone-zh")
    page.click("text=提交巡查")
    page.wait_for_selector(".alert")
    hazard = Hazard.objects.get()
    assert hazard.severity == "high" and "消防通道堆放杂物" in hazard.description
    ins.refresh_from_db()
    assert ins.status == "submitted"
    assert page.errors == []
    context.close()


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo")


def test_every_role_in_the_demo_school(demo, live_server, browser):
    from logistics.demo import DEMO_PASSWORD
    from repairs.models import Repair
    from safety.models import Hazard, Inspection, InspectionPlan, Visitor

    today = timezone.localdate()

    # --- the guard, on a phone: the close-up check lists who is still inside ---------------------------
    context, page = open_as(browser, live_server, "guard", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/safety/")
    page.click("text=每日放学关门检查")
    inside = page.locator("[data-testid=still-inside]")
    assert "张建国" in inside.inner_text()
    fits(page)
    shot(page, "guard-closeup-phone-zh")
    inside.locator("button").first.click()
    page.wait_for_selector("text=来访人员均已离校")
    assert not Visitor.objects.filter(time_out__isnull=True).exists()
    page.goto(f"{live_server.url}/safety/visitors/new/")
    page.fill("input[name=name]", "赵六")
    page.fill("input[name=id_last4]", "1101")
    page.fill("input[name=id_last4]", "11a1")
    page.fill("input[name=phone]", "13911112222")
    page.fill("input[name=visiting]", "王老师")
    page.fill("input[name=purpose]", "家长会")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".invalid-feedback, .alert-danger, .errorlist")
    assert page.input_value("input[name=name]") == "赵六"  # nothing typed is lost
    page.fill("input[name=id_last4]", "110x")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/safety/visitors/")
    assert "赵六" in page.content() and Visitor.objects.get(name="赵六").id_last4 == "110X"
    fits(page)
    shot(page, "guard-visitors-phone-zh")
    assert page.errors == []
    context.close()

    # --- staff, on a phone: a problem becomes a hazard, one click opens the repair ticket ---------------
    context, page = open_as(browser, live_server, "staff", DEMO_PASSWORD)
    plan = InspectionPlan.objects.get(name="每日巡视：校园环境与场地")
    ins = Inspection.objects.get(plan=plan, due_date=today)
    page.goto(f"{live_server.url}{ins.get_absolute_url()}")
    items = list(ins.items.order_by("position"))
    for item in items[:-1]:
        page.click(f"#item-{item.pk} button[value=ok]")
        page.wait_for_selector(f"#item-{item.pk} .badge.text-bg-success")
    last = items[-1]
    page.click(f"#item-{last.pk} summary")
    page.fill(f"#item-{last.pk} textarea[name=note]", "排水沟堵塞")
    page.click(f"#item-{last.pk} button[value=problem]")
    page.wait_for_selector(f"#item-{last.pk} .badge.text-bg-danger")
    page.click("text=提交巡查")
    page.wait_for_selector(".alert")
    hazard = Hazard.objects.get(item=last)
    page.goto(f"{live_server.url}{hazard.get_absolute_url()}")
    page.click("text=一键报修")
    page.wait_for_selector(".alert-success")
    repair = Repair.objects.get(pk=Hazard.objects.get(pk=hazard.pk).repair_id)
    assert repair.room == plan.room and repair.number in page.content()
    fits(page)
    shot(page, "staff-hazard-phone-zh")
    page.goto(f"{live_server.url}/safety/inspections/")
    fits(page)
    shot(page, "staff-records-phone-zh")
    assert page.errors == []
    context.close()

    # --- the director, in English on a desktop ---------------------------------------------------------
    context, page = open_as(browser, live_server, "director", DEMO_PASSWORD, viewport=DESKTOP, language="en")
    rectified = Hazard.objects.filter(status="rectified").first()
    page.goto(f"{live_server.url}{rectified.get_absolute_url()}")
    page.click("text=Verify and close")
    page.wait_for_selector(".alert-success")
    assert Hazard.objects.get(pk=rectified.pk).status == "verified"
    page.goto(f"{live_server.url}/safety/hazards/?overdue=true")
    shot(page, "director-hazards-desktop-en")
    page.goto(f"{live_server.url}/safety/plans/new/")
    page.fill("input[name=name]", "Weekly lighting round")
    page.select_option("select[name=building]", label="教学楼A")
    page.select_option("select[name=frequency]", "weekly")
    page.fill("textarea[name=checklist]", "Corridor lights\nStair lights")
    page.click("main form button.btn-primary")
    page.wait_for_selector(".invalid-feedback, .alert-danger")
    assert page.input_value("textarea[name=checklist]") == "Corridor lights\nStair lights"
    page.check("input[name=weekdays][value='0']")
    page.click("main form button.btn-primary")
    page.wait_for_url("**/safety/inspections/?plan=*")
    assert InspectionPlan.objects.get(name="Weekly lighting round").weekdays == [0]
    page.goto(f"{live_server.url}/safety/plans/")
    assert "Weekly: Mon" in page.content()
    shot(page, "director-plans-desktop-en")
    page.goto(f"{live_server.url}/safety/report/")
    assert "Plan completion per area" in page.content()
    shot(page, "director-report-desktop-en")
    pdf = page.request.get(f"{live_server.url}/safety/report/?format=pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
    assert page.errors == []
    context.close()

    # --- the principal (desktop) and the district officer (English, phone): read only ------------------
    open_hazard = Hazard.objects.filter(status="open").first()
    for username, viewport, language in (("principal", DESKTOP, "zh-hans"), ("district", PHONE, "en")):
        context, page = open_as(browser, live_server, username, DEMO_PASSWORD, viewport=viewport, language=language)
        page.goto(f"{live_server.url}/safety/report/")
        assert page.locator("table.heat").count() == 1
        fits(page)
        shot(page, f"{username}-report-{'phone' if viewport is PHONE else 'desktop'}-{language}")
        page.goto(f"{live_server.url}{open_hazard.get_absolute_url()}")
        assert page.locator("form[action$='/rectify/']").count() == 0 and page.locator("form[action$='/verify/']").count() == 0
        page.goto(f"{live_server.url}/safety/hazards/")
        fits(page)
        shot(page, f"{username}-hazards-{'phone' if viewport is PHONE else 'desktop'}-{language}")
        assert page.errors == []
        context.close()
