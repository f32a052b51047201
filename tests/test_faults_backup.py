"""The restore drill on PostgreSQL (issue 10, safety of the data).

``logistics/tests/test_backup_drill.py`` runs the drill on whichever database the suite uses;
here it runs on PostgreSQL with rows in a JSON column: the source used to be read through
Django's connection (JSON as text) and the copy through plain psycopg2 (JSON as lists), so any
JSON row made the drill fail although the copy was whole. The checksum is now the server's.
"""
from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from logistics.management.commands.backup_drill import fingerprint
from logistics.tests.factories import RoomFactory
from safety.models import InspectionPlan
from safety.tests.factories import PlanFactory

pytestmark = [pytest.mark.services]


@pytest.mark.django_db(transaction=True)
def test_drill_on_postgres_with_json_rows(postgres, school, tmp_path, capsys):
    PlanFactory.create_batch(3, school=school)  # checklist is a JSON list
    RoomFactory.create_batch(4, school=school)
    call_command("backup_drill", "--dir", str(tmp_path))
    out = capsys.readouterr().out
    assert "restore drill OK" in out and not list(tmp_path.glob("*.dump"))


@pytest.mark.django_db(transaction=True)
def test_checksum_changes_with_one_changed_value(postgres, school):
    plan = PlanFactory(school=school)
    with connection.cursor() as cursor:
        before = fingerprint("postgresql", cursor)
    InspectionPlan.objects.filter(pk=plan.pk).update(checklist=[*plan.checklist, "灭火器在有效期内"])
    with connection.cursor() as cursor:
        after = fingerprint("postgresql", cursor)
    assert before["safety_inspectionplan"][0] == after["safety_inspectionplan"][0]  # same count
    assert before["safety_inspectionplan"][1] != after["safety_inspectionplan"][1]  # different rows
    assert {t: v for t, v in before.items() if t != "safety_inspectionplan"} == {t: v for t, v in after.items() if t != "safety_inspectionplan"}
