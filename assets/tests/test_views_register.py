"""Register pages: filters, fixed query counts, Excel export, QR card, label PDF, forms, permissions."""
import io
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assets.choices import AssetClass, AssetStatus
from assets.models import Asset
from assets.tests.factories import AssetFactory, category
from logistics.roles import Role
from logistics.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def categories(db):
    category()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_is_fixed_and_filters_apply(login_as, school, make_member):
    client = login_as(Role.LOGISTICS_STAFF)
    room = RoomFactory(school=school, custodian=client.user)
    AssetFactory(school=school, room=room, custodian=client.user, name="投影仪")
    url = reverse("assets:asset_list")
    client.get(url)
    small = _count(client, url)
    AssetFactory.create_batch(60, school=school, room=room, custodian=make_member(Role.TEACHER))
    assert _count(client, url) == small
    response = client.get(url, {"name": "投影", "room": room.pk, "status": AssetStatus.IN_USE})
    assert [a.name for a in response.context["object_list"]] == ["投影仪"]
    response = client.get(url, {"category": "A0201"})  # prefix of 台式计算机 A02010105
    assert response.context["paginator"].count == 61


def test_export_is_the_filtered_list(login_as, school):
    client = login_as(Role.LOGISTICS_DIRECTOR)
    AssetFactory(school=school, name="钢琴", unit_price=Decimal("12000"), original_value=Decimal("12000"))
    AssetFactory(school=school, name="课桌")
    response = client.get(reverse("assets:asset_export"), {"name": "钢琴"})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "资产编号"
    assert len(rows) == 2 and rows[1][1] == "钢琴" and rows[1][7] == 12000


