"""Printed matter of the repairs app: the QR labels posted in each room (扫码报修)."""
from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.urls import reverse

from logistics.pdf import render_pdf

LABELS_MAX = 240


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data URI (no file, works in a page and in WeasyPrint)."""
    img = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def report_url(request, room) -> str:
    """The address a room's QR code opens: the fault form with the room filled in."""
    return request.build_absolute_uri(reverse("repairs:repair_create") + f"?room={room.pk}")


def room_labels_pdf(request, rooms) -> bytes:
    """An A4 sheet of labels, one per room: school, room, QR code to report a fault there."""
    labels = [{"room": room, "qr": qr_data_uri(report_url(request, room))} for room in rooms[:LABELS_MAX]]
    return render_pdf("repairs/pdf/room_labels.html", {"labels": labels, "school": request.school})
