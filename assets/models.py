"""The school property register (assets), the store room (consumables and their ledger) and damage records."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.scoping import SchoolScopedQuerySet

from .choices import ASSET_STATUS_BADGE, REQUISITION_BADGE, AssetClass, AssetStatus, DamageCause, MoveKind, LineResult, RequisitionStatus, StockSource, StocktakeStatus, WriteOffStatus

MONEY = {"max_digits": 12, "decimal_places": 2}


class CategoryQuerySet(models.QuerySet):
    def available_to(self, school):
        """National categories plus the school's own ones."""
        return self.filter(Q(school__isnull=True) | Q(school=school))


class Category(models.Model):
    """An asset category (GB/T 14885 style code). ``school`` empty = the national table."""

    school = models.ForeignKey(
        "logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="asset_categories",
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    parent_code = models.CharField(_("parent code"), max_length=20, blank=True)
    special_equipment = models.BooleanField(
        _("special equipment"), default=False, help_text=_("Uses the higher fixed-asset threshold.")
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset category")
        verbose_name_plural = _("asset categories")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(school__isnull=True), name="assets_category_national_code"),
            models.UniqueConstraint(fields=["school", "code"], name="assets_category_school_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class AssetSettings(models.Model):
    """Per-school rule of what counts as a fixed asset (unit price thresholds)."""

    school = models.OneToOneField(
        "logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="asset_settings"
    )
    fixed_threshold = models.DecimalField(_("fixed-asset threshold (¥)"), default=Decimal("1000.00"), **MONEY)
    special_threshold = models.DecimalField(
        _("fixed-asset threshold for special equipment (¥)"), default=Decimal("1500.00"), **MONEY
    )
    history = HistoricalRecords()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset settings")
        verbose_name_plural = _("asset settings")

    def __str__(self):
        return str(self.school)


class AssetCounter(models.Model):
    """The last sequence number used for a school's asset numbers in one year."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("asset number counter")
        verbose_name_plural = _("asset number counters")
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="assets_counter_school_year")]

    def __str__(self):
        return f"{self.school.code}{self.year}: {self.last}"


class Asset(models.Model):
    """One item of school property (校产) on the register: its card, number, value, place and keeper.

    Fixed assets and low-value items (低值易耗品) share the card, numbering and custody; only fixed
    assets count in the fixed-asset totals. Goods received against a purchase carry its reference.
    """

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="assets")
    number = models.CharField(_("asset number"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="assets")
    spec = models.CharField(_("spec / model"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_price = models.DecimalField(_("unit price (¥)"), **MONEY)
    original_value = models.DecimalField(_("original value (¥)"), **MONEY)
    current_value = models.DecimalField(_("current value (¥)"), **MONEY)
    asset_class = models.CharField(_("class"), max_length=20, choices=AssetClass.choices, default=AssetClass.FIXED)
    acquisition_date = models.DateField(_("acquisition date"), null=True, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=AssetStatus.choices, default=AssetStatus.IN_USE)
    # room and custodian lookups use the holding indexes below, which start with these columns
    room = models.ForeignKey(
        "logistics.Room", verbose_name=_("room"), on_delete=models.PROTECT, null=True, blank=True, related_name="assets",
        db_index=False,
    )
    department = models.ForeignKey(
        "logistics.Department", verbose_name=_("department"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="assets",
    )
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible person"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="assets_held", db_index=False,
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The purchase the asset was received against (procurement depends on assets, so only its id
    # and a readable reference are kept here).
    purchase_id = models.PositiveIntegerField(_("purchase request"), null=True, blank=True)
    purchase_ref = models.CharField(_("received against"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["school", "number"], name="assets_asset_school_number")]
        # The register pages by (school, newest first), optionally narrowed to a status: both are
        # index scans that stop after one page, and the page's ids come from the index alone.
        indexes = [
            models.Index(fields=["school", "-created_at", "-id"], name="assets_asset_school_recent"),
            models.Index(fields=["school", "status", "-created_at", "-id"], name="assets_asset_status_recent"),
            models.Index(fields=["school", "acquisition_date"]),
            # who holds what: counts and fixed-asset sums per room / person from the index alone
            models.Index(fields=["room", "status", "asset_class", "original_value"], name="assets_asset_room_holding"),
            models.Index(fields=["custodian", "school", "status", "asset_class", "original_value"],
                         name="assets_asset_person_holding"),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("assets:asset_detail", args=[self.pk])

    @property
    def is_fixed(self) -> bool:
        return self.asset_class == AssetClass.FIXED

    @property
    def status_badge(self) -> str:
        return ASSET_STATUS_BADGE.get(self.status, "secondary")


class StoreItem(models.Model):
    """A consumable kept in the store room; ``stock`` always equals the sum of its ledger lines."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="store_items")
    name = models.CharField(_("name"), max_length=200)
    spec = models.CharField(_("spec / model"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    unit_price = models.DecimalField(_("unit price (¥)"), default=Decimal("0"), **MONEY)
    stock = models.DecimalField(_("stock"), max_digits=12, decimal_places=2, default=Decimal("0"))
    low_stock_threshold = models.DecimalField(_("low-stock threshold"), max_digits=12, decimal_places=2, default=Decimal("0"))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("store-room item")
        verbose_name_plural = _("store-room items")
        ordering = ["name", "spec"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="assets_storeitem_stock_not_negative"),
            models.UniqueConstraint(fields=["school", "name", "spec"], name="assets_storeitem_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} {self.spec}".strip()

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("assets:storeitem_detail", args=[self.pk])

    @property
    def is_low(self) -> bool:
        return self.stock <= self.low_stock_threshold


class StockMove(models.Model):
    """One line of the store-room ledger: a receipt (+) or an issue (−), with the balance after it."""

    school_path = "item__school"

    item = models.ForeignKey(StoreItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(_("kind"), max_length=10, choices=MoveKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    balance_after = models.DecimalField(_("balance after"), max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(_("unit price (¥)"), null=True, blank=True, **MONEY)
    source = models.CharField(_("source"), max_length=20, choices=StockSource.choices, default=StockSource.MANUAL)
    department = models.ForeignKey(
        "logistics.Department", verbose_name=_("department"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="stock_moves",
    )
    # The repair ticket and the purchase are referenced by id only: repairs and procurement depend
    # on assets, not the other way round.
    repair_id = models.PositiveIntegerField(_("repair"), null=True, blank=True)
    purchase_id = models.PositiveIntegerField(_("purchase request"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="assets_stockmove_quantity_positive")]

    def __str__(self):
        sign = "+" if self.kind == MoveKind.RECEIPT else "−"
        return f"{self.item} {sign}{self.quantity}"

    @property
    def signed_quantity(self) -> Decimal:
        return signed_quantity(self.kind, self.quantity)


def signed_quantity(kind: str, quantity: Decimal) -> Decimal:
    """A ledger line's effect on the stock: a receipt adds its quantity, an issue takes it away."""
    return quantity if kind == MoveKind.RECEIPT else -quantity


class DamageRecord(models.Model):
    """Damage to an asset and the compensation asked of the liable person (赔偿)."""

    school_path = "asset__school"

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="damages")
    cause = models.CharField(_("cause"), max_length=20, choices=DamageCause.choices)
    liable_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person liable"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="asset_damages",
    )
    value_basis = models.DecimalField(_("value basis (¥)"), **MONEY)
    proposed_amount = models.DecimalField(_("amount by the rule (¥)"), **MONEY)
    amount = models.DecimalField(_("amount to pay (¥)"), **MONEY)
    amount_reason = models.CharField(_("reason for changing the amount"), max_length=300, blank=True)
    discipline_referral = models.BooleanField(_("referred for discipline"), default=False)
    repair_id = models.PositiveIntegerField(_("repair"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("damage record")
        verbose_name_plural = _("damage records")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.asset} {self.get_cause_display()}"

    def get_absolute_url(self):
        return self.asset.get_absolute_url()


class Requisition(models.Model):
    """领用: a member asks for store-room items; the logistics office issues or refuses."""

    school_path = "item__school"

    item = models.ForeignKey(StoreItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="requisitions")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("what for"), max_length=300)
    department = models.ForeignKey(
        "logistics.Department", verbose_name=_("department"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="requisitions",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="requisitions"
    )
    status = models.CharField(_("status"), max_length=20, choices=RequisitionStatus.choices, default=RequisitionStatus.PENDING)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_note = models.CharField(_("answer"), max_length=300, blank=True)
    stock_move = models.OneToOneField(StockMove, verbose_name=_("stock move"), on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="assets_requisition_quantity_positive")]

    def __str__(self):
        return f"{self.item} × {self.quantity}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("assets:requisition_list")

    @property
    def badge(self) -> str:
        return REQUISITION_BADGE.get(self.status, "secondary")


class Loan(models.Model):
    """An asset (e.g. a key: category KEY) lent to a person until a due date; one open loan per asset."""

    school_path = "asset__school"

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="asset_loans")
    lent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("lent by"), on_delete=models.PROTECT, related_name="+")
    lent_at = models.DateTimeField(_("lent at"), auto_now_add=True)
    due_date = models.DateField(_("due date"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("returned to"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-lent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["asset"], condition=Q(returned_at__isnull=True), name="assets_loan_one_open_per_asset"),
        ]

    def __str__(self):
        return f"{self.asset} → {self.borrower}"

    def get_absolute_url(self):
        return self.asset.get_absolute_url()

    def is_overdue(self, today=None) -> bool:
        from django.utils import timezone

        return self.returned_at is None and self.due_date < (today or timezone.localdate())


class WriteOff(models.Model):
    """报废: a request to write an asset off, decided once by the director (the decision is immutable)."""

    # The asset's school, kept on the row (``save``): the list of a school's write-offs is then one
    # index range instead of a join through all of its 20,000 assets.
    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="writeoffs")
    reason = models.CharField(_("reason"), max_length=500)
    previous_status = models.CharField(_("status before"), max_length=20, choices=AssetStatus.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=WriteOffStatus.choices, default=WriteOffStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("write-off")
        verbose_name_plural = _("write-offs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["asset"], condition=Q(status="pending"), name="assets_writeoff_one_pending_per_asset"),
        ]
        indexes = [
            models.Index(fields=["school", "-created_at", "-id"], name="assets_writeoff_recent"),
            models.Index(fields=["school", "status", "-created_at", "-id"], name="assets_writeoff_status_recent"),
        ]

    def __str__(self):
        return f"{self.asset} {self.get_status_display()}"

    def save(self, *args, **kwargs):
        self.school_id = self.asset.school_id  # always the asset's
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.asset.get_absolute_url()


class Stocktake(models.Model):
    """清点/盘点: the expected list is frozen at the start (one line per asset)."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="stocktakes")
    name = models.CharField(_("name"), max_length=200)
    rooms = models.ManyToManyField("logistics.Room", verbose_name=_("rooms"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=StocktakeStatus.choices, default=StocktakeStatus.OPEN)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The length of the expected list, frozen with it at the start (the list never grows).
    expected_count = models.PositiveIntegerField(_("expected assets"), default=0, editable=False)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("assets:stocktake_detail", args=[self.pk])


class StocktakeLine(models.Model):
    """One asset on a stocktake's frozen expected list, and what the count found."""

    school_path = "stocktake__school"

    stocktake = models.ForeignKey(Stocktake, verbose_name=_("stocktake"), on_delete=models.CASCADE, related_name="lines")
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="stocktake_lines")
    expected_room = models.ForeignKey(
        "logistics.Room", verbose_name=_("expected room"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result = models.CharField(_("result"), max_length=20, choices=LineResult.choices, default=LineResult.PENDING)
    found_room = models.ForeignKey(
        "logistics.Room", verbose_name=_("found in"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marked by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stocktake line")
        verbose_name_plural = _("stocktake lines")
        ordering = ["stocktake", "id"]  # lines are created in asset-number order
        constraints = [models.UniqueConstraint(fields=["stocktake", "asset"], name="assets_stocktakeline_unique")]
        indexes = [
            models.Index(fields=["stocktake", "result", "id"], name="assets_stline_result"),
            # "Discrepancies" (every result but found) pages through this partial index alone.
            models.Index(fields=["stocktake", "id"], condition=~Q(result=LineResult.FOUND), name="assets_stline_problems"),
        ]

    def __str__(self):
        return f"{self.asset} {self.get_result_display()}"

    def get_absolute_url(self):
        return self.stocktake.get_absolute_url()


class StocktakeSurplus(models.Model):
    """An item found that is not on the expected list (盘盈)."""

    school_path = "stocktake__school"

    stocktake = models.ForeignKey(Stocktake, verbose_name=_("stocktake"), on_delete=models.CASCADE, related_name="surplus")
    name = models.CharField(_("what"), max_length=200)
    room = models.ForeignKey("logistics.Room", verbose_name=_("room"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("surplus item")
        verbose_name_plural = _("surplus items")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name
