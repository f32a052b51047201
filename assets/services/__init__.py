"""Writes of the assets app: one function per step, each checking its rule on the server.

Split by sub-domain (register, store room, loans, damage and write-off, stocktake); everything other
apps and the views call is importable from ``assets.services``.

The contract other apps use (see the README assets section):
- ``register_asset(*, school, by, name, category_code, unit_price, ...) -> Asset`` — one card;
- ``register_assets(*, school, by, quantity, ...) -> list[Asset]`` — n identical items, one card each;
- ``receive_stock(item, *, quantity, by, unit_price=None, source="manual", purchase_ref="", purchase_id=None)``;
- ``store_item_for(*, school, name, unit, by, spec="", unit_price=None) -> StoreItem`` (find or create);
- ``issue_stock(item, *, quantity, by, department=None, repair=None, note="")``;
- ``record_damage(asset, *, cause, liable_person, by, repair=None, note="")``.
"""
from .common import CENT, money, quantity, record_history, refuse
from .damage import DECIDED_IS_FINAL, change_damage_amount, compensation_rule, decide_writeoff, record_damage, request_writeoff
from .loans import lend_asset, remind_overdue_loans, return_asset
from .register import (
    EDITABLE_FIELDS, WRITTEN_OFF_IS_FINAL, categories_of, category_by_code, classify, create_category, next_asset_number, refuse_if_written_off,
    register_asset, register_assets, register_many, reserve_numbers, settings_for, update_asset, update_settings,
)
from .stocktake import (
    CLOSED_IS_FINAL, CONFIRMED_IS_FINAL, close_stocktake, confirm_stocktake, mark_found_by_scan, mark_line, record_surplus,
    start_stocktake,
)
from .store import (
    can_issue, create_store_item, issue_requisition, issue_stock, receive_stock, refuse_requisition, request_requisition,
    store_item_for,
)

__all__ = [
    "CENT", "CLOSED_IS_FINAL", "CONFIRMED_IS_FINAL", "DECIDED_IS_FINAL", "EDITABLE_FIELDS", "WRITTEN_OFF_IS_FINAL",
    "can_issue", "categories_of", "category_by_code", "change_damage_amount", "classify", "close_stocktake",
    "compensation_rule", "confirm_stocktake", "create_category", "create_store_item", "decide_writeoff", "issue_requisition", "issue_stock",
    "lend_asset", "mark_found_by_scan", "mark_line", "money", "next_asset_number", "quantity", "receive_stock",
    "record_damage", "record_history", "record_surplus", "refuse", "refuse_if_written_off", "refuse_requisition",
    "register_asset", "register_assets", "register_many", "remind_overdue_loans", "request_requisition",
    "request_writeoff", "reserve_numbers", "return_asset", "settings_for", "start_stocktake", "store_item_for",
    "update_asset", "update_settings",
]
