"""The canteen's records: food composition, dishes and weekly menus, food-safety logs, monthly
accounts and what parents see and say."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from canteen.choices import (
    MENU_STATUS_BADGE,
    RECEIVING_STATUS_BADGE,
    CompanionKind,
    FeedbackKind,
    Meal,
    MenuStatus,
    ReceivingStatus,
    SurveyStatus,
)
from logistics.scoping import SchoolScopedQuerySet

USER = settings.AUTH_USER_MODEL
NUTRIENTS = ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g", "calcium_mg", "iron_mg", "vitamin_a_ug", "vitamin_c_mg")


def _nutrient(label):
    return models.DecimalField(label, max_digits=8, decimal_places=2, null=True, blank=True, help_text=_("Empty = not measured (unknown)."))


class SharedOrOwnQuerySet(SchoolScopedQuerySet):
    """Rows with no school are the national tables every school uses; a school adds its own."""

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        from logistics.roles import school_ids_for

        return self.filter(Q(school__isnull=True) | Q(school__in=school_ids_for(user)))

    def for_school(self, school):
        return self.filter(Q(school__isnull=True) | Q(school=school))


class CanteenSettings(models.Model):
    """How this school's canteen runs: which meals it serves, prices, menu deadline, the pupils'
    age group for the nutrition reference, and the named food-safety officer and director."""

    school = models.OneToOneField("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="canteen_settings")
    serves_breakfast = models.BooleanField(_("serves breakfast"), default=True)
    serves_lunch = models.BooleanField(_("serves lunch"), default=True)
    serves_dinner = models.BooleanField(_("serves dinner"), default=False)
    price_breakfast = models.DecimalField(_("breakfast price"), max_digits=12, decimal_places=2, default=Decimal("3.00"))
    price_lunch = models.DecimalField(_("lunch price"), max_digits=12, decimal_places=2, default=Decimal("8.00"))
    price_dinner = models.DecimalField(_("dinner price"), max_digits=12, decimal_places=2, default=Decimal("7.00"))
    age_group = models.CharField(_("pupils' age group"), max_length=10, default="12-14", help_text=_("As in the reference intake table, e.g. 12-14."))
    menu_deadline_weekday = models.PositiveSmallIntegerField(
        _("menu deadline weekday"), default=4, help_text=_("Day of the week before by which next week's menu is published (0 = Monday, 4 = Friday).")
    )
    food_safety_officer = models.ForeignKey(USER, verbose_name=_("food-safety officer"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    food_safety_director = models.ForeignKey(USER, verbose_name=_("food-safety director"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # time objects, not strings: unsaved defaults are used as they are (settings never written on a GET)
    breakfast_end = models.TimeField(_("breakfast ends"), default=dt.time(8, 0))
    lunch_end = models.TimeField(_("lunch ends"), default=dt.time(13, 0))
    dinner_end = models.TimeField(_("dinner ends"), default=dt.time(18, 30))
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("canteen settings")
        verbose_name_plural = _("canteen settings")
        ordering = ["school"]

    def __str__(self) -> str:
        return str(self.school)

    def get_absolute_url(self) -> str:
        return reverse("canteen:menu_list")

    def meals(self) -> list[str]:
        return [m for m, on in ((Meal.BREAKFAST, self.serves_breakfast), (Meal.LUNCH, self.serves_lunch), (Meal.DINNER, self.serves_dinner)) if on]

    def price_of(self, meal: str) -> Decimal:
        return getattr(self, f"price_{meal}")

    def meal_end(self, meal: str):
        return getattr(self, f"{meal}_end")


class Ingredient(models.Model):
    """A food of the composition table, values per 100 g edible part. Rows without a school come
    from 《中国食物成分表（第6版）》; a school adds its own."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    code = models.CharField(_("code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=100)
    group = models.CharField(_("food group"), max_length=50, blank=True)
    edible_pct = models.DecimalField(_("edible part %"), max_digits=5, decimal_places=1, default=Decimal("100"))
    energy_kcal = _nutrient(_("energy (kcal)"))
    protein_g = _nutrient(_("protein (g)"))
    fat_g = _nutrient(_("fat (g)"))
    carbohydrate_g = _nutrient(_("carbohydrate (g)"))
    calcium_mg = _nutrient(_("calcium (mg)"))
    iron_mg = _nutrient(_("iron (mg)"))
    vitamin_a_ug = _nutrient(_("vitamin A (µg RAE)"))
    vitamin_c_mg = _nutrient(_("vitamin C (mg)"))
    allergens = models.CharField(_("allergens"), max_length=200, blank=True, help_text=_("Comma-separated, e.g. milk, egg, peanut."))
    source = models.CharField(_("source"), max_length=200, blank=True)
    energy_flag = models.CharField(_("energy check"), max_length=200, blank=True, help_text=_("Set at load when energy differs from 4·protein + 9·fat + 4·carbohydrate by more than 20%."))
    objects = SharedOrOwnQuerySet.as_manager()

    class Meta:
        verbose_name = _("ingredient")
        verbose_name_plural = _("ingredients")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], condition=~Q(code=""), name="canteen_ingredient_code_uniq")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("canteen:ingredient_list") + f"?q={self.name}"

    def allergen_set(self) -> set[str]:
        return {a.strip() for a in self.allergens.replace("，", ",").split(",") if a.strip()}


