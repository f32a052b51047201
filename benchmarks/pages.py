"""The pages the benchmark measures: (name, role, path). Apps add theirs in ``pages_<app>.py``."""
from __future__ import annotations

from importlib import import_module


def core_pages(ids: dict) -> list[tuple[str, str, str]]:
    return [
        ("home (teacher)", "teacher", "/"),
        ("home (principal)", "principal", "/"),
        ("notifications", "teacher", "/notifications/"),
        ("room list", "logistics_staff", "/rooms/"),
        ("room detail", "logistics_staff", f"/rooms/{ids['room']}/"),
    ]


def all_pages(ids: dict) -> list[tuple[str, str, str]]:
    pages = core_pages(ids)
    for app in ("assets", "repairs", "safety", "canteen", "procurement"):
        try:
            module = import_module(f"benchmarks.pages_{app}")
        except ModuleNotFoundError:
            continue
        pages += module.pages(ids)
    return pages
