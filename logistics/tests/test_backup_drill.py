import pytest
from django.core.management import call_command

from logistics.tests.factories import RoomFactory


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_drill_reproduces_every_table(school, tmp_path, capsys):
    RoomFactory.create_batch(5, school=school)
    call_command("backup_drill", "--dir", str(tmp_path))
    out = capsys.readouterr().out
    assert "restore drill OK" in out
    assert not list(tmp_path.glob("*.dump")) and not list(tmp_path.glob("sqlite-*"))


@pytest.mark.django_db(transaction=True)
def test_drill_detects_a_difference(school, tmp_path, monkeypatch):
    """A restore that lost a row must fail the drill (the comparison is real)."""
    from django.core.management.base import CommandError

    from logistics.management.commands import backup_drill

    RoomFactory.create_batch(3, school=school)
    real = backup_drill.fingerprint
    calls = {"n": 0}

    def lossy(vendor, cursor):
        calls["n"] += 1
        result = real(vendor, cursor)
        if calls["n"] == 2:  # the restored copy
            count, digest = result["logistics_room"]
            result["logistics_room"] = (count - 1, digest)
        return result

    monkeypatch.setattr(backup_drill, "fingerprint", lossy)
    with pytest.raises(CommandError, match="FAILED"):
        call_command("backup_drill", "--dir", str(tmp_path))