class NutrientReference(models.Model):
    """Daily reference intake per student (WS/T 554-2017 table 1). Rows without a school are the
    standard; a school may enter its own row for an age group (it then takes precedence)."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    age_group = models.CharField(_("age group"), max_length=10)
    sex = models.CharField(_("sex"), max_length=1, blank=True, help_text=_("M, F, or empty for both."))
    energy_kcal = models.DecimalField(_("energy (kcal)"), max_digits=8, decimal_places=2)
    protein_g = models.DecimalField(_("protein (g)"), max_digits=8, decimal_places=2)
    calcium_mg = models.DecimalField(_("calcium (mg)"), max_digits=8, decimal_places=2)
    iron_mg = models.DecimalField(_("iron (mg)"), max_digits=8, decimal_places=2)
    vitamin_a_ug = models.DecimalField(_("vitamin A (µg RAE)"), max_digits=8, decimal_places=2)
    vitamin_c_mg = models.DecimalField(_("vitamin C (mg)"), max_digits=8, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()
    objects = SharedOrOwnQuerySet.as_manager()

    class Meta:
        verbose_name = _("reference intake")
        verbose_name_plural = _("reference intakes")
        ordering = ["age_group", "sex"]

    def __str__(self) -> str:
        return f"{self.age_group} {self.sex}".strip()

    def get_absolute_url(self) -> str:
        return reverse("canteen:ingredient_list")


class Dish(models.Model):
    """A dish the canteen cooks, made of ingredients with grams per serving (edible part)."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dish")
        verbose_name_plural = _("dishes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("canteen:dish_detail", args=[self.pk])


class DishIngredient(models.Model):
    """One ingredient of a dish: grams of edible part per serving."""

    dish = models.ForeignKey(Dish, verbose_name=_("dish"), on_delete=models.CASCADE, related_name="parts")
    ingredient = models.ForeignKey(Ingredient, verbose_name=_("ingredient"), on_delete=models.PROTECT, related_name="+")
    grams = models.DecimalField(_("grams per serving"), max_digits=7, decimal_places=1)
    history = HistoricalRecords()
    school_path = "dish__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dish ingredient")
        verbose_name_plural = _("dish ingredients")
        ordering = ["dish", "-grams"]
        constraints = [models.CheckConstraint(condition=Q(grams__gt=0), name="canteen_dishingredient_grams_pos")]

    def __str__(self) -> str:
        return f"{self.ingredient} {self.grams} g"


