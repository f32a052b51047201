"""One way to make a PDF: a Django template rendered by WeasyPrint with an embedded CJK font."""
from __future__ import annotations

import logging
import os
import time

from django.conf import settings
from django.template.loader import render_to_string

log = logging.getLogger(__name__)
_warmed_in: int | None = None  # the process id that has warmed up


def render_pdf(template: str, context: dict) -> bytes:
    """Render ``template`` (an HTML page extending ``pdf/base.html``) to PDF bytes.

    ``pdf/base.html`` sets ``lang="zh-CN"`` and names Noto Sans CJK SC (Debian's
    ``fonts-noto-cjk``) first in its CSS, so Chinese text is drawn with a real embedded font.
    """
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def warm_up() -> float:
    """Pay WeasyPrint's once-per-process costs now: import it (about a second), load fontconfig and
    the CJK font, parse the user-agent stylesheets and lay out a table, by rendering a one-page PDF
    in the house style (``pdf/warm_up.html``). A Celery worker does this when it starts
    (``logistics.celery``), so the first report a user asks for costs what every later one costs.
    Done once per process; returns the seconds it took (0 when already done)."""
    global _warmed_in
    if _warmed_in == os.getpid():
        return 0.0
    started = time.perf_counter()
    render_pdf("pdf/warm_up.html", {})
    _warmed_in = os.getpid()
    return time.perf_counter() - started


def warm_up_quietly() -> None:
    """``warm_up`` for a starting worker: a failure is logged, never fatal (the report that needs
    WeasyPrint will then fail with the real error, where a user sees it)."""
    try:
        seconds = warm_up()
    except Exception:
        log.warning("could not warm up WeasyPrint", exc_info=True)
        return
    if seconds:
        log.info("WeasyPrint warmed up in %.2f s", seconds)
