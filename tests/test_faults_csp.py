"""Security headers and a Content-Security-Policy that the pages actually keep (issue 10).

The CSP (Django's built-in, ``SECURE_CSP`` in base.py) allows scripts and styles from our own
origin only: no ``'unsafe-inline'``. So a page that contains an inline ``<script>``, an ``on*=``
handler, a ``style=`` attribute, a ``<style>`` element or a ``javascript:`` URL would be broken
in the browser. This test renders, with the demo school loaded, every role's home page, every
page without URL parameters that the role may open, and the detail pages linked from them, and
scans the HTML for anything the policy would block.
"""
from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.test import Client

from logistics.tests.urlwalk import iter_routes
from tests.processes import BASE_DIR

SKIP = {"logout", "set_language", "switch_school", "notification_read_all", "healthz", "readyz"}
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}  # data, never executed


class CspScanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=\"{(value or '')[:40]}\">")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and not attrs.get("src") and (attrs.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            self._inline_script = True

    def handle_data(self, data):
        if self._inline_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inline_script = False


def csp_problems(html: str) -> list[str]:
    scanner = CspScanner()
    scanner.feed(html)
    return scanner.problems


def test_the_scanner_finds_what_the_policy_blocks():
    bad = ('<div style="color:red"><a href="javascript:alert(1)" onclick="x()">x</a></div>'
           '<script>alert(1)</script><style>p{}</style><img src=x onerror=alert(1)>')
    assert len(csp_problems(bad)) == 6
    good = '<script src="/static/js/app.js"></script><script type="application/json" id="d">{"a": 1}</script><p class="x">ok</p>'
    assert csp_problems(good) == []


def small_school(school):
    """One member per role and a record or two in each app (the demo seed takes minutes)."""
    import datetime as dt

    from assets.tests.factories import AssetFactory, StoreItemFactory
    from canteen.tests import factories as cf
    from logistics.roles import Role
    from logistics.tests.factories import MembershipFactory, RoomFactory, UserFactory, member
    from procurement.tests.factories import PurchaseItemFactory, PurchaseRequestFactory
    from repairs.tests.factories import MaintenancePlanFactory, RepairFactory
    from safety.tests.factories import HazardFactory, PlanFactory

    people = {role: member(role, school, username=f"csp_{role}") for role in Role.values if role != Role.DISTRICT_OFFICER}
    if school.district_id:  # a district officer belongs to the district, not to a school
        officer = UserFactory(username="csp_district")
        MembershipFactory(user=officer, school=None, district=school.district, role=Role.DISTRICT_OFFICER)
        people[Role.DISTRICT_OFFICER] = officer
    room = RoomFactory(school=school)
    teacher, repairer, staff = people[Role.TEACHER], people[Role.REPAIRER], people[Role.LOGISTICS_STAFF]
    RepairFactory(school=school, room=room, reporter=teacher)
    RepairFactory(school=school, room=room, reporter=teacher, status="dispatched", owner=staff, assignee=repairer)
    RepairFactory(school=school, room=room, reporter=teacher, status="done", owner=staff, assignee=repairer)
    MaintenancePlanFactory(school=school, room=room)
    AssetFactory.create_batch(2, school=school)
    StoreItemFactory(school=school)
    PlanFactory(school=school, room=room, responsible=staff)
    HazardFactory(school=school, responsible=staff)
    dish = cf.DishFactory(school=school)
    cf.DishIngredientFactory(dish=dish)
    cf.WeekMenuFactory(school=school, created_by=people[Role.CANTEEN_MANAGER])
    cf.ReceivingFactory(school=school, checked_by=people[Role.CANTEEN_MANAGER])
    cf.MealSampleFactory(school=school, dish=dish, taken_by=people[Role.CANTEEN_MANAGER], day=dt.date.today())
    cf.MonthAccountFactory(school=school)
    cf.FeedbackFactory(school=school, author=people[Role.PARENT], replied_by=people[Role.CANTEEN_MANAGER])
    PurchaseItemFactory(purchase=PurchaseRequestFactory(school=school, requester=staff))
    return people


@pytest.mark.django_db
def test_no_page_of_any_role_renders_what_the_csp_would_block(school):
    """Each role's home page; every other page once, as the first role that may open it; and up to
    three detail pages linked from each list (templates are shared between roles)."""
    people = small_school(school)
    paths = ["/" + route for name, route, conv in iter_routes() if not conv and not name.startswith("admin:") and name not in SKIP]
    detail_link = re.compile(r'href="(/(?:assets|repairs|canteen|safety|procurement|rooms)/[\w/-]*?\d+/)"')
    clients = {}
    for role, user in people.items():
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    problems: dict[str, list[str]] = {}
    scanned: set[str] = set()

    def scan(client, role, path) -> str | None:
        response = client.get(path)
        if response.status_code >= 500:
            problems[f"{role} {path}"] = [f"HTTP {response.status_code}"]
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            return None
        policy = response.get("Content-Security-Policy", "")
        if "script-src 'self'" not in policy or "unsafe-inline" in policy:
            problems[f"{role} {path}"] = [f"policy: {policy}"]
        html = response.content.decode()
        if found := csp_problems(html):
            problems[f"{role} {path}"] = found
        scanned.add(path)
        return html

    for role, client in clients.items():
        scan(client, role, "/")
    details: list[tuple[str, str]] = []
    for path in paths:
        for role, client in clients.items():
            if (html := scan(client, role, path)) is not None:
                details += [(role, link) for link in list(dict.fromkeys(detail_link.findall(html)))[:3]]
                break
    for role, link in dict.fromkeys(details):
        if link not in scanned:
            scan(clients[role], role, link)
    print(f"\nCSP scan: {len(scanned)} pages ({len(people)} roles' homes, {len(paths)} routes, linked detail pages)")
    assert len(scanned) > 60, sorted(scanned)
    assert not problems, problems


def test_production_settings_are_hardened():
    """Secure cookies, HSTS, SSL redirect, session expiry, password validators, CSP without inline."""
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_HTTPONLY, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, 0 < s.SESSION_COOKIE_AGE <= 86400,"
        " len(s.AUTH_PASSWORD_VALIDATORS) >= 4, s.X_FRAME_OPTIONS == 'DENY', s.SECURE_CONTENT_TYPE_NOSNIFF,"
        " \"'unsafe-inline'\" not in str(s.SECURE_CSP), 'django.middleware.csp.ContentSecurityPolicyMiddleware' in s.MIDDLEWARE)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DJANGO_SETTINGS_MODULE": "logistics.settings.production", "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "houqin.example.edu.cn"})
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"] * 13, result.stdout


def test_weak_passwords_are_refused(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from logistics.tests.factories import UserFactory

    user = UserFactory(username="wanglaoshi")
    for weak in ("12345678", "password", "wanglaoshi1", "abc"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("校园-后勤-2026-安全", user)


def test_headers_on_a_response(client):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert csp_problems(response.content.decode()) == []
