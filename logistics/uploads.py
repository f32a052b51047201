"""Uploaded files: stored per school, served only to those who may open the record holding them.

Use ``upload_to=school_upload_to("repairs/photos")`` on a FileField/ImageField of a school-owned
model: files land in ``school_<id>/repairs/photos/<random>.<ext>``. ``/media/…`` finds the record
that holds the file (``MEDIA_RECORDS``) and sends it only to someone who may open that record
(production: nginx sends it through ``X-Accel-Redirect`` when ``MEDIA_ACCEL_REDIRECT`` is on).

What may be uploaded is decided here, by content and never by the file's name or the browser's
content type: ``check_upload(f, kinds=("image", "pdf"))`` returns the real kind ("image",
"pdf" or "xlsx") or raises a translated ``ValidationError`` (wrong type, too large, empty).
``UploadValidator(kinds=...)`` is the same rule as a form/model field validator.
"""
from __future__ import annotations

import mimetypes
import uuid
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from logistics.roles import school_ids_for
from logistics.scoping import school_of


@deconstructible
class school_upload_to:  # noqa: N801 - used like a function in model fields
    def __init__(self, subdir: str):
        self.subdir = subdir.strip("/")

    def __call__(self, instance, filename: str) -> str:
        ext = PurePosixPath(filename).suffix.lower()[:10]
        school = school_of(instance)
        return f"school_{school.pk}/{self.subdir}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other):
        return isinstance(other, school_upload_to) and other.subdir == self.subdir


# --- what may be uploaded ------------------------------------------------------------------------

# Formats Pillow must recognise for an "image": what phones and scanners produce.
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "MPO"})
KIND_LABELS = {"image": _("an image (JPEG, PNG)"), "pdf": _("a PDF"), "xlsx": _("an Excel workbook (.xlsx)")}


