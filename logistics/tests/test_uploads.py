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


def test_media_is_served_only_to_members_of_its_school(client, school, other_school):
    name = default_storage.save(f"school_{school.pk}/test/a.txt", ContentFile(b"hello"))
    client.force_login(member(Role.TEACHER, school))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"hello"
    client.force_login(member(Role.TEACHER, other_school))
    assert client.get(f"/media/{name}").status_code == 404
    client.logout()
    assert client.get(f"/media/{name}").status_code == 302


def test_media_path_tricks_are_refused(client, school):
    client.force_login(member(Role.TEACHER, school))
    assert client.get(f"/media/school_{school.pk}/../../etc/passwd").status_code == 404
    assert client.get("/media/other/a.txt").status_code == 404
