"""The shared core: people, schools and their places, memberships, notifications."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.roles import Role
from logistics.scoping import SchoolScopedQuerySet


def person_label(full_name: str | None, first_name: str | None, last_name: str | None, username: str | None) -> str:
    """How a person is named everywhere: ``User.__str__``, and list rows that read plain values."""
    return full_name or " ".join(p for p in (first_name, last_name) if p) or username or ""


# The columns ``User.__str__`` reads: all a list row needs of a joined person (a user row is wide,
# and 25 rows × two people are built on every list page).
PERSON_FIELDS = ("id", "username", "first_name", "last_name", "full_name")


def defer_people(qs, *relations):
    """``qs.select_related(*relations)`` with only the ``PERSON_FIELDS`` of each joined person."""
    unshown = [f.name for f in User._meta.concrete_fields if f.name not in PERSON_FIELDS]
    return qs.select_related(*relations).defer(*(f"{r}__{f}" for r in relations for f in unshown))


def person_columns(*relations) -> list[str]:
    """The ``PERSON_FIELDS`` of each joined person, for ``qs.only(...)``."""
    return [f"{r}__{f}" for r in relations for f in PERSON_FIELDS]


def people_by_id(ids) -> dict:
    """{pk: User} of these people with only their ``PERSON_FIELDS``, in one query (none when no id
    is given; ``None`` ids are skipped): a page that names a few people without joining them."""
    wanted = set(ids) - {None}
    return {u.pk: u for u in User.objects.filter(pk__in=wanted).only(*PERSON_FIELDS)} if wanted else {}


def row_person(row: dict, relation: str) -> str:
    """The name of a person joined into a ``values()`` row by ``person_columns(relation)``; "" for none."""
    return person_label(*(row[f"{relation}__{f}"] for f in ("full_name", "first_name", "last_name", "username")))


class User(AbstractUser):
    """A person who signs in: staff, teacher, parent or officer. Roles come from memberships."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return person_label(self.full_name, self.first_name, self.last_name, self.username)

    @property
    def display_name(self) -> str:
        return str(self)


class District(models.Model):
    """An education bureau's district (教育局): groups the schools an officer oversees."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school: every business record belongs to exactly one."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("code"), max_length=10, unique=True, help_text=_("Short code, used as the prefix of asset numbers.")
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="schools"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A role a person holds in a school (or, for a district officer, in a district)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        "logistics.Department", verbose_name=_("department"), on_delete=models.SET_NULL, null=True, blank=True
    )
    is_parent_committee = models.BooleanField(
        _("parents' committee member"), default=False, help_text=_("Only for parents: member of the canteen parents' committee.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["school__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "school", "role"], name="uniq_membership_school_role"),
            models.UniqueConstraint(fields=["user", "district", "role"], name="uniq_membership_district_role"),
            models.CheckConstraint(
                condition=(Q(role=Role.DISTRICT_OFFICER, district__isnull=False, school__isnull=True))
                | (~Q(role=Role.DISTRICT_OFFICER) & Q(school__isnull=False, district__isnull=True)),
                name="membership_school_xor_district",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.school or self.district}"


class Department(models.Model):
    """A department of a school (教务处, 语文组, 后勤处 …): uses assets and draws supplies."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("name"), max_length=100)
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="uniq_department_name")]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """A building on the school grounds (教学楼, 实验楼, 食堂 …)."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(_("name"), max_length=100)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    objects = SchoolScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="uniq_building_name")]

    def __str__(self) -> str:
        return self.name


class RoomKind(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    OFFICE = "office", _("Office")
    LAB = "lab", _("Laboratory")
    SPECIAL = "special", _("Special-purpose room")
    STORE = "store", _("Store room")
    CANTEEN = "canteen", _("Canteen")
    DORMITORY = "dormitory", _("Dormitory")
    PUBLIC = "public", _("Public area")
    OUTDOOR = "outdoor", _("Outdoor zone")


def room_label(building: str | None, number: str | None, name: str | None) -> str:
    """How a room is named everywhere ("教学楼 301 三年级一班"; a part repeated once): ``Room.__str__``,
    and the list rows that read plain values instead of rooms."""
    return " ".join(dict.fromkeys(p for p in (building, number, name) if p))


class Room(models.Model):
    """A room or an outdoor zone. Special rooms have a custodian (专用室保管责任制)."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="rooms")
    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, null=True, blank=True, related_name="rooms",
        help_text=_("Empty for an outdoor zone."),
    )
    name = models.CharField(_("name"), max_length=100)
    number = models.CharField(_("room number"), max_length=20, blank=True)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RoomKind.choices, default=RoomKind.CLASSROOM)
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("custodian"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="custodian_of",
    )
    objects = SchoolScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["building__name", "number", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "building", "name"], name="uniq_room_name")]

    def __str__(self) -> str:
        return room_label(self.building.name if self.building_id else "", self.number, self.name)

    def get_absolute_url(self) -> str:
        return reverse("room_detail", args=[self.pk])


class EmailState(models.TextChoices):
    NONE = "none", _("No e-mail")
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """A message in a person's in-app inbox (the bell), optionally also sent by e-mail.

    ``dedupe_key`` makes reminders idempotent: a second notification with the same key for the
    same person is never created, whichever worker tries and however often.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, null=True, blank=True)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, null=True, blank=True)
    email_state = models.CharField(_("e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.NONE)
    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="uniq_notification_key")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
            models.Index(fields=["email_state"], name="notif_email_state"),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return self.url or reverse("notification_list")


class TaskHeartbeat(models.Model):
    """When a scheduled job last ran (shown by ``manage.py health`` and the health page)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_run_at = models.DateTimeField(_("last run"))
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("task heartbeat")
        verbose_name_plural = _("task heartbeats")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Defined with the mixin that uses it; imported here so Django registers it with this app.
from logistics.idempotency import FormSubmission  # noqa: E402,F401
