"""Purchase requests (请购) and their approvals (审批), receiving (验收) and reimbursement (报销),
the school's approval policy and annual budget lines."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.audit import refused
from logistics.scoping import SchoolScopedQuerySet
from logistics.uploads import school_upload_to
from procurement.choices import (
    PURCHASE_STATUS_BADGE,
    PURCHASE_TRANSITIONS,
    AttachmentKind,
    Decision,
    EventKind,
    ItemKind,
    PurchaseStatus,
    StepKind,
    StepStatus,
)

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 12, "decimal_places": 2}


def refuse_change(obj, *, action: str, message) -> None:
    """Log a refused change of an immutable record to the audit log, then raise it."""
    school = getattr(obj, "school_id", None) or getattr(getattr(obj, "purchase", None), "school_id", None)
    raise refused(message, obj=obj, action=action, school=school)


class ApprovalPolicy(models.Model):
    """A school's approval thresholds (审批权限): who must approve a purchase of a given amount,
    how many supplier quotes (比价) and when a collective decision and tender are needed."""

    school = models.OneToOneField(
        "logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="approval_policy"
    )
    principal_threshold = models.DecimalField(
        _("principal approves from (¥)"), default=Decimal("1000"), validators=[MinValueValidator(0)], **MONEY
    )
    collective_threshold = models.DecimalField(
        _("collective decision and tender from (¥)"), default=Decimal("50000"),
        validators=[MinValueValidator(0)], **MONEY,
    )
    min_quotes = models.PositiveSmallIntegerField(_("supplier quotes needed"), default=3)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval policy")
        verbose_name_plural = _("approval policies")
        ordering = ["school"]

    def __str__(self) -> str:
        return str(self.school)

    @classmethod
    def for_school(cls, school) -> ApprovalPolicy:
        obj, _created = cls.objects.get_or_create(school=school)
        return obj

    @classmethod
    def current(cls, school) -> ApprovalPolicy:
        """The school's policy for display: the defaults (unsaved) until it has one; one query."""
        return cls.objects.filter(school=school).first() or cls(school=school)