def test_card_shows_qr_and_history_and_other_school_is_404(login_as, school, other_school):
    client = login_as(Role.LOGISTICS_STAFF)
    asset = AssetFactory(school=school)
    response = client.get(reverse("assets:asset_detail", args=[asset.pk]))
    assert b"data:image/svg+xml;base64," in response.content
    assert response.context["qr"]
    other = AssetFactory(school=other_school)
    assert client.get(reverse("assets:asset_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("assets:asset_update", args=[other.pk])).status_code == 404


def test_wrong_role_is_403(login_as, school):
    asset = AssetFactory(school=school)
    parent = login_as(Role.PARENT)
    for url in (reverse("assets:asset_list"), reverse("assets:asset_detail", args=[asset.pk]), reverse("assets:asset_export")):
        assert parent.get(url).status_code == 403
    teacher = login_as(Role.TEACHER)
    assert teacher.get(reverse("assets:asset_create")).status_code == 403
    assert teacher.post(reverse("assets:asset_update", args=[asset.pk]), {"name": "x"}).status_code == 403
    assert teacher.get(reverse("assets:settings_edit")).status_code == 403


def test_create_and_edit_through_forms(login_as, school):
    client = login_as(Role.LOGISTICS_STAFF)
    cat = category("A02010105")
    data = {"name": "台式计算机", "category": cat.pk, "unit_price": "800", "unit": "台"}
    response = client.post(reverse("assets:asset_create"), data)
    asset = Asset.objects.get()
    assert response.status_code == 302 and asset.asset_class == AssetClass.LOW_VALUE
    response = client.post(reverse("assets:asset_update", args=[asset.pk]), {**data, "unit_price": "5200"})
    asset.refresh_from_db()
    assert asset.asset_class == AssetClass.FIXED and asset.history.count() == 2
    bad = client.post(reverse("assets:asset_create"), {**data, "name": "坏数据", "unit_price": "-5"})
    assert bad.status_code == 200 and "坏数据" in bad.content.decode()  # input kept, error shown
    assert Asset.objects.count() == 1


def test_settings_change_the_threshold(login_as, school):
    client = login_as(Role.LOGISTICS_DIRECTOR)
    client.post(reverse("assets:settings_edit"), {"fixed_threshold": "500", "special_threshold": "800"})
    client.post(reverse("assets:asset_create"), {"name": "椅子", "category": category("A02010105").pk, "unit_price": "600"})
    assert Asset.objects.get().asset_class == AssetClass.FIXED


def test_holdings_per_room_and_person(login_as, school, make_member):
    client = login_as(Role.LOGISTICS_STAFF)
    room = RoomFactory(school=school, name="物理实验室", custodian=client.user)
    AssetFactory.create_batch(3, school=school, room=room, custodian=client.user, original_value=Decimal("2000"))
    AssetFactory(school=school, room=room, custodian=client.user, asset_class=AssetClass.LOW_VALUE, original_value=Decimal("300"))
    AssetFactory(school=school, room=room, status=AssetStatus.WRITTEN_OFF)
    RoomFactory(school=school, name="空教室")  # holds nothing: not listed
    response = client.get(reverse("assets:asset_holdings"))
    [row] = response.context["rows"]
    assert row.pk == room.pk and row.n == 4 and row.value == Decimal("6000.00")  # low-value item counted, not valued
    assert "物理实验室" in response.content.decode()
    response = client.get(reverse("assets:asset_holdings"), {"by": "person"})
    [person] = response.context["rows"]
    assert person == client.user and person.n == 4 and person.value == Decimal("6000.00")
    assert client.get(reverse("assets:asset_holdings"), {"page": "9"}).status_code == 404


def test_label_sheet_pdf_embeds_a_cjk_font(login_as, school, tmp_path):
    client = login_as(Role.LOGISTICS_STAFF)
    assets = AssetFactory.create_batch(3, school=school, name="多媒体讲台")
    response = client.get(reverse("assets:asset_labels"), {"id": [assets[0].pk, assets[1].pk]})
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "labels.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("多媒体讲台") == 2 and assets[0].number in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts


def test_school_extends_the_category_table(login_as, school, other_school):
    from assets.models import Category

    client = login_as(Role.LOGISTICS_STAFF)
    response = client.post(reverse("assets:category_create"), {"code": "a0201010501", "name": "学生机", "parent_code": "A02010105"})
    assert response.status_code == 302
    mine = Category.objects.get(school=school, code="A0201010501")
    assert mine.level == category("A02010105").level + 1
    again = client.post(reverse("assets:category_create"), {"code": "A0201010501", "name": "重复的分类"})
    assert again.status_code == 200 and "重复的分类" in again.content.decode()  # refused, typed text kept
    bad_parent = client.post(reverse("assets:category_create"), {"code": "X9", "name": "无上级", "parent_code": "NOPE"})
    assert bad_parent.status_code == 200 and not Category.objects.filter(code="X9").exists()
    listing = client.get(reverse("assets:category_list"), {"q": "学生机"})
    assert [c.code for c in listing.context["object_list"]] == ["A0201010501"]
    other = login_as(Role.LOGISTICS_STAFF, other_school)
    assert not other.get(reverse("assets:category_list"), {"q": "学生机"}).context["object_list"]  # another school's own table
    assert login_as(Role.TEACHER).post(reverse("assets:category_create"), {"code": "T1", "name": "x"}).status_code == 403


def test_the_register_filter_comes_with_the_page_only_when_in_use(login_as, school):
    """The filter form holds a select of every room and person: it is written into the page only when a
    filter is in use; otherwise opening "Filter" fetches it (?fragment=filter), or ?show_filter=1 without script."""
    client = login_as(Role.LOGISTICS_STAFF)
    asset = AssetFactory(school=school, room=RoomFactory(school=school, name="器材室"))
    url = reverse("assets:asset_list")
    plain = client.get(url).content.decode()
    assert 'name="room"' not in plain and f'hx-get="{url}?fragment=filter"' in plain and "?show_filter=1" in plain
    assert "<summary>筛选</summary>" in plain  # not the admin's 过滤器 (its catalogue outranks ours without a context)
    fragment = client.get(url + "?fragment=filter").content.decode()
    assert fragment.lstrip().startswith("<form") and 'name="room"' in fragment and "<html" not in fragment
    assert f'<option value="{asset.room_id}"' in fragment
    assert 'name="room"' in client.get(url + "?show_filter=1").content.decode()
    used = client.get(url + "?status=idle").content.decode()
    assert '<option value="idle" selected>' in used and "fragment=filter" not in used
    assert login_as(Role.PARENT).get(url + "?fragment=filter").status_code == 403


def test_holdings_figures_are_kept_until_the_school_changes(login_as, school, settings):
    """With the cache on (as in production) a page of sums is read once; a change in the school
    (any POST of a member) has the next view sum afresh, per room and per person alike."""
    from django.core.cache import cache

    settings.HOME_CACHE_SECONDS = 60
    cache.clear()
    client = login_as(Role.LOGISTICS_STAFF)
    room = RoomFactory(school=school, name="物理实验室", custodian=client.user)
    AssetFactory.create_batch(2, school=school, room=room, custodian=client.user, original_value=Decimal("2000"))

    def figures(by):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("assets:asset_holdings"), {"by": by})
        sums = sum("SUM(" in q["sql"] for q in ctx.captured_queries)
        return [(r.n, r.value) for r in response.context["rows"]], sums

    for by in ("room", "person"):
        assert figures(by) == ([(2, Decimal("4000.00"))], 1)
        assert figures(by) == ([(2, Decimal("4000.00"))], 0)  # kept
    AssetFactory(school=school, room=room, custodian=client.user, original_value=Decimal("1000"))
    assert figures("room")[1] == 0  # a change outside any request (a shell) shows once the school next changes
    assert client.post(reverse("assets:asset_create"), {}).status_code == 200  # any POST of a member, even a refused form
    for by in ("room", "person"):
        assert figures(by) == ([(3, Decimal("5000.00"))], 1)  # counted afresh
    cache.clear()


def test_card_names_the_room_its_custodian_the_department_and_the_responsible_person(login_as, school):
    from logistics.models import Department
    from logistics.tests.factories import BuildingFactory, RoomFactory, member

    client = login_as(Role.LOGISTICS_STAFF)
    keeper, teacher = member(Role.LOGISTICS_STAFF, school), member(Role.TEACHER, school)
    keeper.full_name, teacher.full_name = "李管理员", "张老师"
    keeper.save(), teacher.save()
    room = RoomFactory(school=school, building=BuildingFactory(school=school, name="实验楼"), number="201", name="物理室",
                       custodian=keeper)
    asset = AssetFactory(school=school, room=room, custodian=teacher,
                         department=Department.objects.create(school=school, name="物理组"))
    page = client.get(reverse("assets:asset_detail", args=[asset.pk])).content.decode()
    assert f">{room} <span" in page and ": 李管理员）</span>" in page  # the room's custodian beside the room
    assert ">物理组</dd>" in page and ">张老师</dd>" in page
    bare = AssetFactory(school=school)  # no room, department or person
    page = client.get(reverse("assets:asset_detail", args=[bare.pk])).content.decode()
    assert page.count(">—</dd>") >= 3


def test_filter_forms_share_the_cached_choices_and_still_validate_them(login_as, school):
    """Each filtered list builds a form whose room and person selects share the school's cached
    choices (not a deep copy of every pair); a room that is not a choice is still refused, and the
    room chosen is selected."""
    from django.http import QueryDict

    from assets.filters import AssetFilter
    from assets.models import Asset
    from assets.selectors import filter_choices

    client = login_as(Role.LOGISTICS_STAFF)
    room = RoomFactory(school=school, name="器材室")
    AssetFactory(school=school, room=room, name="篮球")
    AssetFactory(school=school, name="课桌")
    first = AssetFilter(QueryDict(f"room={room.pk}"), queryset=Asset.objects.all(), school=school)
    assert first.filters["room"].extra["choices"] == []  # nothing read until the form is built
    field = first.form.fields["room"]
    rooms = first.filters["room"].extra["choices"]
    assert rooms == filter_choices(school)[0] and [pk for pk, _label in rooms] == [room.pk]
    assert field is not first.filters["room"].field  # the form's own copy of the field …
    assert field.choices.choices is rooms and field.choices.field is field  # … sharing the list, knowing its field
    assert first.form.is_valid() and [a.name for a in first.qs] == ["篮球"]
    assert list(first.form.fields["room"].choices)[0] == ("", "---------")  # the empty choice still leads
    url = reverse("assets:asset_list")
    page = client.get(url, {"room": room.pk}).content.decode()
    assert f'<option value="{room.pk}" selected>' in page
    refused = client.get(url, {"room": 999999})
    assert refused.status_code == 200 and 'class="form-select is-invalid"' in refused.content.decode()
    assert refused.context["paginator"].count == 2  # an invalid filter lists everything, as before


def test_register_total_is_counted_once_until_the_school_changes(login_as, school, make_member, settings):
    """With the cache on (as in production) the register counts its rows once per person and filter
    (page 2 reuses the count of page 1); any change in the school counts afresh. Another person,
    or other filters, have counts of their own."""
    from django.core.cache import cache

    settings.HOME_CACHE_SECONDS = 60
    cache.clear()
    client = login_as(Role.LOGISTICS_STAFF)
    AssetFactory.create_batch(27, school=school, status=AssetStatus.IN_USE)
    AssetFactory.create_batch(2, school=school, status=AssetStatus.IDLE)
    url = reverse("assets:asset_list")

    def total(query=None):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, query or {})
        counted = sum("COUNT(" in q["sql"] and "assets_asset" in q["sql"] for q in ctx.captured_queries)
        return response.context["paginator"].count, counted

    assert total() == (29, 1)
    assert total() == (29, 0) and total({"page": 2}) == (29, 0)  # kept, whatever the page
    assert len(client.get(url, {"page": 2}).context["object_list"]) == 4
    assert total({"status": "idle"}) == (2, 1) and total({"status": "idle"}) == (2, 0)
    AssetFactory(school=school, status=AssetStatus.IDLE)
    assert client.post(reverse("assets:asset_create"), {}).status_code == 200  # any POST of a member
    assert total() == (30, 1) and total({"status": "idle"}) == (3, 1)
    other = login_as(Role.LOGISTICS_DIRECTOR)
    assert other.get(url).context["paginator"].count == 30
    cache.clear()
