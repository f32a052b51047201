"""The pages the benchmark measures: (name, role, path). Apps add theirs in ``pages_<app>.py``."""
from __future__ import annotations

from importlib import import_module

# Every role lands on a home page of its own (cards from each app): measure each one.
HOME_ROLES = ["teacher", "logistics_staff", "repairer", "logistics_director", "canteen_manager", "accountant",
              "principal", "guard", "parent", "district_officer"]


def core_pages(ids: dict) -> list[tuple[str, str, str]]:
    return [
        *[(f"home ({role})", role, "/") for role in HOME_ROLES],
        ("notifications", "teacher", "/notifications/"),
        ("room list", "logistics_staff", "/rooms/"),
        ("room list: page 2", "logistics_staff", "/rooms/?page=2"),
        ("room detail", "logistics_staff", f"/rooms/{ids['room']}/"),
        ("password change form (base layout)", "teacher", "/accounts/password/"),
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
