"""Hostile input never breaks a page and is never rendered unescaped.

Property-based (hypothesis) over the main forms of every app and the Excel import. Each example
fills every field of the form the view itself renders (taken from the GET page, so the test
follows the form as it changes): in "deep" examples every field is valid except that every
text field carries a hostile string (script tags, attribute break-outs, SQL, emoji, 2,000+
characters), so the record is saved and shown back; in "fuzz" examples each field gets anything
(any text, NUL and control characters, negative and huge numbers, NaN, impossible dates,
another school's ids). The answer must be a form error (200/400, with the input kept) or a
success (302) — never a 500 — and afterwards the list and detail pages must not contain any
injected payload unescaped.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Callable

import pytest
from django import forms as djforms
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logistics.roles import Role
from tests.world import OTHER, build_world

pytestmark = pytest.mark.django_db

EXAMPLES = 25  # per form; the whole file stays well under two minutes on SQLite
TRIED: dict[str, int] = {}

# Payloads whose raw form must never appear in a page (they are checked for verbatim below).
XSS = [
    '<script>alert("hx1")</script>',
    '"><img src=x onerror=alert("hx2")>',
    "'><svg/onload=alert('hx3')>",
    '<a href="javascript:alert(\'hx4\')">x</a>',
    "</textarea><script>alert('hx5')</script>",
]
SQL = ["'; DROP TABLE logistics_room; --", "1' OR '1'='1", '" OR 1=1 --', "%", "_", "\\", "' UNION SELECT password FROM logistics_user --"]
WEIRD = ["😀🏫🔧", "👨‍👩‍👧‍👦" * 30, "\u202eexe.gpj", "\x00", "a\x00b", "\ufeff", "\r\n\t", "𠀀𪚥龘", "{{ 7|add:7 }}{% debug %}", "=1+1", "@SUM(A1)",
         "null", "None", "undefined", " "]
NUMBERS = ["-1", "-0.01", "0", "1e309", "-1e309", "NaN", "Infinity", "-Infinity", "9" * 30, "1" + "0" * 40, "0.000000001",
           "1,000", "¥1,234.50", "１２３", "0x10", " 5 ", "", "2147483648", "-2147483649", "9223372036854775808"]
DATES = ["2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "10000-01-01", "1900-01-01", "0001-01-01", "2026/02/30",
         "昨天", "2026-02-29T25:61", "1970-01-01T00:00:00Z", "2038-01-19 03:14:08", "-2026-01-01"]
HOSTILE_TEXT = XSS + SQL + WEIRD

anything = st.one_of(
    st.sampled_from(HOSTILE_TEXT + NUMBERS + DATES),
    st.text(max_size=300),
    st.text(min_size=2000, max_size=3000),
    st.integers(min_value=-2**70, max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
)
hostile_text = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(min_size=1, max_size=80).map(lambda t: XSS[0] + t))


def valid_value(field: djforms.Field, name: str, w):
    """A strategy for a value this field accepts (text fields: a hostile string that fits)."""
    if isinstance(field, djforms.ModelMultipleChoiceField):
        pks = list(field.queryset.values_list("pk", flat=True)[:10])
        return st.lists(st.sampled_from(pks), max_size=3).map(lambda v: [str(x) for x in v]) if pks else st.just([])
    if isinstance(field, djforms.ModelChoiceField):
        pks = list(field.queryset.values_list(field.to_field_name or "pk", flat=True)[:20])
        if not pks:
            return st.just("")
        return st.sampled_from(pks).map(str)
    if isinstance(field, djforms.TypedChoiceField) or isinstance(field, djforms.ChoiceField):
        values = [str(v) for v, _label in field.choices if v not in ("", None) and not isinstance(_label, (list, tuple))]
        return st.sampled_from(values) if values else st.just("")
    if isinstance(field, djforms.BooleanField):
        return st.sampled_from(["on", ""])
    if isinstance(field, djforms.DateTimeField):
        return st.just(timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    if isinstance(field, djforms.DateField):
        return st.just(timezone.localdate().isoformat())
    if isinstance(field, djforms.TimeField):
        return st.just("08:30")
    if isinstance(field, (djforms.DecimalField, djforms.FloatField)):
        ok = [v for v in ("1", "2.5", "4", "12", "150", "250") if _fits(field, v)]
        return st.sampled_from(ok or ["1"])
    if isinstance(field, djforms.IntegerField):
        lo = field.min_value if field.min_value is not None else 1
        hi = field.max_value if field.max_value is not None else max(lo, 10)
        return st.just(str(min(max(lo, 1), hi)))
    if isinstance(field, djforms.CharField):
        limit = field.max_length or 5000
        if limit <= 6:  # e.g. the last 4 characters of an ID
            return st.sampled_from(["1234", "12X4", "<b>"[:limit]])
        if name in ("phone",):
            return st.sampled_from(["13800138000", "<b>1</b>"])
        return hostile_text.map(lambda t: t[:limit])
    return st.just("")


def _fits(field, value: str) -> bool:
    try:
        field.clean(value)
        return True
    except djforms.ValidationError:
        return False


def fuzz_value(field: djforms.Field, w):
    other_pks = st.just("")
    if isinstance(field, djforms.ModelChoiceField):
        other_pks = st.sampled_from([str(pk) for pk in w.other_ids] or [""])
    return st.one_of(anything, other_pks, st.just("999999999"), st.just(["a", "b"]))


@dataclass
class HostileForm:
    name: str
    role: str
    form_page: Callable  # (w) → URL whose GET renders the form
    post_url: Callable  # (w) → where the form posts
    form_key: object = "form"  # name of the form in the page's context, or callable(w) → the form
    headers: dict = None  # extra request headers (htmx)
    show: Callable = lambda w: []  # (w) → [(role, URL)] of pages that show what was saved
    skip: tuple = ()  # fields left out (files: see test_uploads_content.py)


def _own_draft(w):
    from procurement.tests.factories import PurchaseItemFactory, PurchaseRequestFactory

    if "own_draft" not in w.objects:
        p = PurchaseRequestFactory(school=w.school, requester=w.users[Role.LOGISTICS_STAFF])
        PurchaseItemFactory(purchase=p)
        w.objects["own_draft"] = p
    return w.objects["own_draft"]


def _item_form():
    from safety.forms import ItemForm

    return ItemForm()


def _latest(model_path):
    def url(w):
        from django.apps import apps

        obj = apps.get_model(model_path).objects.filter(school=w.school).order_by("-pk").first()
        return [obj.get_absolute_url()] if obj else []
    return url


STAFF, DIR, CAN, PAR, GUA, T = (Role.LOGISTICS_STAFF, Role.LOGISTICS_DIRECTOR, Role.CANTEEN_MANAGER, Role.PARENT, Role.GUARD,
                                Role.TEACHER)

FORMS = [
    HostileForm("repair report", T, lambda w: "/repairs/new/", lambda w: "/repairs/new/", skip=("photos",),
                show=lambda w: [(T, "/repairs/mine/"), (STAFF, "/repairs/")] + [(STAFF, u) for u in _latest("repairs.Repair")(w)]),
    HostileForm("asset create", STAFF, lambda w: "/assets/new/", lambda w: "/assets/new/",
                show=lambda w: [(STAFF, "/assets/"), (STAFF, "/assets/holdings/")] + [(STAFF, u) for u in _latest("assets.Asset")(w)]),
    HostileForm("asset edit", STAFF, lambda w: f"/assets/{w.objects['asset'].pk}/edit/", lambda w: f"/assets/{w.objects['asset'].pk}/edit/",
                show=lambda w: [(STAFF, f"/assets/{w.objects['asset'].pk}/"), (STAFF, "/assets/")]),
    HostileForm("store receipt", STAFF, lambda w: f"/assets/store/{w.objects['storeitem'].pk}/",
                lambda w: f"/assets/store/{w.objects['storeitem'].pk}/receive/", form_key="receive_form",
                show=lambda w: [(STAFF, f"/assets/store/{w.objects['storeitem'].pk}/"), (STAFF, "/assets/store/")]),
    HostileForm("store issue", STAFF, lambda w: f"/assets/store/{w.objects['storeitem'].pk}/",
                lambda w: f"/assets/store/{w.objects['storeitem'].pk}/issue/", form_key="issue_form",
                show=lambda w: [(STAFF, f"/assets/store/{w.objects['storeitem'].pk}/")]),
    HostileForm("purchase request", STAFF, lambda w: "/procurement/new/", lambda w: "/procurement/new/",
                show=lambda w: [(STAFF, "/procurement/"), (DIR, "/procurement/")] + [(STAFF, u) for u in _latest("procurement.PurchaseRequest")(w)]),
    HostileForm("purchase item", STAFF, lambda w: f"/procurement/{_own_draft(w).pk}/", lambda w: f"/procurement/{_own_draft(w).pk}/items/",
                form_key="item_form", show=lambda w: [(STAFF, f"/procurement/{_own_draft(w).pk}/")]),
    HostileForm("canteen receiving", CAN, lambda w: "/canteen/receiving/new/", lambda w: "/canteen/receiving/new/", skip=("certificate",),
                show=lambda w: [(CAN, "/canteen/receiving/")] + [(CAN, u) for u in _latest("canteen.Receiving")(w)]),
    HostileForm("meal sample", CAN, lambda w: "/canteen/samples/new/", lambda w: "/canteen/samples/new/",
                show=lambda w: [(CAN, "/canteen/samples/")]),
    HostileForm("disinfection", CAN, lambda w: "/canteen/disinfection/new/", lambda w: "/canteen/disinfection/new/",
                show=lambda w: [(CAN, "/canteen/disinfection/")]),
    HostileForm("feedback", PAR, lambda w: "/canteen/feedback/new/", lambda w: "/canteen/feedback/new/",
                show=lambda w: [(PAR, "/canteen/feedback/"), (CAN, "/canteen/feedback/"), (PAR, "/canteen/")]),
    HostileForm("inspection item", STAFF, lambda w: f"/safety/inspections/{w.objects['inspection'].pk}/",
                lambda w: f"/safety/items/{w.objects['inspectionitem'].pk}/record/", form_key=lambda w: _item_form(), skip=("photo",),
                show=lambda w: [(STAFF, f"/safety/inspections/{w.objects['inspection'].pk}/")]),
    HostileForm("inspection item (htmx)", STAFF, lambda w: f"/safety/inspections/{w.objects['inspection'].pk}/",
                lambda w: f"/safety/items/{w.objects['inspectionitem'].pk}/record/", form_key=lambda w: _item_form(), skip=("photo",),
                headers={"HX-Request": "true"}),
    HostileForm("hazard", DIR, lambda w: f"/safety/hazards/{w.objects['hazard'].pk}/edit/", lambda w: f"/safety/hazards/{w.objects['hazard'].pk}/edit/",
                show=lambda w: [(DIR, f"/safety/hazards/{w.objects['hazard'].pk}/"), (DIR, "/safety/hazards/")]),
    HostileForm("visitor", GUA, lambda w: "/safety/visitors/new/", lambda w: "/safety/visitors/new/",
                show=lambda w: [(GUA, "/safety/visitors/"), (GUA, "/safety/visitors/?inside=1")]),
    HostileForm("room", STAFF, lambda w: "/rooms/new/", lambda w: "/rooms/new/",
                show=lambda w: [(STAFF, "/rooms/")] + [(STAFF, u) for u in _latest("logistics.Room")(w)]),
]


@pytest.fixture
def world(school, other_school):
    from logistics.tests.factories import RoomFactory
    from procurement.tests.factories import BudgetLineFactory

    w = build_world(school, other_school)
    # Ids that exist, but in the other school: a form must refuse them, not 500 and not accept them.
    w.other_ids = [RoomFactory(school=other_school).pk, BudgetLineFactory(school=other_school).pk, w.users[OTHER].pk]
    return w


def client_as(w, role) -> Client:
    c = Client()
    c.force_login(w.users[role])
    return c


def unescaped(html: str) -> list[str]:
    return [p for p in XSS if p in html]


def assert_safe_response(response, where):
    assert response.status_code in (200, 302, 400), f"{where}: HTTP {response.status_code}"
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        found = unescaped(response.content.decode(errors="replace"))
        assert not found, f"{where}: rendered unescaped {found}"


def form_fields(w, spec: HostileForm) -> dict:
    page = client_as(w, spec.role).get(spec.form_page(w))
    assert page.status_code == 200, f"{spec.name}: form page {spec.form_page(w)} → {page.status_code}"
    form = spec.form_key(w) if callable(spec.form_key) else page.context[spec.form_key]
    fields = {}
    for name, field in form.fields.items():
        if name in spec.skip or isinstance(field, djforms.FileField):
            continue
        fields[form.add_prefix(name)] = field
    assert fields, f"{spec.name}: no fields"
    return fields


@pytest.mark.parametrize("spec", FORMS, ids=[f.name for f in FORMS])
def test_hostile_input_never_breaks_a_form_and_is_escaped(spec, world):
    w = world
    fields = form_fields(w, spec)
    client = client_as(w, spec.role)
    outcomes = {"302": 0, "200/400": 0}  # 302: saved, or (workflow steps) refused with a message

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def one(data):
        deep = data.draw(st.booleans(), label="deep")
        post = {}
        for name, field in fields.items():
            strategy = valid_value(field, name, w) if deep else st.one_of(valid_value(field, name, w), fuzz_value(field, w))
            post[name] = data.draw(strategy, label=name)
        try:
            response = client.post(spec.post_url(w), post, headers=spec.headers or {})
        except Exception as exc:  # the test client re-raises a view's exception: that is a 500
            raise AssertionError(f"{spec.name}: 500 {type(exc).__name__}: {exc} for {post!r}"[:2000]) from exc
        assert_safe_response(response, f"{spec.name} POST {post!r}"[:500])
        outcomes["302" if response.status_code == 302 else "200/400"] += 1
        TRIED[spec.name] = TRIED.get(spec.name, 0) + 1

    one()
    for role, url in spec.show(w):
        response = client_as(w, role).get(url)
        assert response.status_code == 200, f"{spec.name}: {url} as {role} → {response.status_code}"
        found = unescaped(response.content.decode())
        assert not found, f"{spec.name}: {url} shows {found} unescaped"
    print(f"\nhostile input [{spec.name}]: {TRIED.get(spec.name, 0)} inputs, {outcomes}")


def test_a_refused_form_keeps_what_was_typed(world):
    """Bad input gets a message and the typed text comes back (escaped) in the form."""
    w = world
    client = client_as(w, GUA)
    response = client.post("/safety/visitors/new/", {"name": XSS[1], "id_last4": "12345678", "phone": "", "visiting": "刘主任",
                                                     "purpose": "送货"})
    assert response.status_code == 200 and response.context["form"].errors
    html = response.content.decode()
    assert "&quot;&gt;&lt;img src=x onerror=alert(&quot;hx2&quot;)&gt;" in html and XSS[1] not in html


# --- the Excel import ------------------------------------------------------------------------------

def workbook(rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["资产编号", "资产名称", "分类代码", "规格型号", "单价", "取得日期", "存放地点", "使用人", "使用部门"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _storable(text: str) -> bool:
    """openpyxl itself refuses control characters in cells, so a workbook cannot contain them."""
    return not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text)


cell = st.one_of(
    st.sampled_from([t for t in HOSTILE_TEXT + NUMBERS + DATES if _storable(t)] + ["=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0"]),
    st.text(max_size=200).filter(_storable),
    st.integers(min_value=-2**63, max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.none(),
)
good_row = st.tuples(st.just(""), st.sampled_from(XSS + ["投影仪"]), st.just("A02010105"),
                     st.sampled_from([t for t in HOSTILE_TEXT if _storable(t)]),
                     st.sampled_from(["3200", "¥1,234.50", 10]), st.sampled_from(["2019年03月05日", "2024-03-05"]),
                     st.sampled_from(XSS + ["三年级二班"]), st.sampled_from(XSS + ["王老师"]), st.sampled_from(XSS + ["语文组"]))
hostile_row = st.lists(cell, min_size=0, max_size=12)


def test_hostile_workbooks_are_previewed_or_refused_and_escaped(world):
    w = world
    client = client_as(w, STAFF)
    count = {"n": 0, "imported": 0}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(rows=st.lists(st.one_of(good_row.map(list), hostile_row), min_size=1, max_size=8), confirm=st.booleans())
    def one(rows, confirm):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = workbook(rows)
        try:
            preview = client.post("/assets/import/", {"file": SimpleUploadedFile("台账.xlsx", data)})
            assert_safe_response(preview, f"import preview {rows!r}"[:500])
            if confirm and preview.status_code == 200 and "assets_import" in client.session:
                done = client.post("/assets/import/", {"confirm": "1"})
                assert done.status_code in (200, 302), done.status_code
                count["imported"] += done.status_code == 302
        except AssertionError:
            raise
        except Exception as exc:
            raise AssertionError(f"import: 500 {type(exc).__name__}: {exc} for {rows!r}"[:2000]) from exc
        count["n"] += 1

    one()
    TRIED["excel import"] = count["n"]
    for url in ("/assets/", "/assets/holdings/", "/rooms/"):
        found = unescaped(client.get(url).content.decode())
        assert not found, f"{url} shows {found} unescaped after the import"
    print(f"\nhostile input [excel import]: {count['n']} workbooks, {count['imported']} imported")


FORMULA = '=HYPERLINK("http://evil.example","点我")'


def _xlsx_formula_cells(content: bytes) -> list:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells, "the typed text is not in the export"
    return [(c.coordinate, c.data_type) for c in cells if c.data_type != "s"]


@pytest.mark.parametrize("export", ["assets xlsx", "repairs xlsx", "repairs csv", "safety report xlsx"])
def test_exports_do_not_turn_text_into_formulas(export, world):
    """A name typed as '=HYPERLINK(...)' comes out of every export as text, not as a formula."""
    from assets.models import Asset
    from repairs.models import Repair
    from safety.models import Hazard

    w = world
    Asset.objects.filter(pk=w.objects["asset"].pk).update(name=FORMULA)
    Repair.objects.filter(pk=w.objects["repair"].pk).update(description=FORMULA)
    hazard = w.objects["hazard"]
    Hazard.objects.filter(pk=hazard.pk).update(description=FORMULA)
    url, role = {
        "assets xlsx": ("/assets/export/", STAFF),
        "repairs xlsx": ("/repairs/export/?format=xlsx", STAFF),
        "repairs csv": ("/repairs/export/", STAFF),
        "safety report xlsx": (f"/safety/report/?format=xlsx&year={hazard.found_on.year}&month={hazard.found_on.month}", DIR),
    }[export]
    response = client_as(w, role).get(url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if export.endswith("csv"):
        import csv

        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        cells = [c for row in rows for c in row if "HYPERLINK" in c]
        assert cells and all(c.startswith("'=") for c in cells), cells
    else:
        assert _xlsx_formula_cells(content) == []


def test_import_amounts_beyond_the_money_fields_are_row_errors(world):
    """Found by the property test on PostgreSQL: a price of 1e+26 was a 500 (decimal overflow)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(world, STAFF)
    rows = [["", "投影仪", "A02010105", "", 1e26, "2024-03-05", "三年级二班", "", ""],
            ["", "投影仪", "A02010105", "", "NaN", "2024-03-05", "三年级二班", "", ""],
            ["", "投影仪", "A02010105", "", "99999999999", "2024-03-05", "三年级二班", "", ""],
            ["", "投影仪", "A02010105", "", "3200", "2024-03-05", "三年级二班", "", ""]]
    response = client.post("/assets/import/", {"file": SimpleUploadedFile("台账.xlsx", workbook(rows))})
    assert response.status_code == 200
    assert [line for line, _why in response.context["errors"]] == [2, 3, 4]
    assert len(response.context["rows"]) == 1
