import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from logistics.roles import Role
from logistics.tests.factories import RoomFactory, member
from logistics.uploads import school_upload_to

pytestmark = pytest.mark.django_db


def test_upload_path_is_per_school(school):
    room = RoomFactory(school=school)
    path = school_upload_to("repairs/photos")(room, "IMG_0001.JPG")
    assert path.startswith(f"school_{school.pk}/repairs/photos/") and path.endswith(".jpg")


def test_media_is_served_only_to_those_who_may_open_its_record(client, school, other_school):
    from repairs.models import RepairPhoto
    from repairs.tests.factories import RepairFactory

    repair = RepairFactory(school=school)
    name = default_storage.save(f"school_{school.pk}/test/a.txt", ContentFile(b"hello"))
    RepairPhoto.objects.create(repair=repair, image=name, thumbnail=name)
    client.force_login(repair.reporter)
    response = client.get(f"/media/{name}")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"hello"
    client.force_login(member(Role.TEACHER, other_school))
    assert client.get(f"/media/{name}").status_code == 404
    client.logout()
    assert client.get(f"/media/{name}").status_code == 302
    stray = default_storage.save(f"school_{school.pk}/test/b.txt", ContentFile(b"no record holds me"))
    client.force_login(member(Role.PRINCIPAL, school))
    assert client.get(f"/media/{stray}").status_code == 404


def test_media_path_tricks_are_refused(client, school):
    client.force_login(member(Role.TEACHER, school))
    assert client.get(f"/media/school_{school.pk}/../../etc/passwd").status_code == 404
    assert client.get("/media/other/a.txt").status_code == 404
