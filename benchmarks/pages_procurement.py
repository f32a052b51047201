"""Procurement pages: purchase list, purchase detail, principal dashboard."""
from __future__ import annotations


def pages(ids: dict) -> list[tuple[str, str, str]]:
    return [
        ("purchase list", "logistics_director", "/procurement/"),
        ("purchase list: submitted", "logistics_director", "/procurement/?status=submitted"),
        ("purchase detail (reimbursed)", "logistics_director", f"/procurement/{ids['purchase']}/"),
        ("purchase detail (pending)", "principal", f"/procurement/{ids['purchase_pending']}/"),
        ("principal dashboard", "principal", "/procurement/dashboard/"),
    ]
