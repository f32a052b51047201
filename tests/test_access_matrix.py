"""Every route × every role (+ the owner, a member of another school, a superuser, anonymous).

The expected outcome of each route is *declared* in ``EXPECT`` below, one entry per URL name;
it is not read back from the views, so a view that forgets its mixin, checks the wrong
capability or leaks another school's object makes this test fail. A route without an entry
fails ``test_every_route_has_a_declared_expectation``; so does an entry for a route that is gone.

Outcomes: ``ok`` (200, or a redirect to a page that is not the login page), ``403``, ``404``,
``login`` (redirect to the login page), ``405``. Each request runs inside a savepoint that is
rolled back, so every role meets the same objects in the same state.

Object URLs get real objects of the first school (``tests/world.py``). For those routes:
- the member of the other school (who holds *every* role there) always gets 404;
- owner-scoped objects belong to ``world.owner``; the per-role teacher is another teacher of the
  same school, so ``others=NF`` says "a same-school user who is not the owner gets 404".

The matrix checks the permission layer of the views (mixins + ``can()``) and object scoping.
POST actions are sent with an empty form, except where ``data=`` gives a valid one because the
view's capability is broad and the service decides (e.g. only the hazard's responsible person
or the director may report its rectification): there the service's ``require()`` must answer 403.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from logistics.roles import ACC, CAN, DIR, DIS, GUA, PAR, PRI, REP, STAFF, T
from logistics.tests.urlwalk import iter_routes
from tests.world import ANON, OTHER, OWNER, ROLE_KEYS, SUPER, build_world

pytestmark = pytest.mark.django_db

OK, DENY, NF, LOGIN, NOT_ALLOWED = "ok", "403", "404", "login", "405"
COMMITTEE = "committee"  # a parent on the canteen parents' committee (only where an entry names it)
STANDS_IN_FOR = {COMMITTEE: PAR}

EVERYONE = frozenset({T, STAFF, REP, DIR, CAN, ACC, PRI, GUA, PAR, DIS})
EMPLOYEES = frozenset({T, STAFF, REP, DIR, CAN, ACC, PRI, GUA})
OFFICE = frozenset({STAFF, DIR})
NOBODY = frozenset()


@dataclass(frozen=True)
class Rule:
    """What each kind of user gets from one route with one method."""

    ok: frozenset
    deny: frozenset | None = None  # same-school roles that get 403; None: every role not in ``ok``
    others: str = DENY  # outcome for same-school roles in neither ``ok`` nor ``deny``
    owner: str | None = None  # world.owner (a teacher); None: same as the teacher role
    superuser: str = OK
    other_school: str | None = None  # None: 404 on object routes, else ok when any role is allowed
    anonymous: str = LOGIN
    extra: tuple = ()  # ((user key, outcome), ...) for users only some routes need

    def expected(self, who: str, *, has_object: bool) -> str:
        if who == ANON:
            return self.anonymous
        if who == SUPER:
            return self.superuser
        if who == OTHER:
            if self.other_school is not None:
                return self.other_school
            return NF if has_object else (OK if self.ok else DENY)
        if who == OWNER:
            return self.owner if self.owner is not None else self.expected(T, has_object=has_object)
        if who in dict(self.extra):
            return dict(self.extra)[who]
        if who in STANDS_IN_FOR:  # a user only some entries name, e.g. a committee parent: as its role
            return self.expected(STANDS_IN_FOR[who], has_object=has_object)
        if who in self.ok:
            return OK
        if self.deny is None or who in self.deny:
            return DENY
        return self.others


@dataclass(frozen=True)
class Entry:
    methods: dict  # "get"/"post" → Rule
    obj: str | None = None  # key in world.objects filling the route's one parameter
    data: object = None  # callable(world) → POST data, else an empty POST
    principals: tuple = field(default=())  # extra user keys this entry checks


def _rule(ok, kw):
    return Rule(frozenset(ok), **kw)


def page(*ok, obj=None, **kw) -> Entry:
    """A GET page (list, detail, report, download)."""
    return Entry({"get": _rule(_flat(ok), kw)}, obj=obj, principals=_principals(kw))


def action(*ok, obj=None, data=None, **kw) -> Entry:
    """A POST-only step."""
    return Entry({"post": _rule(_flat(ok), kw)}, obj=obj, data=data, principals=_principals(kw))


def form(*ok, obj=None, data=None, post=None, **kw) -> Entry:
    """A form page: GET shows it, POST submits it (``post``: a different rule for the POST)."""
    get_rule = _rule(_flat(ok), kw)
    post_rule = post if post is not None else get_rule
    return Entry({"get": get_rule, "post": post_rule}, obj=obj, data=data,
                 principals=tuple(sorted(set(_principals(kw)) | {k for k, _o in post_rule.extra})))


def _flat(groups) -> set:
    out = set()
    for g in groups:
        out |= set(g) if isinstance(g, (set, frozenset, list, tuple)) else {g}
    return out


def _principals(kw) -> tuple:
    return tuple(k for k, _o in kw.get("extra", ()))


def public(method="get", result=OK) -> Entry:
    """Open to everyone, signed in or not, with the same outcome for all."""
    return Entry({method: Rule(NOBODY, deny=NOBODY, others=result, owner=result, superuser=result,
                               other_school=result, anonymous=result)})


# --- payloads for actions whose service makes the decision -------------------------------------

def png(name="fix.png"):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def _switch(w):
    return {"school": w.school.pk}


def _rectify(w):
    return {"note": "已加固", "photo": png()}


def _survey(w):
    return {"taste": 5, "hygiene": 5, "price": 4, "service": 5, "comment": "好"}


def _committee_check(w):
    return {"remarks": "核对了数量和票证"}


def _accompany(w):
    return {"day": timezone.localdate().isoformat(), "meal": "lunch", "observations": "温度合适", "issues": ""}


# Repairs: a ticket is visible to the roles that see all of a school's tickets (and to its
# reporter, assignee and owner); anyone else gets 404 — the ticket "does not exist" for them.
REPAIR_VIEWERS = frozenset({STAFF, DIR, PRI, DIS})
VIEWERS_NOT_OFFICE = REPAIR_VIEWERS - OFFICE


def repair_step(*ok, owner=DENY, data=None):
    return action(*ok, obj="repair", deny=REPAIR_VIEWERS - set(_flat(ok)), others=NF, owner=owner, data=data)


EXPECT: dict[str, Entry] = {
    # --- core ------------------------------------------------------------------------------
    "home": page(EVERYONE),
    "healthz": public(),
    "readyz": public(),
    "login": Entry({"get": Rule(EVERYONE, other_school=OK, anonymous=OK), "post": Rule(EVERYONE, other_school=OK, anonymous=OK)}),
    "logout": public("post", result=LOGIN),
    "password_change": form(EVERYONE),
    "password_change_done": page(EVERYONE),
    "set_language": Entry({"post": Rule(EVERYONE, other_school=OK, anonymous=OK)}),
    "switch_school": action(EVERYONE, data=_switch, other_school=DENY),
    "notification_list": page(EVERYONE),
    "notification_open": action(NOBODY, obj="notification", deny=NOBODY, others=NF, owner=OK, superuser=NF),
    "notification_read_all": action(EVERYONE),
    "room_list": page(EVERYONE),
    "room_create": form(OFFICE),
    "room_detail": page(EVERYONE, obj="room"),
    "room_update": form(OFFICE, obj="room"),
    # a repair photo: whoever may open the repair (its reporter, the repair viewers), nobody else
    "media": page(REPAIR_VIEWERS, obj="media", deny=NOBODY, others=NF, owner=OK),
    # --- assets ----------------------------------------------------------------------------
    "assets:asset_list": page(STAFF, DIR, PRI, ACC, DIS),
    "assets:asset_export": page(STAFF, DIR, PRI, ACC, DIS),
    "assets:asset_labels": page(STAFF, DIR, PRI, ACC, DIS),
    "assets:asset_create": form(OFFICE),
    "assets:asset_detail": page(STAFF, DIR, PRI, ACC, DIS, obj="asset"),
    "assets:asset_update": form(OFFICE, obj="asset"),
    "assets:asset_holdings": page(STAFF, DIR, PRI, ACC, DIS),
    "assets:settings_edit": form(OFFICE),
    "assets:storeitem_list": page(STAFF, DIR, REP, CAN, ACC, PRI, DIS),
    "assets:storeitem_create": form(OFFICE),
    "assets:storeitem_detail": page(STAFF, DIR, REP, CAN, ACC, PRI, DIS, obj="storeitem"),
    "assets:storeitem_receive": action(OFFICE, obj="storeitem"),
    "assets:storeitem_issue": action(OFFICE, obj="storeitem"),
    "assets:requisition_list": page(EMPLOYEES),
    "assets:requisition_create": form(EMPLOYEES),
    "assets:requisition_issue": action(OFFICE, obj="requisition"),
    "assets:requisition_refuse": action(OFFICE, obj="requisition"),
    "assets:asset_lend": form(OFFICE, obj="asset"),
    "assets:loan_list": page(OFFICE),
    "assets:loan_mine": page(EMPLOYEES),
    "assets:loan_return": action(OFFICE, obj="loan"),
    "assets:damage_create": form(OFFICE, obj="asset"),
    "assets:damage_amount": form(OFFICE, obj="damage"),
    "assets:writeoff_request": form(OFFICE, obj="asset"),
    "assets:writeoff_list": page(STAFF, DIR, PRI, ACC, DIS),
    "assets:writeoff_approve": action(DIR, obj="writeoff"),
    "assets:writeoff_reject": action(DIR, obj="writeoff"),
    "assets:stocktake_list": page(OFFICE),
    "assets:stocktake_create": form(OFFICE),
    "assets:stocktake_detail": page(OFFICE, obj="stocktake"),
    "assets:stocktake_pdf": page(OFFICE, obj="stocktake"),
    "assets:stocktake_surplus": form(OFFICE, obj="stocktake"),
    "assets:stocktake_close": action(OFFICE, obj="stocktake"),
    "assets:stocktake_confirm": action(DIR, obj="stocktake"),
    "assets:stocktakeline_mark": action(OFFICE, obj="stocktakeline"),
    "assets:asset_found": action(OFFICE, obj="asset"),
    "assets:asset_import": form(OFFICE),
    "assets:category_list": page(STAFF, DIR, PRI, ACC, DIS),
    "assets:category_create": form(OFFICE),
    "assets:stocktakeline_wrong_room": form(OFFICE, obj="stocktakeline"),
    # --- repairs ---------------------------------------------------------------------------
    "repairs:repair_list": page(REPAIR_VIEWERS),
    "repairs:repair_mine": page(EMPLOYEES),
    "repairs:repair_export": page(REPAIR_VIEWERS),
    "repairs:repair_create": form(EMPLOYEES),
    "repairs:repair_detail": page(REPAIR_VIEWERS, obj="repair", deny=NOBODY, others=NF, owner=OK),
    "repairs:repair_take": repair_step(OFFICE),
    "repairs:repair_handover": repair_step(OFFICE),
    "repairs:repair_dispatch": repair_step(OFFICE),
    "repairs:repair_start": repair_step(OFFICE),
    "repairs:repair_note": repair_step(OFFICE),
    "repairs:repair_cost": repair_step(OFFICE),
    "repairs:repair_material": repair_step(OFFICE),
    "repairs:repair_complete": repair_step(OFFICE),
    "repairs:repair_signoff": repair_step(STAFF, DIR, PRI, owner=OK),
    "repairs:repair_reject": repair_step(STAFF, DIR, PRI, owner=OK),
    "repairs:repair_cancel": repair_step(STAFF, DIR, PRI, owner=OK),
    "repairs:repair_cause": repair_step(OFFICE),
    "repairs:settings_edit": form(DIR),
    "repairs:plan_list": page(OFFICE),
    "repairs:plan_create": form(OFFICE),
    "repairs:plan_edit": form(OFFICE, obj="plan"),
    "repairs:room_labels": page(OFFICE),
    "repairs:repair_stats": page(DIR, PRI, DIS),
    "repairs:room_history": page(REPAIR_VIEWERS, obj="room"),
    "repairs:asset_history": page(REPAIR_VIEWERS, obj="asset"),
    # --- canteen ---------------------------------------------------------------------------
    "canteen:parent_home": page(EVERYONE),
    "canteen:menu_list": page(CAN, DIR, PRI, ACC, DIS),
    "canteen:menu_create": form(CAN, DIR),
    "canteen:menu_detail": page(CAN, DIR, PRI, ACC, DIS, obj="menu"),
    "canteen:menu_item_add": action(CAN, DIR, obj="menu"),
    "canteen:menu_item_remove": action(CAN, DIR, obj="menuitem"),
    "canteen:menu_approve": action(DIR, PRI, obj="menu"),
    "canteen:menu_publish": action(CAN, DIR, obj="menu"),
    "canteen:menu_revise": action(CAN, DIR, obj="menu"),
    "canteen:menu_return": action(DIR, PRI, obj="menu"),
    "canteen:menu_copy": action(CAN, DIR, obj="menu"),
    "canteen:dish_list": page(CAN, DIR, PRI, ACC, DIS),
    "canteen:dish_create": form(CAN, DIR),
    "canteen:dish_detail": page(CAN, DIR, PRI, ACC, DIS, obj="dish"),
    "canteen:dish_update": form(CAN, DIR, obj="dish"),
    "canteen:ingredient_list": page(CAN, DIR, PRI, ACC, DIS),
    "canteen:ingredient_create": form(CAN, DIR),
    "canteen:supplier_list": page(CAN, DIR, PRI, ACC, DIS),
    "canteen:supplier_create": form(CAN, DIR),
    "canteen:supplier_update": form(CAN, DIR, obj="supplier"),
    "canteen:receiving_list": page(CAN, DIR, PRI, ACC, DIS, STAFF),
    "canteen:receiving_create": form(CAN, DIR, STAFF),
    "canteen:receiving_detail": page(CAN, DIR, PRI, ACC, DIS, STAFF, obj="receiving"),
    "canteen:receiving_update": form(CAN, DIR, STAFF, obj="receiving"),
    "canteen:receiving_sign": action(CAN, DIR, STAFF, obj="receiving"),
    "canteen:receiving_reject": action(CAN, DIR, STAFF, obj="receiving"),
    "canteen:receiving_delete": action(CAN, DIR, obj="receiving"),
    "canteen:committee_receiving": page(NOBODY, superuser=DENY, other_school=DENY, extra=((COMMITTEE, OK),)),
    "canteen:receiving_committee_check": action(NOBODY, obj="receiving", data=_committee_check, superuser=DENY,
                                                extra=((COMMITTEE, OK),)),
    "canteen:sample_list": page(CAN, DIR, PRI, ACC, DIS),
    "canteen:sample_create": form(CAN, DIR),
    "canteen:sample_discard": action(CAN, DIR, obj="sample"),
    "canteen:disinfection_list": page(CAN, DIR, PRI, ACC, DIS),
    "canteen:disinfection_create": form(CAN, DIR),
    "canteen:certificate_list": page(CAN, DIR, PRI, ACC, DIS),
    "canteen:certificate_create": form(CAN, DIR),
    "canteen:accompanied_list": page(EVERYONE),
    # Everyone may open the form; only leaders and parents' committee members may record.
    "canteen:accompanied_create": form(EVERYONE, data=_accompany,
                                       post=Rule(frozenset({DIR, PRI}), superuser=DENY, extra=((COMMITTEE, OK),))),
    "canteen:account_list": page(CAN, ACC, DIR),
    "canteen:account_create": form(CAN, ACC, DIR),
    "canteen:account_detail": page(CAN, ACC, DIR, obj="account"),
    "canteen:account_edit": action(CAN, ACC, DIR, obj="account"),
    "canteen:account_close": action(ACC, DIR, obj="account"),
    "canteen:account_publish": action(ACC, DIR, obj="account"),
    "canteen:feedback_list": page(EVERYONE),
    "canteen:feedback_create": form(PAR, T),
    "canteen:feedback_reply": action(CAN, DIR, obj="feedback"),
    "canteen:survey_list": page(EVERYONE),
    "canteen:survey_create": form(CAN, DIR),
    # Parents and teachers answer; the view lets every role in, the service refuses the rest.
    "canteen:survey_answer": action(PAR, T, obj="survey", data=_survey, superuser=DENY, extra=((COMMITTEE, OK),)),
    "canteen:survey_close": action(CAN, DIR, obj="survey"),
    "canteen:survey_publish": action(CAN, DIR, obj="survey"),
    "canteen:settings_edit": form(CAN, DIR),
    "canteen:closeup_list": page(CAN, DIR, PRI, ACC, DIS),
    "canteen:closeup_create": form(CAN, DIR),
    "canteen:training_list": page(CAN, DIR, PRI, ACC, DIS),
    "canteen:training_create": form(CAN, DIR),
    "canteen:reference_list": page(CAN, DIR, PRI, ACC, DIS),
    "canteen:reference_create": form(CAN, DIR),
    "canteen:accompanied_follow_up": action(CAN, DIR, obj="accompanied"),
    # --- safety ----------------------------------------------------------------------------
    "safety:inspection_today": page(STAFF, DIR, GUA),
    "safety:inspection_list": page(STAFF, DIR, GUA, PRI, DIS),
    "safety:plan_list": page(STAFF, DIR, GUA, PRI, DIS),
    "safety:plan_create": form(OFFICE),
    "safety:plan_update": form(OFFICE, obj="inspectionplan"),
    "safety:inspection_detail": page(STAFF, DIR, GUA, PRI, DIS, obj="inspection"),
    "safety:inspection_submit": action(STAFF, DIR, GUA, obj="inspection"),
    "safety:item_record": action(STAFF, DIR, GUA, obj="inspectionitem"),
    "safety:hazard_list": page(STAFF, DIR, GUA, PRI, DIS),
    "safety:hazard_detail": page(STAFF, DIR, GUA, PRI, DIS, obj="hazard"),
    "safety:hazard_update": form(DIR, obj="hazard"),
    # The hazard's responsible person (the staff member) or the director reports the fix.
    "safety:hazard_rectify": action(STAFF, DIR, obj="hazard", data=_rectify),
    "safety:hazard_verify": action(DIR, obj="hazard"),
    "safety:hazard_repair": action(STAFF, DIR, GUA, obj="hazard"),
    "safety:report_month": page(DIR, PRI, DIS),
    "safety:visitor_list": page(GUA, STAFF, DIR),
    "safety:visitor_create": form(GUA, STAFF, DIR),
    "safety:visitor_out": action(GUA, STAFF, DIR, obj="visitor"),
    "safety:drill_list": page(STAFF, DIR, GUA, PRI, DIS),
    "safety:drill_create": form(OFFICE),
    # --- procurement -----------------------------------------------------------------------
    "procurement:purchase_list": page(STAFF, DIR, PRI, ACC, DIS, CAN),  # CAN: only the requests they made
    "procurement:purchase_create": form(STAFF, DIR, CAN),
    "procurement:purchase_detail": page(STAFF, DIR, PRI, ACC, DIS, obj="purchase"),
    "procurement:purchase_add_item": action(STAFF, DIR, CAN, obj="purchase"),
    "procurement:purchase_remove_item": action(STAFF, DIR, CAN, obj="purchase"),
    "procurement:purchase_add_quote": action(STAFF, DIR, CAN, obj="purchase"),
    "procurement:purchase_attach": action(STAFF, DIR, CAN, obj="purchase"),
    "procurement:purchase_notes": action(STAFF, DIR, CAN, obj="purchase"),
    "procurement:purchase_submit": action(STAFF, DIR, CAN, obj="purchase"),
    "procurement:purchase_approve": action(STAFF, DIR, PRI, ACC, DIS, obj="purchase"),
    "procurement:purchase_reject": action(STAFF, DIR, PRI, ACC, DIS, obj="purchase"),
    "procurement:purchase_order": action(STAFF, DIR, ACC, CAN, obj="purchase"),
    "procurement:purchase_receive": action(STAFF, DIR, ACC, CAN, obj="purchase"),
    "procurement:purchase_countersign": action(STAFF, DIR, ACC, CAN, obj="purchase"),
    "procurement:purchase_reimburse": action(ACC, obj="purchase"),
    "procurement:disclosure_list": page(EVERYONE),
    "procurement:disclosure_generate": action(ACC),
    "procurement:disclosure_download": page(EVERYONE, obj="disclosure"),
    "procurement:disclosure_publish": action(ACC, obj="disclosure"),
    "procurement:dashboard": page(DIR, PRI, DIS),
    "procurement:budgetline_list": page(STAFF, DIR, PRI, ACC, DIS),
    "procurement:budgetline_create": form(ACC, DIR, PRI),
    "procurement:budgetline_update": form(ACC, DIR, PRI, obj="budgetline"),
    "procurement:policy_edit": form(PRI),
}

# Django's admin: its own staff check, tested separately below.
EXCLUDED_PREFIXES = ("admin:",)
# Only present when settings.BENCHMARK is on.
OPTIONAL = {"bench_ceiling"}


def project_routes() -> dict[str, str]:
    return {name: route for name, route, _c in iter_routes() if not name.startswith(EXCLUDED_PREFIXES) and name not in OPTIONAL}


def test_every_route_has_a_declared_expectation():
    routes = project_routes()
    missing = sorted(set(routes) - set(EXPECT))
    gone = sorted(set(EXPECT) - set(routes))
    assert not missing, f"routes without an entry in EXPECT (declare who may use them): {missing}"
    assert not gone, f"EXPECT names routes that no longer exist: {gone}"
    for name, entry in EXPECT.items():
        assert ("<" in routes[name]) == (entry.obj is not None), f"{name}: obj= must be given exactly for routes with a parameter"


def path_for(route: str, obj) -> str:
    value = obj if isinstance(obj, str) else str(obj.pk)
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: value, route)


def classify(response) -> str:
    code = response.status_code
    if code == 302:
        return LOGIN if response["Location"].startswith("/accounts/login/") else OK
    return OK if code == 200 else str(code)


def add_committee_member(w):
    from logistics.models import Membership
    from logistics.roles import Role
    from logistics.tests.factories import UserFactory

    user = UserFactory(username="m_committee")
    Membership.objects.create(user=user, school=w.school, role=Role.PARENT, is_parent_committee=True)
    w.users[COMMITTEE] = user


# Routes that change the session's identity: each request gets a client logged in afresh.
FRESH_CLIENT = {"login", "logout", "password_change"}


def run_matrix(w, names) -> tuple[int, list[str]]:
    """Request every (route, method) as every user; return (cases checked, mismatches)."""
    routes = project_routes()
    checked, failures, clients = 0, [], {}

    def client_for(who, fresh):
        if fresh or who not in clients:
            client = Client()
            if who != ANON:
                client.force_login(w.users[who])
            if fresh:
                return client
            clients[who] = client
        return clients[who]

    for name in names:
        entry = EXPECT[name]
        path = path_for(routes[name], w.objects[entry.obj]) if entry.obj else "/" + routes[name]
        for method, rule in entry.methods.items():
            for who in ROLE_KEYS + [OWNER, OTHER, SUPER, ANON, *entry.principals]:
                expected = rule.expected(who, has_object=entry.obj is not None)
                fresh = name in FRESH_CLIENT
                if not fresh:
                    client = client_for(who, fresh=False)  # its session must outlive the savepoint
                with transaction.atomic():  # a savepoint, always rolled back
                    try:
                        if fresh:
                            client = client_for(who, fresh=True)
                        kwargs = {"data": entry.data(w)} if (method == "post" and entry.data) else {}
                        got = classify(getattr(client, method)(path, **kwargs))
                    except Exception as exc:  # a 500: the test client re-raises the view's exception
                        got = f"500 {type(exc).__name__}: {exc}"[:160]
                    finally:
                        transaction.set_rollback(True)
                checked += 1
                if got != expected:
                    failures.append(f"{method.upper()} {path} ({name}) as {who}: expected {expected}, got {got}")
    return checked, failures


APPS = ["core", "assets", "repairs", "canteen", "safety", "procurement"]
CASES: dict[str, int] = {}


def _names_of(app):
    return [n for n in EXPECT if (n.split(":")[0] if ":" in n else "core") == app]


@pytest.mark.parametrize("app", APPS)
def test_access_matrix(app, school, other_school):
    w = build_world(school, other_school)
    add_committee_member(w)
    checked, failures = run_matrix(w, _names_of(app))
    CASES[app] = checked
    print(f"\naccess matrix [{app}]: {len(_names_of(app))} routes, {checked} route × user × method cases")
    assert not failures, f"{len(failures)} of {checked} cases differ:\n" + "\n".join(failures)


def test_admin_is_for_staff_accounts_only(client, school):
    """Every admin route sends a school member (not is_staff) to the admin login."""
    from logistics.roles import Role
    from logistics.tests.factories import member
    from logistics.tests.urlwalk import placeholder_path

    client.force_login(member(Role.LOGISTICS_DIRECTOR, school))
    n = 0
    for name, route, converters in iter_routes():
        if not name.startswith("admin:") or name in ("admin:login", "admin:logout", "admin:jsi18n"):
            continue
        response = client.get(placeholder_path(route, converters, value=1))
        assert response.status_code in (302, 404), f"{name}: {response.status_code}"
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/"), f"{name} → {response['Location']}"
        n += 1
    assert n > 20


def test_hidden_objects_look_the_same_as_missing_ones(client, school, other_school):
    """Another school's object and an id that does not exist give the same 404 page."""
    from logistics.roles import Role
    from logistics.tests.factories import member
    from repairs.tests.factories import RepairFactory

    theirs = RepairFactory(school=other_school)
    client.force_login(member(Role.LOGISTICS_DIRECTOR, school))
    hidden = client.get(f"/repairs/{theirs.pk}/")
    missing = client.get("/repairs/99999999/")
    assert hidden.status_code == missing.status_code == 404
    assert theirs.number not in hidden.content.decode()
    assert len(hidden.content) == len(missing.content)
