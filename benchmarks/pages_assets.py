"""Asset pages: register list (plain, filtered, deep page), asset card, holdings."""
from __future__ import annotations


def pages(ids: dict) -> list[tuple[str, str, str]]:
    return [
        ("asset list", "logistics_staff", "/assets/"),
        ("asset list: filtered (idle)", "logistics_staff", "/assets/?status=idle"),
        (f"asset list: page {ids['asset_deep_page']}", "logistics_staff", f"/assets/?page={ids['asset_deep_page']}"),
        ("asset detail", "logistics_staff", f"/assets/{ids['asset']}/"),
        ("asset holdings", "logistics_staff", "/assets/holdings/"),
    ]
