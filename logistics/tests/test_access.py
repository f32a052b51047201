"""Anonymous users are sent to log in from every page; schools do not see each other."""
import pytest

from logistics.roles import Role
from logistics.tests.factories import RoomFactory, member
from logistics.tests.urlwalk import iter_routes, placeholder_path

pytestmark = pytest.mark.django_db

# Routes anyone may open without logging in.
PUBLIC = {"login", "set_language", "logout", "healthz", "readyz"}


def test_every_page_sends_anonymous_users_to_login(client):
    checked = 0
    for name, route, converters in iter_routes():
        if name in PUBLIC or name.startswith("admin:") or name.startswith("djdt"):
            continue
        path = placeholder_path(route, converters)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code in (302, 405), f"{method.upper()} {path} ({name}) gave {response.status_code}"
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/"), f"{path} ({name}) → {response['Location']}"
        checked += 1
    assert checked >= 8


def test_room_of_another_school_is_404(client, school, other_school):
    theirs = RoomFactory(school=other_school)
    client.force_login(member(Role.LOGISTICS_STAFF, school))
    assert client.get(f"/rooms/{theirs.pk}/").status_code == 404
    assert client.get(f"/rooms/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/rooms/{theirs.pk}/edit/", {"name": "x", "kind": "office"}).status_code == 404


def test_wrong_role_gets_403_on_room_edit(client, school):
    room = RoomFactory(school=school)
    client.force_login(member(Role.TEACHER, school))
    assert client.get(f"/rooms/{room.pk}/").status_code == 200
    assert client.get(f"/rooms/{room.pk}/edit/").status_code == 403
    assert client.get("/rooms/new/").status_code == 403


def test_room_list_shows_only_my_school(client, school, other_school):
    RoomFactory(school=school, name="我的教室")
    RoomFactory(school=other_school, name="别人的教室")
    client.force_login(member(Role.TEACHER, school))
    body = client.get("/rooms/").content.decode()
    assert "我的教室" in body and "别人的教室" not in body


def test_staff_creates_a_room_and_duplicate_name_is_refused_with_input_kept(client, school):
    from logistics.tests.factories import BuildingFactory

    building = BuildingFactory(school=school)
    client.force_login(member(Role.LOGISTICS_STAFF, school))
    data = {"building": building.pk, "name": "音乐室", "number": "401", "kind": "special"}
    assert client.post("/rooms/new/", data).status_code == 302
    again = client.post("/rooms/new/", {**data, "number": "402"})
    assert again.status_code == 200
    assert "402" in again.content.decode()  # what the user typed is still there
    assert again.context["form"].errors["name"]


def test_switching_to_a_school_i_do_not_belong_to_is_refused(client, school, other_school):
    client.force_login(member(Role.TEACHER, school))
    assert client.post("/school/switch/", {"school": other_school.pk}).status_code == 403


def test_member_of_two_schools_switches_between_them(client, school, other_school):
    from logistics.models import Membership

    user = member(Role.TEACHER, school)
    Membership.objects.create(user=user, school=other_school, role=Role.PRINCIPAL)
    client.force_login(user)
    client.post("/school/switch/", {"school": other_school.pk})
    page = client.get("/")
    assert page.context["request"].school == other_school
    assert "校长" in page.content.decode()
