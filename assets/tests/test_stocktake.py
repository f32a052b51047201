"""Stocktake: frozen expected list, marking, scan = found, surplus, close, director confirms, report + PDF."""
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets import services
from assets.choices import AssetStatus, LineResult, StocktakeStatus
from assets.models import Asset, Stocktake, WriteOff
from assets.tests.factories import AssetFactory
from logistics.roles import Role
from logistics.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


def _setup(school):
    lab, office = RoomFactory(school=school, name="化学实验室"), RoomFactory(school=school, name="办公室")
    assets = AssetFactory.create_batch(4, school=school, room=lab)
    AssetFactory(school=school, room=office)
    AssetFactory(school=school, room=lab, status=AssetStatus.WRITTEN_OFF)
    return lab, office, assets


def test_full_stocktake_applies_changes_only_after_director_confirms(school, make_member):
    staff, director = make_member(Role.LOGISTICS_STAFF), make_member(Role.LOGISTICS_DIRECTOR)
    lab, office, (found, missing, damaged, moved) = _setup(school)
    st = services.start_stocktake(school, name="2026秋季盘点", rooms=[lab], by=staff)
    assert st.lines.count() == 4  # frozen: the lab's live assets only
    AssetFactory(school=school, room=lab)  # registered later: not on the list
    assert st.lines.count() == 4
    assert services.mark_found_by_scan(found, by=staff) == 1
    lines = {l.asset_id: l for l in st.lines.all()}
    services.mark_line(lines[missing.pk], result=LineResult.MISSING, by=staff)
    services.mark_line(lines[damaged.pk], result=LineResult.DAMAGED, by=staff)
    with pytest.raises(ValidationError):
        services.mark_line(lines[moved.pk], result=LineResult.WRONG_ROOM, by=staff)
    services.mark_line(lines[moved.pk], result=LineResult.WRONG_ROOM, found_room=office, by=staff)
    services.record_surplus(st, name="无标签投影仪", room=lab, by=staff)
    services.close_stocktake(st, by=staff)
    with pytest.raises(ValidationError):  # closed: results frozen
        services.mark_line(lines[found.pk], result=LineResult.MISSING, by=staff)
    assert Asset.objects.get(pk=moved.pk).room == lab  # nothing applied yet
    with pytest.raises(PermissionDenied):
        services.confirm_stocktake(st, by=staff)
    result = services.confirm_stocktake(Stocktake.objects.get(pk=st.pk), by=director)
    assert result == {"moved": 1, "damaged": 1, "missing": 1}
    assert Asset.objects.get(pk=moved.pk).room == office
    assert Asset.objects.get(pk=damaged.pk).status == AssetStatus.UNDER_REPAIR
    assert Asset.objects.get(pk=missing.pk).status == AssetStatus.TO_WRITE_OFF
    assert WriteOff.objects.filter(asset=missing).exists()
    with pytest.raises(ValidationError):  # applied once
        services.confirm_stocktake(Stocktake.objects.get(pk=st.pk), by=director)