def _head(upload, n: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _is_image(upload) -> bool:
    from PIL import Image

    try:
        upload.seek(0)
        with Image.open(upload) as img:
            fmt = img.format
            img.verify()  # reads the whole file: a truncated or forged image fails here
        return fmt in IMAGE_FORMATS
    except Exception:  # Pillow raises many kinds (and DecompressionBombError) for non-images
        return False
    finally:
        upload.seek(0)


def _is_pdf(upload) -> bool:
    return _head(upload, 5) == b"%PDF-"


def _is_xlsx(upload) -> bool:
    if _head(upload, 4) != b"PK\x03\x04":
        return False
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as z:
            names = set(z.namelist())
        return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


SNIFFERS = {"pdf": _is_pdf, "xlsx": _is_xlsx, "image": _is_image}  # cheap checks first


def sniff(upload, kinds=("image", "pdf", "xlsx")) -> str | None:
    """The real kind of an uploaded file among ``kinds``, from its bytes; None if it is none of them."""
    for kind, test in SNIFFERS.items():
        if kind in kinds and test(upload):
            return kind
    return None


def check_upload(upload, *, kinds=("image", "pdf"), max_bytes: int | None = None) -> str:
    """Refuse a file that is empty, larger than ``MAX_UPLOAD_BYTES`` or not one of ``kinds`` by content."""
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    name = PurePosixPath(getattr(upload, "name", "") or "").name
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    if size > limit:
        raise ValidationError(
            _("%(name)s is too large: %(size)s MB, at most %(max)s MB."),
            code="file_too_large", params={"name": name, "size": f"{size / 1048576:.1f}", "max": limit // 1048576},
        )
    if size == 0:
        raise ValidationError(_("%(name)s is empty."), code="file_empty", params={"name": name})
    kind = sniff(upload, kinds)
    if kind is None:
        allowed = " / ".join(str(KIND_LABELS[k]) for k in kinds)
        raise ValidationError(
            _("%(name)s is not %(allowed)s. The file's content decides, not its name."),
            code="file_type", params={"name": name, "allowed": allowed},
        )
    return kind


@deconstructible
class UploadValidator:
    """``validators=[UploadValidator(kinds=("image", "pdf"))]`` on a form or model FileField."""

    def __init__(self, kinds=("image", "pdf"), max_bytes: int | None = None):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, upload):
        if upload:
            check_upload(upload, kinds=self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and (other.kinds, other.max_bytes) == (self.kinds, self.max_bytes)


# --- serving ----------------------------------------------------------------------------------

# Served inline under these types only; anything else (x.html, x.svg, …) is a download, so an
# uploaded file can never run as a page of the site.
INLINE_TYPES = frozenset({
    "image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/tiff", "application/pdf",
})


# Every stored file belongs to a record, and is sent only to someone who may open that record:
# holders of ``capability`` in the record's school, or (for records a person owns) the people named
# by ``owners`` while they are members of that school — a teacher who guesses the address of a photo
# on another teacher's repair request gets a 404, as for the request itself. A path no record holds
# is a 404 too (e.g. finance disclosures, which only their own download view may send).
MEDIA_RECORDS = {
    "repairs.RepairPhoto": {"fields": ("image", "thumbnail"), "capability": "repairs.view_all",
                            "owners": ("repair__reporter", "repair__assignee", "repair__owner")},
    "safety.InspectionItem": {"fields": ("photo",), "capability": "safety.view"},
    "safety.Hazard": {"fields": ("closing_photo",), "capability": "safety.view"},
    "canteen.Receiving": {"fields": ("certificate",), "capability": "canteen.view_receiving"},
    "procurement.PurchaseRequest": {"fields": ("invoice_file",), "capability": "procurement.view", "owners": ("requester",)},
    "procurement.Quote": {"fields": ("file",), "capability": "procurement.view", "owners": ("purchase__requester",)},
    "procurement.Attachment": {"fields": ("file",), "capability": "procurement.view", "owners": ("purchase__requester",)},
}


def _prefix(upload_to) -> str:
    if isinstance(upload_to, school_upload_to):
        return upload_to.subdir
    return upload_to.split("%")[0] if isinstance(upload_to, str) else ""


def visible_record_for(user, path: str):
    """The record holding the file ``path`` if ``user`` may open it, else None."""
    from django.apps import apps
    from django.db.models import Q

    from logistics.roles import can
    from logistics.scoping import school_path_of

    my_schools = school_ids_for(user)
    for label, rule in MEDIA_RECORDS.items():
        model = apps.get_model(label)
        fields = rule["fields"]
        prefixes = [_prefix(model._meta.get_field(f).upload_to) for f in fields]
        if all(p and p not in path for p in prefixes):
            continue
        holds = Q()
        for f in fields:
            holds |= Q(**{f: path})
        records = model._base_manager.filter(holds)
        if not records.exists():
            continue
        if user.is_superuser:
            return records.first()
        school_field = school_path_of(model)
        seen = Q(**{f"{school_field}__in": [sid for sid in my_schools if can(user, rule["capability"], school=sid)]})
        for owner in rule.get("owners", ()):
            seen |= Q(**{owner: user, f"{school_field}__in": my_schools})
        return records.filter(seen).first()
    return None


@require_safe
@login_required
def serve_media(request, path: str):
    parts = PurePosixPath(path).parts
    if not parts or ".." in parts or path.startswith("/"):
        raise Http404
    if visible_record_for(request.user, path) is None:
        raise Http404
    full = (Path(settings.MEDIA_ROOT) / path).resolve()
    if not str(full).startswith(str(Path(settings.MEDIA_ROOT).resolve())) or not full.is_file():
        raise Http404
    content_type = mimetypes.guess_type(full.name)[0]
    inline = content_type in INLINE_TYPES
    if not inline:
        content_type = "application/octet-stream"
    if getattr(settings, "MEDIA_ACCEL_REDIRECT", False):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"/protected-media/{path}"
    else:
        response = FileResponse(open(full, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    if not inline:
        response["Content-Disposition"] = f'attachment; filename="{full.name}"'
    return response