class WeekMenu(models.Model):
    """The menu of one school week. Published revisions are frozen; a change makes a new revision."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(_("week starting (Monday)"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = models.CharField(pgettext_lazy("canteen", "status"), max_length=20, choices=MenuStatus.choices, default=MenuStatus.DRAFT)
    reason = models.CharField(_("reason for the revision"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(USER, verbose_name=_("approved by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    nutrition_snapshot = models.JSONField(
        _("dishes and nutrition as approved"), null=True, blank=True, editable=False,
        help_text=_("Kept at approval, so a published week stays as it was approved."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["nutrition_snapshot"])
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("weekly menu")
        verbose_name_plural = _("weekly menus")
        ordering = ["-week_start", "-revision"]
        constraints = [models.UniqueConstraint(fields=["school", "week_start", "revision"], name="canteen_weekmenu_uniq")]

    def __str__(self) -> str:
        return f"{self.week_start:%Y-%m-%d} r{self.revision}"

    def get_absolute_url(self) -> str:
        return reverse("canteen:menu_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status in (MenuStatus.PUBLISHED, MenuStatus.SUPERSEDED)

    @property
    def badge(self) -> str:
        return MENU_STATUS_BADGE.get(self.status, "secondary")


class MenuItem(models.Model):
    """One dish served at one meal of one day of a weekly menu."""

    menu = models.ForeignKey(WeekMenu, verbose_name=_("menu"), on_delete=models.CASCADE, related_name="items")
    day = models.DateField(_("day"))
    meal = models.CharField(_("meal"), max_length=20, choices=Meal.choices)
    dish = models.ForeignKey(Dish, verbose_name=_("dish"), on_delete=models.PROTECT, related_name="+")
    school_path = "menu__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")
        ordering = ["day", "meal", "pk"]

    def __str__(self) -> str:
        return f"{self.day} {self.get_meal_display()} {self.dish}"


class MenuEvent(models.Model):
    """A decision on a weekly menu: created, approved, published, revised (the audit trail)."""

    menu = models.ForeignKey(WeekMenu, verbose_name=_("menu"), on_delete=models.CASCADE, related_name="events")
    by = models.ForeignKey(USER, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(pgettext_lazy("canteen", "from"), max_length=20, blank=True)
    to_status = models.CharField(pgettext_lazy("canteen", "to"), max_length=20)
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    school_path = "menu__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("menu event")
        verbose_name_plural = _("menu events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.menu} {self.to_status}"

    @property
    def from_label(self):
        return MenuStatus(self.from_status).label if self.from_status in MenuStatus.values else self.from_status

    @property
    def to_label(self):
        return MenuStatus(self.to_status).label if self.to_status in MenuStatus.values else self.to_status


class Supplier(models.Model):
    """A food supplier with its business/food licence (索证)."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    licence_number = models.CharField(_("licence number"), max_length=50)
    licence_expiry = models.DateField(_("licence expiry"))
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("canteen:supplier_list")