def test_stocktake_pages_phone_flow_and_report_pdf(login_as, make_member, school, other_school, tmp_path):
    client = login_as(Role.LOGISTICS_STAFF)
    lab, office, assets = _setup(school)
    client.post(reverse("assets:stocktake_create"), {"name": "期末清点"})
    st = Stocktake.objects.get()
    assert st.lines.count() == 5
    url = reverse("assets:stocktake_detail", args=[st.pk])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    AssetFactory.create_batch(20, school=school, room=lab)
    st2 = services.start_stocktake(school, name="大", by=client.user)
    with CaptureQueriesContext(connection) as big:
        client.get(reverse("assets:stocktake_detail", args=[st2.pk]))
    assert len(big.captured_queries) == len(small.captured_queries)
    # the asset card (reached by its QR code) offers one tap to mark it found
    card = client.get(reverse("assets:asset_detail", args=[assets[0].pk]))
    assert card.context["may_count"]
    client.post(reverse("assets:asset_found", args=[assets[0].pk]))
    assert st.lines.get(asset=assets[0]).result == LineResult.FOUND
    line = st.lines.get(asset=assets[1])
    client.post(reverse("assets:stocktakeline_mark", args=[line.pk]), {"result": "missing"})
    client.post(reverse("assets:stocktake_close", args=[st.pk]))
    assert Stocktake.objects.get(pk=st.pk).status == StocktakeStatus.CLOSED
    assert client.post(reverse("assets:stocktake_confirm", args=[st.pk])).status_code == 403
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(client.get(reverse("assets:stocktake_pdf", args=[st.pk])).content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert assets[1].number in text and "期末清点" in text
    assert "CJK" in subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    other = services.start_stocktake(other_school, name="x", by=make_member(Role.LOGISTICS_STAFF, other_school))
    assert client.get(reverse("assets:stocktake_detail", args=[other.pk])).status_code == 404
    assert login_as(Role.TEACHER).get(reverse("assets:stocktake_list")).status_code == 403


def test_the_summary_is_counted_once_and_afresh_after_each_tap(login_as, school, settings):
    """With the cache on (as in production) the per-result counts are read once, and a tap on a line
    (a POST) counts them again on the next view; the list's length comes from the same counts and the
    expected number is frozen on the stocktake at the start."""
    settings.HOME_CACHE_SECONDS = 60
    client = login_as(Role.LOGISTICS_STAFF)
    _setup(school)
    client.post(reverse("assets:stocktake_create"), {"name": "期末清点"})
    st = Stocktake.objects.get()
    assert st.expected_count == 5 == st.lines.count()
    url = reverse("assets:stocktake_detail", args=[st.pk])

    def view(query=""):
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url + query)
        assert page.status_code == 200
        grouped = sum('GROUP BY' in q["sql"] and "assets_stocktakeline" in q["sql"] for q in ctx.captured_queries)
        return dict((str(v), n) for _label, v, n in page.context["summary"]), page.context["paginator"].count, grouped

    assert view() == ({"pending": 5, "found": 0, "missing": 0, "damaged": 0, "wrong_room": 0}, 5, 1)
    assert view()[2] == 0  # counted once
    line = st.lines.order_by("pk").first()
    assert client.post(reverse("assets:stocktakeline_mark", args=[line.pk]), {"result": "missing"}).status_code == 302
    counts, shown, grouped = view("?result=problems")
    assert counts["missing"] == 1 and counts["pending"] == 4 and shown == 5 and grouped == 1
    assert view("?result=missing")[1] == 1 and view("?result=found")[1] == 0
    assert f'">{st.expected_count}</td>' in client.get(reverse("assets:stocktake_list")).content.decode()  # the frozen count


def test_stocktake_rows_name_the_expected_and_the_found_room(login_as, school):
    client = login_as(Role.LOGISTICS_STAFF)
    lab, office, (found, missing, damaged, moved) = _setup(school)
    st = services.start_stocktake(school, name="期中盘点", rooms=[lab], by=client.user)
    line = st.lines.get(asset=moved)
    services.mark_line(line, result=LineResult.WRONG_ROOM, found_room=office, by=client.user)
    page = client.get(reverse("assets:stocktake_detail", args=[st.pk]), {"result": LineResult.WRONG_ROOM}).content.decode()
    row = page.split(f"{moved.number} {moved.name}", 1)[1].split("</tr>", 1)[0]
    assert str(lab) in row and str(office) in row


def test_the_stocktake_page_lists_surplus_items_with_their_room_and_note(login_as, school):
    client = login_as(Role.LOGISTICS_STAFF)
    lab, office, _assets = _setup(school)
    st = services.start_stocktake(school, name="期末盘点", by=client.user)
    services.record_surplus(st, name="无标签投影仪", room=lab, note="讲台下", by=client.user)
    services.record_surplus(st, name="旧音箱", room=None, by=client.user)
    page = client.get(reverse("assets:stocktake_detail", args=[st.pk])).content.decode()
    assert f"<li>无标签投影仪 · {lab} · 讲台下</li>" in page and "<li>旧音箱</li>" in page
    assert page.index("旧音箱") < page.index("无标签投影仪")  # newest first


def test_the_discrepancies_page_reads_its_keys_from_the_partial_index(postgres, login_as, school):
    """On PostgreSQL the "discrepancies" page can pick its 25 line ids from ``assets_stline_problems``
    (lines whose result is not "found") instead of filtering every line in id order. On a test-sized
    table the planner prefers other plans, so inside the test's transaction (rolled back after it)
    the other indexes on the stocktake are dropped and scans of the whole table are discouraged: the
    partial index is then chosen only if the page's WHERE clause implies the index's condition."""
    from assets.choices import LineResult as R

    client = login_as(Role.LOGISTICS_STAFF)
    _setup(school)
    st = services.start_stocktake(school, name="期末盘点", by=client.user)
    services.start_stocktake(school, name="复盘", by=client.user)
    for line in st.lines.order_by("pk")[:2]:
        services.mark_line(line, result=R.FOUND, by=client.user)
    ids = st.lines.exclude(result=R.FOUND).order_by("pk").values("pk")[25:50]
    sql, params = ids.query.sql_with_params()
    with postgres.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the deferred foreign-key checks before the DDL
        cursor.execute("DROP INDEX assets_stline_result, assets_stocktakeline_stocktake_id_04f045c1")
        cursor.execute("ALTER TABLE assets_stocktakeline DROP CONSTRAINT assets_stocktakeline_unique")
        cursor.execute("ANALYZE assets_stocktakeline")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "assets_stline_problems" in plan, plan
