"""Statuses and fixed vocabularies of the canteen, with the allowed moves as data."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Meal(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")


# WS/T 554-2017: breakfast, lunch and dinner supply 25–30%, 35–40% and 30–35% of the day.
MEAL_SHARE = {
    Meal.BREAKFAST: (25, 30),
    Meal.LUNCH: (35, 40),
    Meal.DINNER: (30, 35),
}


class MenuStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


MENU_TRANSITIONS = {
    MenuStatus.DRAFT: {MenuStatus.APPROVED},
    MenuStatus.APPROVED: {MenuStatus.PUBLISHED, MenuStatus.DRAFT},
    MenuStatus.PUBLISHED: {MenuStatus.SUPERSEDED},
    MenuStatus.SUPERSEDED: set(),
}
MENU_STATUS_BADGE = {
    MenuStatus.DRAFT: "secondary",
    MenuStatus.APPROVED: "info",
    MenuStatus.PUBLISHED: "success",
    MenuStatus.SUPERSEDED: "dark",
}


class ReceivingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for second signature")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", pgettext_lazy("canteen", "Rejected")


RECEIVING_TRANSITIONS = {
    ReceivingStatus.PENDING: {ReceivingStatus.ACCEPTED, ReceivingStatus.REJECTED},
    ReceivingStatus.ACCEPTED: set(),
    ReceivingStatus.REJECTED: set(),
}
RECEIVING_STATUS_BADGE = {
    ReceivingStatus.PENDING: "warning",
    ReceivingStatus.ACCEPTED: "success",
    ReceivingStatus.REJECTED: "danger",
}


class CompanionKind(models.TextChoices):
    LEADER = "leader", _("School leader")
    PARENT_COMMITTEE = "parent_committee", _("Parents' committee member")


class FeedbackKind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion")
    COMPLAINT = "complaint", _("Complaint")
    PRAISE = "praise", _("Praise")


class SurveyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", pgettext_lazy("canteen", "Closed")
    PUBLISHED = "published", _("Results published")


SURVEY_QUESTIONS = (
    ("taste", _("Taste")),
    ("hygiene", _("Hygiene")),
    ("price", _("Price")),
    ("service", _("Service")),
)


# Allergen classes as written in the composition file (GB 7718 classes, in Chinese) → label.
ALLERGEN_LABELS = {
    "小麦（麸质）": _("Wheat (gluten)"),
    "甲壳类": _("Crustaceans"),
    "软体类": _("Molluscs"),
    "鱼": _("Fish"),
    "蛋": _("Egg"),
    "花生": _("Peanut"),
    "大豆": _("Soy"),
    "乳": _("Milk"),
    "坚果": _("Tree nuts"),
    "芝麻": _("Sesame"),
}

# Tableware disinfection methods (codes of the data rows) → label.
DISINFECTION_LABELS = {
    "boiling": _("Boiling / steam"),
    "infrared": _("Infrared cabinet"),
    "dishwasher": _("Dishwasher (final rinse)"),
    "chlorine": _("Chlorine solution"),
}


def allergen_label(name: str):
    """The translated label of an allergen class; a school's own wording is shown as written."""
    return ALLERGEN_LABELS.get(name, name)