class Receiving(models.Model):
    """Food receiving (食物验收, 索证索票): one delivered item, checked and signed by two people."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey(Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="receivings")
    received_on = models.DateField(_("received on"))
    item = models.CharField(_("item"), max_length=100)
    ingredient = models.ForeignKey(Ingredient, verbose_name=_("ingredient"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, default="kg")
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    batch = models.CharField(_("batch"), max_length=50, blank=True)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), default=7)
    certificate = models.FileField(_("certificate or inspection report"), upload_to="canteen/certificates/%Y/%m/", blank=True)
    status = models.CharField(pgettext_lazy("canteen", "status"), max_length=20, choices=ReceivingStatus.choices, default=ReceivingStatus.PENDING)
    checked_by = models.ForeignKey(USER, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(USER, verbose_name=_("second signer"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    committee_member = models.ForeignKey(
        USER, verbose_name=_("parents' committee member present"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    committee_note = models.CharField(_("committee member's remarks"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("food receiving")
        verbose_name_plural = _("food receiving")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["school", "received_on", "status"])]

    def __str__(self) -> str:
        return f"{self.received_on} {self.item}"

    def get_absolute_url(self) -> str:
        return reverse("canteen:receiving_detail", args=[self.pk])

    @property
    def badge(self) -> str:
        return RECEIVING_STATUS_BADGE.get(self.status, "secondary")

    @property
    def is_final(self) -> bool:
        """Signed (accepted) or rejected: the record can no longer change."""
        return self.status != ReceivingStatus.PENDING


SAMPLE_HOURS = 48  # a retained sample is kept at least this long (中小学校食堂留样 ≥ 48 小时)


def sample_keep_until(taken_at):
    """Not to be discarded before this time: the one place of the 48-hour rule (the model, the
    discard service and the list rows, which read plain values, all ask here)."""
    return taken_at + dt.timedelta(hours=SAMPLE_HOURS)


class MealSample(models.Model):
    """A retained sample (留样) of one dish of one meal: ≥ 125 g, refrigerated, kept ≥ 48 h."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    meal = models.CharField(_("meal"), max_length=20, choices=Meal.choices)
    dish = models.ForeignKey(Dish, verbose_name=_("dish"), on_delete=models.PROTECT, related_name="+")
    weight_g = models.DecimalField(_("weight (g)"), max_digits=6, decimal_places=1)
    fridge_temp_c = models.DecimalField(_("fridge temperature (°C)"), max_digits=4, decimal_places=1)
    taken_at = models.DateTimeField(_("time in"))
    taken_by = models.ForeignKey(USER, verbose_name=_("taken by"), on_delete=models.PROTECT, related_name="+")
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True)
    discarded_by = models.ForeignKey(USER, verbose_name=_("discarded by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("meal sample")
        verbose_name_plural = _("meal samples")
        ordering = ["-day", "meal", "dish"]
        # The sample list's order (newest day, then time in): a page reads 25 entries of this index
        # instead of sorting every sample of the school (7 ms on SQLite for 7,000 samples).
        indexes = [models.Index(fields=["school", "-day", "-taken_at", "-id"], name="canteen_sample_school_recent")]
        constraints = [
            models.UniqueConstraint(fields=["school", "day", "meal", "dish"], name="canteen_sample_uniq"),
            models.CheckConstraint(condition=Q(weight_g__gte=125), name="canteen_sample_min_weight", violation_error_message=_("A sample must weigh at least 125 g.")),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_meal_display()} {self.dish}"

    def get_absolute_url(self) -> str:
        return reverse("canteen:sample_list")

    @property
    def keep_until(self):
        """Not to be discarded before this time (48 hours after it was taken)."""
        return sample_keep_until(self.taken_at)


class DisinfectionMethod(models.Model):
    """A tableware disinfection method and its national minimums (data, not code)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    min_temp_c = models.DecimalField(_("minimum temperature (°C)"), max_digits=5, decimal_places=1, null=True, blank=True)
    min_seconds = models.PositiveIntegerField(_("minimum time (s)"))
    min_concentration_mg_l = models.DecimalField(_("minimum concentration (mg/L)"), max_digits=7, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("disinfection method")
        verbose_name_plural = _("disinfection methods")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self):
        """The translated name of a national method; a method added as data keeps its own name."""
        from canteen.choices import DISINFECTION_LABELS

        return DISINFECTION_LABELS.get(self.code, self.name)

    def minimum_text(self) -> str:
        parts = []
        if self.min_temp_c is not None:
            parts.append(f"≥ {self.min_temp_c.normalize():f} °C")
        parts.append(f"≥ {self.min_seconds} s")
        if self.min_concentration_mg_l is not None:
            parts.append(f"≥ {self.min_concentration_mg_l.normalize():f} mg/L")
        return " · ".join(parts)


class DisinfectionLog(models.Model):
    """One batch of tableware disinfected; below the method's minimum it is flagged and redone."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    method = models.ForeignKey(DisinfectionMethod, verbose_name=_("method"), on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(_("time"))
    batch = models.CharField(_("batch"), max_length=50)
    temp_c = models.DecimalField(_("temperature (°C)"), max_digits=5, decimal_places=1, null=True, blank=True)
    seconds = models.PositiveIntegerField(_("duration (s)"))
    concentration_mg_l = models.DecimalField(_("concentration (mg/L)"), max_digits=7, decimal_places=1, null=True, blank=True)
    by = models.ForeignKey(USER, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    below_minimum = models.BooleanField(_("below minimum"), default=False)
    redo_of = models.OneToOneField("self", verbose_name=_("re-disinfection of"), on_delete=models.PROTECT, null=True, blank=True, related_name="redone_by")
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("disinfection log")
        verbose_name_plural = _("disinfection logs")
        ordering = ["-done_at", "-pk"]
        # the log's page: newest batches of one school (without it, every batch was joined and sorted)
        indexes = [models.Index(fields=["school", "-done_at", "-id"], name="canteen_disinf_school_done")]

    def __str__(self) -> str:
        return f"{self.done_at:%Y-%m-%d %H:%M} {self.batch}"

    def get_absolute_url(self) -> str:
        return reverse("canteen:disinfection_list")


class CloseUpCheck(models.Model):
    """The canteen's close-of-day check: gas, power, water off, doors locked."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    gas_off = models.BooleanField(_("gas off"))
    power_off = models.BooleanField(_("power off"))
    water_off = models.BooleanField(_("water off"))
    doors_locked = models.BooleanField(_("doors locked"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(USER, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("close-up check")
        verbose_name_plural = _("close-up checks")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["school", "day"], name="canteen_closeup_uniq")]

    def __str__(self) -> str:
        return str(self.day)


class HealthCertificate(models.Model):
    """A canteen worker's health certificate (健康证); alerts 30 days before expiry."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    staff_name = models.CharField(_("staff name"), max_length=50)
    number = models.CharField(_("certificate number"), max_length=50)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("health certificate")
        verbose_name_plural = _("health certificates")
        ordering = ["expires_on"]

    def __str__(self) -> str:
        return f"{self.staff_name} {self.number}"


class TrainingRecord(models.Model):
    """A food-safety training session of canteen staff."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    topic = models.CharField(_("topic"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    trainer = models.CharField(_("trainer"), max_length=50, blank=True)
    attendees = models.TextField(_("attendees"))
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-day"]

    def __str__(self) -> str:
        return self.topic


class AccompaniedMeal(models.Model):
    """A leader or a parents' committee member eating with the pupils (陪餐) and what they found."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    meal = models.CharField(_("meal"), max_length=20, choices=Meal.choices)
    companion = models.ForeignKey(USER, verbose_name=_("companion"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("as"), max_length=20, choices=CompanionKind.choices)
    observations = models.TextField(_("observations"))
    issues = models.TextField(_("issues raised"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("accompanied meal")
        verbose_name_plural = _("accompanied meals")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day} {self.companion}"


class MonthAccount(models.Model):
    """The canteen's account of one month (伙食盈亏): meal-fee income, food cost from the accepted
    receiving records, other costs. Closed months (日清月结) are frozen; published ones parents see."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    students = models.PositiveIntegerField(_("students"), default=0)
    days = models.PositiveSmallIntegerField(_("school days"), default=0)
    price_per_day = models.DecimalField(_("meal fee per day"), max_digits=12, decimal_places=2, default=Decimal("0"))
    income_entered = models.DecimalField(
        _("income entered"), max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("Leave empty to compute students × days × fee.")
    )
    other_cost = models.DecimalField(_("other costs"), max_digits=12, decimal_places=2, default=Decimal("0"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    food_cost_closed = models.DecimalField(_("food cost at closing"), max_digits=12, decimal_places=2, null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("canteen", "closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(USER, verbose_name=_("closed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("month account")
        verbose_name_plural = _("month accounts")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "month"], name="canteen_month_uniq"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="canteen_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def get_absolute_url(self) -> str:
        return reverse("canteen:account_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Feedback(models.Model):
    """A suggestion or complaint from a parent, teacher or student, and the canteen's reply."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(USER, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices, default=FeedbackKind.SUGGESTION)
    text = models.TextField(_("text"))
    # Students have no accounts: a teacher (班主任) passes on what a student said, and gets the reply.
    from_student = models.BooleanField(_("passed on from a student"), default=False,
                                       help_text=_("Tick when you write down what a student told you; the reply comes to you."))
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(USER, verbose_name=_("replied by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:30]

    def get_absolute_url(self) -> str:
        return reverse("canteen:feedback_list")


class Survey(models.Model):
    """A termly satisfaction survey for parents and teachers; its results are published."""

    school = models.ForeignKey("logistics.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    term = models.CharField(_("term"), max_length=50)
    status = models.CharField(pgettext_lazy("canteen", "status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.OPEN)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    history = HistoricalRecords()
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["school", "term"], name="canteen_survey_term_uniq")]

    def __str__(self) -> str:
        return self.term

    def get_absolute_url(self) -> str:
        return reverse("canteen:feedback_list")


class SurveyResponse(models.Model):
    """One person's answers to a survey (1–5 each)."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(USER, verbose_name=_("respondent"), on_delete=models.PROTECT, related_name="+")
    taste = models.PositiveSmallIntegerField(_("taste"))
    hygiene = models.PositiveSmallIntegerField(_("hygiene"))
    price = models.PositiveSmallIntegerField(_("price"))
    service = models.PositiveSmallIntegerField(_("service"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    school_path = "survey__school"
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent"], name="canteen_survey_once"),
            models.CheckConstraint(
                condition=Q(taste__range=(1, 5), hygiene__range=(1, 5), price__range=(1, 5), service__range=(1, 5)),
                name="canteen_survey_scores_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} {self.respondent}"
