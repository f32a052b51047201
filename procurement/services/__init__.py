"""Every write of procurement, one function per step (see each module):

- ``purchases``: drafting, the approval path fixed at submission, signing (race-safe), attachments;
- ``receiving``: ordering, receiving by two people — the goods enter the asset register or the
  store room through ``assets.services`` — and reimbursement;
- ``budget``: budget lines and the school's approval policy;
- ``disclosure``: the monthly finance disclosure (versions, publishing, the monthly sweep).
"""
from procurement.services.budget import save_budget_line, update_policy
from procurement.services.disclosure import generate_disclosure, generate_missing_disclosures, publish_disclosure
from procurement.services.purchases import (
    add_attachment,
    add_item,
    add_quote,
    approval_path,
    approve_purchase,
    can_sign,
    choose_quote,
    create_purchase,
    current_step,
    decide_purchase,
    handled_by,
    recompute_total,
    reject_purchase,
    remove_item,
    sniff_content_type,
    submission_problems,
    submit_purchase,
    update_draft_notes,
)
from procurement.services.receiving import (
    countersign_receipt,
    enter_goods,
    order_purchase,
    record_receipt,
    reimburse_purchase,
)

__all__ = [
    "add_attachment", "add_item", "add_quote", "approval_path", "approve_purchase", "can_sign", "choose_quote",
    "countersign_receipt", "create_purchase", "current_step", "decide_purchase", "enter_goods",
    "generate_disclosure", "generate_missing_disclosures", "handled_by", "order_purchase", "publish_disclosure",
    "recompute_total", "record_receipt", "reimburse_purchase", "reject_purchase", "remove_item",
    "save_budget_line", "sniff_content_type", "submission_problems", "submit_purchase", "update_draft_notes",
    "update_policy",
]