class BudgetLine(models.Model):
    """One line of the school's annual budget (预算), e.g. "2026 teaching equipment ¥80,000"."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE)
    year = models.PositiveIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("spending category"), max_length=50)
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **MONEY)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "code"], name="procurement_budget_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:budgetline_list") + f"?year={self.year}"


class PurchaseRequest(models.Model):
    """A purchase request (请购单): what is needed, why, how much, from which budget line; it
    follows the approval path fixed when it was submitted, then is ordered, received and
    reimbursed."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=120)
    reason = models.TextField(_("reason"))
    budget_line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="purchases"
    )
    requester = models.ForeignKey(USER, verbose_name=_("requester"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=PurchaseStatus.choices, default=PurchaseStatus.DRAFT, db_index=True
    )
    total = models.DecimalField(_("total"), default=Decimal("0"), **MONEY)
    over_budget = models.BooleanField(_("over budget at submission"), default=False)
    quote_justification = models.TextField(
        _("why this supplier"), blank=True,
        help_text=_("Needed when the chosen quote is not the cheapest."),
    )
    tender_record = models.TextField(_("tender record"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    ordered_at = models.DateTimeField(_("ordered at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=50, blank=True)
    invoice_amount = models.DecimalField(_("invoice amount"), null=True, blank=True, **MONEY)
    invoice_file = models.FileField(_("invoice file"), upload_to=school_upload_to("procurement/invoices"), blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reimbursed_by = models.ForeignKey(
        USER, verbose_name=_("reimbursed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "status", "-created_at"]),
            # The list's order: page 1 of a big school is an index scan, not a sort of every request.
            models.Index(fields=["school", "-created_at", "-id"], name="procurement_pr_school_created"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:purchase_detail", args=[self.pk])

    @property
    def badge(self) -> str:
        return PURCHASE_STATUS_BADGE.get(self.status, "secondary")

    def can_move_to(self, status: str) -> bool:
        return status in PURCHASE_TRANSITIONS.get(self.status, ())

    def is_editable(self) -> bool:
        return self.status == PurchaseStatus.DRAFT

    def computed_total(self) -> Decimal:
        return sum((i.line_total for i in self.items.all()), Decimal("0"))

    def needs_principal(self) -> bool:
        return self.steps.filter(kind__in=[StepKind.PRINCIPAL, StepKind.COLLECTIVE]).exists()


class PurchaseItem(models.Model):
    """One line of a request: name, specification, quantity, unit and estimated unit price."""

    purchase = models.ForeignKey(PurchaseRequest, verbose_name=_("purchase request"), on_delete=models.CASCADE,
                                 related_name="items")
    name = models.CharField(_("name"), max_length=100)
    spec = models.CharField(_("specification"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2,
                                   validators=[MinValueValidator(Decimal("0.01"))])
    unit = models.CharField(_("unit"), max_length=20)
    unit_price = models.DecimalField(_("estimated unit price"), validators=[MinValueValidator(0)], **MONEY)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.CONSUMABLE)
    asset_category_code = models.CharField(
        _("asset category code"), max_length=20, blank=True,
        help_text=_("GB/T 14885 code of the asset register, e.g. A02010105; needed for assets."),
    )
    room = models.ForeignKey("logistics.Room", verbose_name=_("room"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+", help_text=_("Where the assets will stand."))
    store_item = models.ForeignKey(
        "assets.StoreItem", verbose_name=_("store-room item"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("Empty: a new store-room item is made from the name, spec and unit."),
    )
    received_quantity = models.DecimalField(_("received quantity"), max_digits=10, decimal_places=2,
                                            default=Decimal("0"))
    # What receiving put into the register or the store room (the once-only guard and its result).
    entered_quantity = models.DecimalField(_("entered into register or store room"), max_digits=10,
                                           decimal_places=2, default=Decimal("0"))
    stock_move = models.ForeignKey("assets.StockMove", verbose_name=_("store-room ledger line"),
                                   on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assets = models.ManyToManyField("assets.Asset", verbose_name=_("assets registered"), blank=True,
                                    related_name="purchase_items")
    school_path = "purchase__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase item")
        verbose_name_plural = _("purchase items")
        ordering = ["purchase", "pk"]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}{self.unit}"

    @property
    def line_total(self) -> Decimal:
        return (self.quantity or 0) * (self.unit_price or 0)


class Quote(models.Model):
    """A supplier's quote (比价) for the whole request; one of them is chosen."""

    purchase = models.ForeignKey(PurchaseRequest, verbose_name=_("purchase request"), on_delete=models.CASCADE,
                                 related_name="quotes")
    supplier = models.CharField(_("supplier"), max_length=100)
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **MONEY)
    chosen = models.BooleanField(_("chosen"), default=False)
    file = models.FileField(_("file"), upload_to=school_upload_to("procurement/quotes"), blank=True)
    school_path = "purchase__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["amount", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["purchase"], condition=models.Q(chosen=True),
                                    name="procurement_one_chosen_quote"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} ¥{self.amount}"


class Attachment(models.Model):
    """A file attached to a request: quote, minutes, tender record, invoice (type checked by content)."""

    purchase = models.ForeignKey(PurchaseRequest, verbose_name=_("purchase request"), on_delete=models.CASCADE,
                                 related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=school_upload_to("procurement/attachments"))
    content_type = models.CharField(_("content type"), max_length=50)
    uploaded_by = models.ForeignKey(USER, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    school_path = "purchase__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["purchase", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file.name}"


class ApprovalStep(models.Model):
    """One step of a request's approval path, written when it is submitted and never recomputed:
    a later policy change does not touch requests in flight."""

    purchase = models.ForeignKey(PurchaseRequest, verbose_name=_("purchase request"), on_delete=models.CASCADE,
                                 related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=StepStatus.choices, default=StepStatus.PENDING)
    school_path = "purchase__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["purchase", "order"]
        constraints = [
            models.UniqueConstraint(fields=["purchase", "order"], name="procurement_step_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.get_kind_display()}"


class PurchaseApproval(models.Model):
    """A signed approval decision (审批签字): who, when, which step, approve or reject, note.
    Never edited or deleted: one per step (the database refuses a second)."""

    purchase = models.ForeignKey(PurchaseRequest, verbose_name=_("purchase request"), on_delete=models.PROTECT,
                                 related_name="approvals")
    step = models.OneToOneField(ApprovalStep, verbose_name=_("step"), on_delete=models.PROTECT,
                                related_name="approval")
    by = models.ForeignKey(USER, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("signed at"), auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    note = models.TextField(_("note"), blank=True)
    school_path = "purchase__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["purchase", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.step}: {self.get_decision_display()} ({self.by})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            refuse_change(self, action="procurement.approval.change", message=_("A signed approval cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_change(self, action="procurement.approval.delete", message=_("A signed approval cannot be deleted."))


class Receipt(models.Model):
    """Receiving (验收): quantities counted by one person, countersigned by a second one."""

    purchase = models.OneToOneField(PurchaseRequest, verbose_name=_("purchase request"), on_delete=models.CASCADE,
                                    related_name="receipt")
    quantities = models.JSONField(_("quantities received"), default=dict)
    recorded_by = models.ForeignKey(USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    room = models.ForeignKey("logistics.Room", verbose_name=_("room"), on_delete=models.PROTECT,
                             null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    countersigned_by = models.ForeignKey(USER, verbose_name=_("countersigned by"), on_delete=models.PROTECT,
                                         null=True, blank=True, related_name="+")
    countersigned_at = models.DateTimeField(_("countersigned at"), null=True, blank=True)
    school_path = "purchase__school"
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return str(self.purchase)


class PurchaseEvent(models.Model):
    """The request's timeline: every step, who took it, from which status to which."""

    purchase = models.ForeignKey(PurchaseRequest, verbose_name=_("purchase request"), on_delete=models.CASCADE,
                                 related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=PurchaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=PurchaseStatus.choices, blank=True)
    by = models.ForeignKey(USER, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    school_path = "purchase__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase event")
        verbose_name_plural = _("purchase events")
        ordering = ["purchase", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class Disclosure(models.Model):
    """One version of a month's finance disclosure (财务公开): the full PDF for staff and the
    canteen part for parents. Regenerating a month adds a version; none is ever replaced."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE)
    year = models.PositiveIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    file = models.FileField(_("report"), upload_to="procurement/disclosures/%Y/")
    parent_file = models.FileField(_("parent version"), upload_to="procurement/disclosures/%Y/")
    totals = models.JSONField(_("totals"), default=dict)
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    generated_by = models.ForeignKey(USER, verbose_name=_("generated by"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(USER, verbose_name=_("published by"), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("finance disclosure")
        verbose_name_plural = _("finance disclosures")
        ordering = ["-year", "-month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "month", "version"],
                                    name="procurement_disclosure_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:disclosure_list")

    @property
    def grand_total(self) -> Decimal | None:
        """The month's total spending as stored when the version was made."""
        return Decimal(self.totals["grand"]) if self.totals.get("grand") else None

    def _is_published_in_db(self) -> bool:
        return self.pk is not None and type(self).objects.filter(pk=self.pk, published_at__isnull=False).exists()

    def save(self, *args, **kwargs):
        """A published version is never changed in place (publishing itself is a conditional UPDATE)."""
        if self._is_published_in_db():
            refuse_change(self, action="procurement.disclosure.change",
                          message=_("A published disclosure cannot be changed; generate a new version."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.published_at is not None or self._is_published_in_db():
            refuse_change(self, action="procurement.disclosure.delete",
                          message=_("A published disclosure cannot be deleted."))
        return super().delete(*args, **kwargs)
