"""Uploaded files: stored per school, served only to members of that school.

Use ``upload_to=school_upload_to("repairs/photos")`` on a FileField/ImageField of a school-owned
model: files land in ``school_<id>/repairs/photos/<random>.<ext>``, and ``/media/…`` checks that
the signed-in user belongs to school ``<id>`` before sending the file (production: nginx sends it
through ``X-Accel-Redirect`` when ``MEDIA_ACCEL_REDIRECT`` is on).
"""
from __future__ import annotations

import mimetypes
import uuid
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.utils.deconstruct import deconstructible

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


@login_required
def serve_media(request, path: str):
    parts = PurePosixPath(path).parts
    if not parts or ".." in parts or not parts[0].startswith("school_"):
        raise Http404
    try:
        school_id = int(parts[0].removeprefix("school_"))
    except ValueError:
        raise Http404 from None
    if not request.user.is_superuser and school_id not in school_ids_for(request.user):
        raise Http404
    full = (Path(settings.MEDIA_ROOT) / path).resolve()
    if not str(full).startswith(str(Path(settings.MEDIA_ROOT).resolve())) or not full.is_file():
        raise Http404
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    if getattr(settings, "MEDIA_ACCEL_REDIRECT", False):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"/protected-media/{path}"
        return response
    response = FileResponse(open(full, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
