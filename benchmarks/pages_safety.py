"""Safety pages: my inspections today, the inspection records (list, filtered, deep page), one
inspection (30 items), hazard lists and detail, plans, drills, visitors, the monthly report."""
from __future__ import annotations


def pages(ids: dict) -> list[tuple[str, str, str]]:
    pages = [
        ("inspections today (staff)", "logistics_staff", "/safety/"),
        ("inspection list", "logistics_director", "/safety/inspections/"),
        ("inspection list: missed", "logistics_director", "/safety/inspections/?state=missed"),
        ("inspection list: with problems", "logistics_director", "/safety/inspections/?problems=true"),
        ("inspection list: page 100", "logistics_director", "/safety/inspections/?page=100"),
        ("inspection detail (30 items)", "logistics_director", f"/safety/inspections/{ids['inspection']}/"),
        ("hazard list", "logistics_director", "/safety/hazards/"),
        ("hazard list: open", "logistics_director", "/safety/hazards/?status=open"),
        ("safety plan list", "logistics_director", "/safety/plans/"),
        ("drill list", "logistics_director", "/safety/drills/"),
        ("visitor register", "guard", "/safety/visitors/"),
        ("visitor register: still inside", "guard", "/safety/visitors/?inside=true"),
        ("safety monthly report", "principal", "/safety/report/"),
    ]
    if ids.get("hazard"):
        pages.insert(8, ("hazard detail", "logistics_director", f"/safety/hazards/{ids['hazard']}/"))
    return pages
