"""Every upload field takes only what it should, decided by the file's content, within the size limit.

For each upload field of the five apps (repair photos, inspection photos, hazard evidence, canteen
delivery certificates, purchase attachments, the invoice file, the asset-register import):
- an .exe renamed .jpg (or .xlsx) is refused with a message, and nothing is saved;
- a 20 MB file whose content is otherwise acceptable is refused with a message about its size;
- photo fields refuse a PDF; the import refuses a zip that is not a workbook;
- control: a good file is accepted even under a misleading name ("scan.exe"), so the refusals
  above come from the content check, not from something else.
The unit tests of ``logistics.uploads.check_upload`` are at the end.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Callable

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from logistics.roles import Role
from logistics.uploads import check_upload, sniff
from tests.world import build_world

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


# --- files ---------------------------------------------------------------------------------------

def png_bytes(size=(16, 16)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["资产编号", "资产名称", "分类代码", "单价", "取得日期", "存放地点"])
    ws.append(["", "投影仪", "A02010105", 3200, "2024-03-05", "三年级二班"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run in DOS mode.\r\n" * 50
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def exe_as(name):
    return SimpleUploadedFile(name, EXE, content_type="image/jpeg")


def huge(name, head: bytes):
    """An acceptable file padded to 20 MB (PNG and PDF readers ignore the trailing bytes)."""
    return SimpleUploadedFile(name, head + b"\0" * (20 * MB), content_type="application/octet-stream")


def good_png(name="scan.exe"):
    return SimpleUploadedFile(name, png_bytes(), content_type="application/octet-stream")


# --- the fields ----------------------------------------------------------------------------------

@dataclass
class Field:
    name: str
    user: str  # role key in world.users
    submit: Callable  # (world, client, upload) → response
    saved: Callable  # (world) → bool: did the upload end up stored?
    stored: Callable  # (world) → the FieldFile that was stored
    images_only: bool = True
    bad_name: str = "photo.jpg"


def _repair(w, c, f):
    return c.post("/repairs/new/", {"room": w.objects["room"].pk, "description": "UPLOADTEST 灯坏了", "urgency": "normal", "photos": [f]})


def _repair_saved(w):
    from repairs.models import Repair

    return Repair.objects.filter(description="UPLOADTEST 灯坏了").exists()


def _item(w, c, f):
    return c.post(f"/safety/items/{w.objects['inspectionitem'].pk}/record/", {"result": "ok", "note": "", "photo": f})


def _item_saved(w):
    w.objects["inspectionitem"].refresh_from_db()
    return bool(w.objects["inspectionitem"].photo)


def _rectify(w, c, f):
    return c.post(f"/safety/hazards/{w.objects['hazard'].pk}/rectify/", {"note": "已加固扶手", "photo": f})


def _rectify_saved(w):
    w.objects["hazard"].refresh_from_db()
    return bool(w.objects["hazard"].closing_photo)


def _receiving(w, c, f):
    supplier = w.objects["receiving"].supplier
    return c.post("/canteen/receiving/new/", {
        "supplier": supplier.pk, "received_on": timezone.localdate().isoformat(), "item": "UPLOADTEST 面粉", "quantity": "10",
        "unit": "kg", "unit_price": "4.50", "batch": "B1", "shelf_life_days": "30", "certificate": f,
    })


def _receiving_saved(w):
    from canteen.models import Receiving

    return Receiving.objects.filter(item="UPLOADTEST 面粉").exists()


def _own_purchase(w):
    from procurement.tests.factories import PurchaseItemFactory, PurchaseRequestFactory

    if "own_purchase" not in w.objects:
        p = PurchaseRequestFactory(school=w.school, requester=w.users[Role.LOGISTICS_STAFF])
        PurchaseItemFactory(purchase=p)
        w.objects["own_purchase"] = p
    return w.objects["own_purchase"]


def _attach(w, c, f):
    from procurement.choices import AttachmentKind

    return c.post(f"/procurement/{_own_purchase(w).pk}/attachments/", {"kind": AttachmentKind.values[0], "file": f})


def _attach_saved(w):
    return _own_purchase(w).attachments.exists()


def _received_purchase(w):
    from procurement.models import PurchaseRequest

    p = _own_purchase(w)
    PurchaseRequest.objects.filter(pk=p.pk).update(status="received", received_at=timezone.now())
    return p


def _invoice(w, c, f):
    p = _received_purchase(w)
    return c.post(f"/procurement/{p.pk}/reimburse/", {
        "invoice_number": "INV-1", "invoice_amount": "200.00", "paid_on": timezone.localdate().isoformat(), "invoice_file": f,
    })


def _invoice_saved(w):
    p = _own_purchase(w)
    p.refresh_from_db()
    return bool(p.invoice_file)


def _stored_repair_photo(w):
    from repairs.models import Repair

    return Repair.objects.get(description="UPLOADTEST 灯坏了").photos.get().image


def _stored_certificate(w):
    from canteen.models import Receiving

    return Receiving.objects.get(item="UPLOADTEST 面粉").certificate


FIELDS = [
    Field("repair photos", Role.TEACHER, _repair, _repair_saved, _stored_repair_photo),
    Field("inspection photo", Role.LOGISTICS_STAFF, _item, _item_saved, lambda w: _item_saved(w) and w.objects["inspectionitem"].photo),
    Field("hazard evidence", Role.LOGISTICS_STAFF, _rectify, _rectify_saved, lambda w: _rectify_saved(w) and w.objects["hazard"].closing_photo),
    Field("delivery certificate", Role.CANTEEN_MANAGER, _receiving, _receiving_saved, _stored_certificate, images_only=False),
    Field("purchase attachment", Role.LOGISTICS_STAFF, _attach, _attach_saved, lambda w: _own_purchase(w).attachments.get().file,
          images_only=False),
    Field("invoice file", Role.ACCOUNTANT, _invoice, _invoice_saved, lambda w: _invoice_saved(w) and _own_purchase(w).invoice_file,
          images_only=False),
]
IDS = [f.name for f in FIELDS]


@pytest.fixture
def world(school, other_school, settings):
    settings.MAX_UPLOAD_BYTES = 10 * MB
    return build_world(school, other_school)


def client_as(w, role) -> Client:
    c = Client()
    c.force_login(w.users[role])
    c.cookies["django_language"] = "en"  # messages in English, to read them below
    return c


def errors_shown(response) -> list[str]:
    """Error texts the user sees: form errors on a re-rendered page, or error messages after a redirect."""
    out = []
    if response.status_code == 200 and response.context is not None:
        form = response.context.get("form")
        if form is not None:
            out += [str(e) for errs in form.errors.values() for e in errs]
    out += [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    return out


def assert_refused(response, field, w, *, about=None):
    assert response.status_code in (200, 302), response.status_code
    shown = errors_shown(response)
    assert shown, f"{field.name}: refused without a message"
    if about:
        assert any(about in s.lower() for s in shown), f"{field.name}: {shown}"
    assert not field.saved(w), f"{field.name}: the file was stored"


@pytest.mark.parametrize("field", FIELDS, ids=IDS)
def test_exe_renamed_jpg_is_refused(field, world):
    w = world
    assert_refused(field.submit(w, client_as(w, field.user), exe_as(field.bad_name)), field, w)


@pytest.mark.parametrize("field", FIELDS, ids=IDS)
def test_twenty_megabytes_are_refused(field, world):
    w = world
    response = field.submit(w, client_as(w, field.user), huge("photo.png", png_bytes()))
    assert_refused(response, field, w, about="large")


@pytest.mark.parametrize("field", [f for f in FIELDS if f.images_only], ids=[f.name for f in FIELDS if f.images_only])
def test_photo_fields_refuse_a_pdf(field, world):
    w = world
    assert_refused(field.submit(w, client_as(w, field.user), SimpleUploadedFile("photo.jpg", PDF)), field, w)


@pytest.mark.parametrize("field", FIELDS, ids=IDS)
def test_good_file_under_a_misleading_name_is_accepted(field, world):
    w = world
    response = field.submit(w, client_as(w, field.user), good_png("scan.exe"))
    assert response.status_code == 302, errors_shown(response)
    assert not errors_shown(response), errors_shown(response)
    assert field.saved(w)


@pytest.mark.parametrize("field", FIELDS, ids=IDS)
def test_stored_file_opens_for_its_school_only(field, world):
    """The link on the page works for a member of the school and is a 404 for another school."""
    from tests.world import OTHER

    w = world
    assert field.submit(w, client_as(w, field.user), good_png("IMG_0001.png")).status_code == 302
    stored = field.stored(w)
    url = stored.url
    mine = client_as(w, field.user).get(url)
    assert mine.status_code == 200, f"{field.name}: {url} → {mine.status_code}"
    with stored.open("rb") as fh:
        assert b"".join(mine.streaming_content) == fh.read()
    assert mine["Content-Type"] in ("image/png", "image/jpeg")
    assert client_as(w, OTHER).get(url).status_code == 404


def test_pdf_is_accepted_where_documents_are():
    """Certificates, attachments and invoices take PDFs (checked by ``check_upload``'s kinds)."""
    assert check_upload(SimpleUploadedFile("x.bin", PDF), kinds=("image", "pdf")) == "pdf"


# --- the asset-register import -------------------------------------------------------------------

def _import_refused(response):
    assert response.status_code == 200
    assert response.context["form"].errors.get("file"), "no message on the file field"
    assert "assets_import" not in response.wsgi_request.session


@pytest.mark.parametrize("upload", [
    pytest.param(lambda: exe_as("register.xlsx"), id="exe renamed xlsx"),
    pytest.param(lambda: SimpleUploadedFile("register.xlsx", _plain_zip()), id="zip that is not a workbook"),
    pytest.param(lambda: SimpleUploadedFile("register.xlsx", PDF), id="pdf renamed xlsx"),
    pytest.param(lambda: huge("register.xlsx", xlsx_bytes()), id="20 MB"),
])
def test_import_refuses_what_is_not_a_workbook(upload, world):
    w = world
    _import_refused(client_as(w, Role.LOGISTICS_STAFF).post("/assets/import/", {"file": upload()}))


def test_import_accepts_a_workbook_under_any_name(world):
    w = world
    response = client_as(w, Role.LOGISTICS_STAFF).post("/assets/import/", {"file": SimpleUploadedFile("台账.bin", xlsx_bytes())})
    assert response.status_code == 200 and not response.context["form"].errors
    assert "assets_import" in response.wsgi_request.session


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    return out.getvalue()


# --- check_upload itself ---------------------------------------------------------------------------

def test_check_upload_decides_by_content_not_name(settings):
    settings.MAX_UPLOAD_BYTES = 10 * MB
    assert check_upload(SimpleUploadedFile("a.exe", png_bytes())) == "image"
    assert check_upload(SimpleUploadedFile("a.jpg", PDF)) == "pdf"
    assert check_upload(SimpleUploadedFile("a.pdf", xlsx_bytes()), kinds=("xlsx",)) == "xlsx"
    for name, data, kinds in [("a.jpg", EXE, ("image", "pdf")), ("a.pdf", PDF, ("image",)), ("a.xlsx", _plain_zip(), ("xlsx",)),
                              ("a.png", png_bytes()[:40], ("image",)), ("a.png", b"", ("image",))]:
        with pytest.raises(ValidationError):
            check_upload(SimpleUploadedFile(name, data), kinds=kinds)


def test_check_upload_size_limit_and_message(settings):
    settings.MAX_UPLOAD_BYTES = 1 * MB
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("big.png", png_bytes() + b"\0" * (2 * MB)))
    assert exc.value.code == "file_too_large"
    from django.utils import translation

    with translation.override("zh-hans"):
        message = exc.value.messages[0]
    assert "big.png" in message and "1" in message


