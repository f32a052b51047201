"""Safety pages: my inspections today, inspection detail (30 items), hazard lists and detail, visitors."""
from __future__ import annotations


def pages(ids: dict) -> list[tuple[str, str, str]]:
    pages = [
        ("inspections today (staff)", "logistics_staff", "/safety/"),
        ("inspection detail (30 items)", "logistics_director", f"/safety/inspections/{ids['inspection']}/"),
        ("hazard list", "logistics_director", "/safety/hazards/"),
        ("hazard list: open", "logistics_director", "/safety/hazards/?status=open"),
        ("visitor register", "guard", "/safety/visitors/"),
    ]
    if ids.get("hazard"):
        pages.insert(4, ("hazard detail", "logistics_director", f"/safety/hazards/{ids['hazard']}/"))
    return pages
