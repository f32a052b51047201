"""One way to make a PDF: a Django template rendered by WeasyPrint with an embedded CJK font."""
from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    """Render ``template`` (an HTML page extending ``pdf/base.html``) to PDF bytes.

    ``pdf/base.html`` sets ``lang="zh-CN"`` and names Noto Sans CJK SC (Debian's
    ``fonts-noto-cjk``) first in its CSS, so Chinese text is drawn with a real embedded font.
    """
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
