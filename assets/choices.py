"""Statuses and kinds of the assets app, with their allowed moves and badge colours."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetStatus(models.TextChoices):
    IN_USE = "in_use", _("In use")
    IDLE = "idle", _("Idle")
    UNDER_REPAIR = "under_repair", _("Under repair")
    TO_WRITE_OFF = "to_write_off", _("To be written off")
    WRITTEN_OFF = "written_off", _("Written off")


ASSET_TRANSITIONS = {
    AssetStatus.IN_USE: {AssetStatus.IDLE, AssetStatus.UNDER_REPAIR, AssetStatus.TO_WRITE_OFF},
    AssetStatus.IDLE: {AssetStatus.IN_USE, AssetStatus.UNDER_REPAIR, AssetStatus.TO_WRITE_OFF},
    AssetStatus.UNDER_REPAIR: {AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.TO_WRITE_OFF},
    AssetStatus.TO_WRITE_OFF: {AssetStatus.WRITTEN_OFF, AssetStatus.IN_USE, AssetStatus.IDLE},
    AssetStatus.WRITTEN_OFF: set(),
}

ASSET_STATUS_BADGE = {
    AssetStatus.IN_USE: "success",
    AssetStatus.IDLE: "secondary",
    AssetStatus.UNDER_REPAIR: "warning",
    AssetStatus.TO_WRITE_OFF: "danger",
    AssetStatus.WRITTEN_OFF: "dark",
}


class AssetClass(models.TextChoices):
    FIXED = "fixed", _("Fixed asset")
    LOW_VALUE = "low_value", _("Low-value item")


class MoveKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    ISSUE = "issue", _("Issue")


class StockSource(models.TextChoices):
    MANUAL = "manual", _("By hand")
    PURCHASE = "purchase", _("Purchase")
    RETURN = "return", _("Returned")
    STOCKTAKE = "stocktake", _("Stocktake adjustment")


class DamageCause(models.TextChoices):
    NATURAL = "natural", _("Natural wear")
    ACCIDENTAL = "accidental", _("Accidental")
    DELIBERATE = "deliberate", _("Deliberate")


KEY_CATEGORY_CODE = "KEY"


class RequisitionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")


REQUISITION_TRANSITIONS = {
    RequisitionStatus.PENDING: {RequisitionStatus.ISSUED, RequisitionStatus.REFUSED},
    RequisitionStatus.ISSUED: set(),
    RequisitionStatus.REFUSED: set(),
}

REQUISITION_BADGE = {
    RequisitionStatus.PENDING: "warning",
    RequisitionStatus.ISSUED: "success",
    RequisitionStatus.REFUSED: "secondary",
}


class WriteOffStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the director")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


WRITEOFF_TRANSITIONS = {
    WriteOffStatus.PENDING: {WriteOffStatus.APPROVED, WriteOffStatus.REJECTED},
    WriteOffStatus.APPROVED: set(),
    WriteOffStatus.REJECTED: set(),
}


class StocktakeStatus(models.TextChoices):
    OPEN = "open", _("Counting")
    CLOSED = "closed", _("Closed, waiting for the director")
    CONFIRMED = "confirmed", _("Confirmed")


STOCKTAKE_TRANSITIONS = {
    StocktakeStatus.OPEN: {StocktakeStatus.CLOSED},
    StocktakeStatus.CLOSED: {StocktakeStatus.CONFIRMED, StocktakeStatus.OPEN},
    StocktakeStatus.CONFIRMED: set(),
}


class LineResult(models.TextChoices):
    PENDING = "pending", _("Not yet checked")
    FOUND = "found", _("Found")
    MISSING = "missing", _("Missing")
    DAMAGED = "damaged", _("Damaged")
    WRONG_ROOM = "wrong_room", _("In the wrong room")
