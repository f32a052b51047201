"""Canteen pages: the parent meal page and the canteen manager's main lists."""
from __future__ import annotations


def pages(ids: dict) -> list[tuple[str, str, str]]:
    return [
        ("canteen parent meal page", "parent", "/canteen/"),
        ("canteen menu list", "canteen_manager", "/canteen/menus/"),
        ("canteen menu detail", "canteen_manager", f"/canteen/menus/{ids['canteen_menu']}/"),
        ("canteen receiving list", "canteen_manager", "/canteen/receiving/"),
        ("canteen receiving detail", "canteen_manager", f"/canteen/receiving/{ids['canteen_receiving']}/"),
        ("canteen sample list", "canteen_manager", "/canteen/samples/"),
        ("canteen disinfection list", "canteen_manager", "/canteen/disinfection/"),
        ("canteen month accounts", "canteen_manager", "/canteen/accounts/"),
        ("canteen month account detail", "canteen_manager", f"/canteen/accounts/{ids['canteen_account']}/"),
        ("canteen receiving list: to sign (staff)", "logistics_staff", "/canteen/receiving/?status=pending"),
        ("canteen feedback (parent)", "parent", "/canteen/feedback/"),
        ("canteen surveys (parent)", "parent", "/canteen/surveys/"),
        ("canteen supplier list", "canteen_manager", "/canteen/suppliers/"),
    ]
