"""Repair pages: inbox, filtered lists (page 1 and a deep page), ticket detail, director figures."""
from __future__ import annotations


def pages(ids: dict) -> list[tuple[str, str, str]]:
    deep = ids.get("repair_deep_page", 500)
    return [
        ("repair inbox", "logistics_staff", "/repairs/"),
        ("repair list: open, not taken", "logistics_staff", "/repairs/?untaken=true"),
        ("repair list: overdue", "logistics_staff", "/repairs/?overdue=true"),
        ("repair list: closed p1", "logistics_staff", "/repairs/?status=closed"),
        (f"repair list: deep page {deep}", "logistics_staff", f"/repairs/?page={deep}"),
        ("repair list: closed, deep page", "logistics_staff", f"/repairs/?status=closed&page={max(1, deep - 100)}"),
        ("my repairs (teacher)", "teacher", "/repairs/mine/"),
        ("repair detail (open)", "logistics_staff", f"/repairs/{ids['repair']}/"),
        ("repair detail (closed)", "logistics_staff", f"/repairs/{ids['repair_closed']}/"),
        ("repair figures (director)", "logistics_director", "/repairs/stats/"),
    ]
