"""Asset pages: register list (plain, filtered, deep page), asset card, holdings, and the store room,
loans, requisitions, write-offs, categories and a whole-school stocktake (when the seed has them)."""
from __future__ import annotations


def pages(ids: dict) -> list[tuple[str, str, str]]:
    result = [
        ("asset list", "logistics_staff", "/assets/"),
        ("asset list: filtered (idle)", "logistics_staff", "/assets/?status=idle"),
        (f"asset list: page {ids['asset_deep_page']}", "logistics_staff", f"/assets/?page={ids['asset_deep_page']}"),
        ("asset detail", "logistics_staff", f"/assets/{ids['asset']}/"),
        ("asset holdings", "logistics_staff", "/assets/holdings/"),
        ("asset holdings: by person", "logistics_staff", "/assets/holdings/?by=person"),
        ("asset categories", "logistics_staff", "/assets/categories/"),
        ("asset store list", "logistics_staff", "/assets/store/"),
        ("asset loans", "logistics_staff", "/assets/loans/"),
        ("asset requisitions", "logistics_staff", "/assets/requisitions/"),
        ("asset write-offs", "logistics_director", "/assets/write-offs/"),
        ("asset stocktakes", "logistics_staff", "/assets/stocktakes/"),
    ]
    if "store_item" in ids:  # seeded since the store-room/stocktake seed was added
        result += [
            ("asset store item", "logistics_staff", f"/assets/store/{ids['store_item']}/"),
            ("asset stocktake", "logistics_staff", f"/assets/stocktakes/{ids['stocktake']}/"),
            ("asset stocktake: discrepancies, page 20", "logistics_staff", f"/assets/stocktakes/{ids['stocktake']}/?result=problems&page=20"),
        ]
    return result
