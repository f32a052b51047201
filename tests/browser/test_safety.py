"""Today's inspection on a 375 px phone: staff ticks items, one problem with a photo → a hazard."""
import io

import pytest
from django.utils import timezone
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
PASSWORD = "pw-test-1234"


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

    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/safety/")
    page.click("text=每日校园巡视")
    items = list(ins.items.order_by("position"))
    page.click(f"label[for=ok-{items[0].pk}]")
    page.click(f"#item-{items[0].pk} button[type=submit]")
    page.wait_for_selector(f"#item-{items[0].pk} .badge.text-bg-success")
    page.click(f"label[for=pb-{items[1].pk}]")
    page.click(f"#item-{items[1].pk} summary")
    page.fill(f"#item-{items[1].pk} textarea[name=note]", "消防通道堆放杂物")
    page.select_option(f"#item-{items[1].pk} select[name=severity]", "high")
    page.set_input_files(f"#item-{items[1].pk} input[name=photo]", str(image))
    page.click(f"#item-{items[1].pk} button[type=submit]")
    page.wait_for_selector(f"#item-{items[1].pk} .badge.text-bg-danger")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    page.screenshot(path="/tmp/safety-inspection-phone.png", full_page=True)
    page.click("text=提交巡查")
    page.wait_for_selector(".alert")
    hazard = Hazard.objects.get()
    assert hazard.severity == "high" and "消防通道堆放杂物" in hazard.description
    ins.refresh_from_db()
    assert ins.status == "submitted"
    assert errors == []
    context.close()