def test_uploaded_html_is_never_served_as_a_page(client, school):
    """A file whose name says .html or .svg is sent as a download, not rendered by the browser."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from repairs.models import RepairPhoto
    from repairs.tests.factories import RepairFactory

    repair = RepairFactory(school=school)
    client.force_login(repair.reporter)
    for name in ("x.html", "x.svg", "x.js"):
        path = default_storage.save(f"school_{school.pk}/test/{name}", ContentFile(b"<script>alert(1)</script>"))
        RepairPhoto.objects.create(repair=repair, image=path, thumbnail=path)
        response = client.get(f"/media/{path}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_opens_only_for_those_who_may_open_its_record(school):
    """Same school is not enough: another teacher's repair photo, or an invoice for a parent, is a 404."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from logistics.tests.factories import member
    from procurement.models import PurchaseRequest
    from procurement.tests.factories import PurchaseRequestFactory
    from repairs.models import RepairPhoto
    from repairs.tests.factories import RepairFactory

    repair = RepairFactory(school=school)
    photo = default_storage.save(f"school_{school.pk}/repairs/photos/p.png", ContentFile(png_bytes()))
    RepairPhoto.objects.create(repair=repair, image=photo, thumbnail=photo)

    def status(user, path):
        c = Client()
        c.force_login(user)
        return c.get(f"/media/{path}").status_code

    assert status(repair.reporter, photo) == 200
    assert status(member(Role.LOGISTICS_STAFF, school), photo) == 200
    assert status(member(Role.TEACHER, school), photo) == 404  # a colleague who guessed the address
    assert status(member(Role.PARENT, school), photo) == 404

    requester = member(Role.LOGISTICS_STAFF, school)
    purchase = PurchaseRequestFactory(school=school, requester=requester)
    invoice = default_storage.save(f"school_{school.pk}/procurement/invoices/i.pdf", ContentFile(PDF))
    PurchaseRequest.objects.filter(pk=purchase.pk).update(invoice_file=invoice)
    assert status(member(Role.ACCOUNTANT, school), invoice) == 200
    assert status(requester, invoice) == 200
    assert status(member(Role.PARENT, school), invoice) == 404
    assert status(member(Role.TEACHER, school), invoice) == 404


def test_files_outside_school_folders_are_only_those_of_known_records(client, school):
    """A disclosure PDF (sent only by its own view) or a stray file is not reachable through /media/."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from logistics.tests.factories import member

    client.force_login(member(Role.PRINCIPAL, school))
    stray = default_storage.save("procurement/disclosures/2026/guess.pdf", ContentFile(PDF))
    assert client.get(f"/media/{stray}").status_code == 404


def test_sniff_leaves_the_file_readable_from_the_start():
    f = SimpleUploadedFile("a.png", png_bytes())
    assert sniff(f) == "image"
    assert f.read(8) == b"\x89PNG\r\n\x1a\n"

