"""WeasyPrint's once-per-process costs are paid when a Celery worker starts, not in the first report."""
import logging
import subprocess

import pytest
from celery.signals import worker_init, worker_process_init

from logistics import pdf


@pytest.fixture
def fresh_process(monkeypatch):
    """As if no PDF had been rendered in this process yet."""
    monkeypatch.setattr(pdf, "_warmed_in", None)


def _count_renders(monkeypatch):
    rendered = []
    real = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda template, context: rendered.append(template) or real(template, context))
    return rendered


@pytest.mark.parametrize("signal", [worker_init, worker_process_init], ids=["worker_init", "worker_process_init"])
def test_a_starting_worker_warms_up_once(signal, fresh_process, monkeypatch):
    from logistics.celery import _warm_up_pdf

    assert _warm_up_pdf in signal._live_receivers(None)  # a starting worker (or a pool's child) calls it
    rendered = _count_renders(monkeypatch)
    _warm_up_pdf(sender=None)
    _warm_up_pdf(sender=None)
    assert rendered == ["pdf/warm_up.html"]  # once per process, however many signals
    assert pdf.warm_up() == 0.0 and rendered == ["pdf/warm_up.html"]


def test_a_forked_child_warms_up_in_its_own_process(fresh_process, monkeypatch):
    rendered = _count_renders(monkeypatch)
    pdf.warm_up()
    monkeypatch.setattr(pdf, "_warmed_in", -1)  # what a child of a prefork pool sees: another process id
    assert pdf.warm_up() > 0
    assert rendered == ["pdf/warm_up.html", "pdf/warm_up.html"]


def test_the_warm_up_page_uses_the_reports_cjk_font(tmp_path):
    path = tmp_path / "warm.pdf"
    path.write_bytes(pdf.render_pdf("pdf/warm_up.html", {}))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert any("CJK" in line and " yes " in line for line in fonts.splitlines())  # the fonts the reports embed are loaded


def test_a_failed_warm_up_does_not_stop_the_worker(fresh_process, monkeypatch, caplog):
    def broken(template, context):
        raise OSError("no fonts")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    with caplog.at_level(logging.WARNING, logger="logistics.pdf"):
        pdf.warm_up_quietly()
    assert "could not warm up WeasyPrint" in caplog.text
    assert pdf._warmed_in is None  # the next report tries (and fails where a user sees it)
