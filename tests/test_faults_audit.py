"""Refused attempts are written to the shared audit log ``logistics.audit`` (issue 10, immutability).

The shared refusal path is ``logistics.scoping``: ``ObjectActionView`` turns a service's
``ValidationError`` into a message and lets a ``PermissionDenied`` become a 403; the mixin's role
check refuses the wrong role. Each of them writes one audit line with user, school, object,
action and reason.
"""
from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.urls import reverse

from logistics.roles import Role
from logistics.tests.factories import member
from repairs.choices import RepairStatus
from repairs.models import Repair
from repairs.tests.factories import RepairFactory

pytestmark = pytest.mark.django_db


def audit_records(caplog):
    return [r for r in caplog.records if r.name == "logistics.audit"]


def test_audit_logger_is_configured():
    assert "logistics.audit" in settings.LOGGING["loggers"]
    assert logging.getLogger("logistics.audit").isEnabledFor(logging.WARNING)


def test_editing_a_closed_repair_is_refused_and_logged(client, school, caplog):
    repairer = member(Role.REPAIRER, school, username="zhang")
    repair = RepairFactory(school=school, status=RepairStatus.CLOSED, assignee=repairer)
    client.force_login(repairer)
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        response = client.post(reverse("repairs:repair_note", args=[repair.pk]), {"note": "再修一下"})
    assert response.status_code == 302
    # what the user typed is kept for the form
    assert client.session["action_form_data"]["data"]["note"] == "再修一下"
    [record] = audit_records(caplog)
    assert record.user == "zhang" and record.user_id == repairer.pk
    assert record.school_id == school.pk
    assert record.object == f"repairs.Repair:{repair.pk}"
    assert record.action == "repairs:repair_note"
    shown = [str(m) for m in client.get(response.url).context["messages"]]
    assert record.reason and record.reason in shown  # the service's translated message, as the user saw it


def test_a_successful_action_writes_no_refusal(client, school, caplog):
    staff = member(Role.LOGISTICS_STAFF, school)
    repair = RepairFactory(school=school, status=RepairStatus.SUBMITTED)
    client.force_login(staff)
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        client.post(reverse("repairs:repair_take", args=[repair.pk]))
    assert Repair.objects.get(pk=repair.pk).status == RepairStatus.TAKEN
    assert audit_records(caplog) == []


def test_wrong_role_on_an_object_is_a_403_and_logged(client, school, caplog):
    teacher = member(Role.TEACHER, school, username="wang")
    repair = RepairFactory(school=school, status=RepairStatus.SUBMITTED, reporter=teacher)
    client.force_login(teacher)
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        response = client.post(reverse("repairs:repair_take", args=[repair.pk]))
    assert response.status_code == 403
    assert Repair.objects.get(pk=repair.pk).status == RepairStatus.SUBMITTED
    [record] = audit_records(caplog)
    assert (record.user, record.object, record.action, record.reason) == ("wang", f"repairs.Repair:{repair.pk}", "repairs.take", "role")


def test_wrong_role_on_a_list_is_a_403_and_logged(client, school, caplog):
    parent = member(Role.PARENT, school, username="qian")
    client.force_login(parent)
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        response = client.get(reverse("repairs:repair_list"))
    assert response.status_code == 403
    [record] = audit_records(caplog)
    assert record.user == "qian" and record.school_id == school.pk and record.object == "-"


def test_a_refusal_the_service_logged_is_not_logged_again_by_the_view(client, school, caplog):
    """Closing a closed month: the canteen service writes the line; the shared action view adds none."""
    from django.utils import timezone

    from canteen.tests.factories import MonthAccountFactory

    accountant = member(Role.ACCOUNTANT, school, username="zhou")
    account = MonthAccountFactory(school=school, closed_at=timezone.now())
    client.force_login(accountant)
    with caplog.at_level(logging.INFO, logger="logistics.audit"):
        response = client.post(reverse("canteen:account_close", args=[account.pk]))
    assert response.status_code == 302
    [record] = audit_records(caplog)
    assert record.action == "canteen.account_close" and record.user == "zhou" and record.school_id == school.pk
