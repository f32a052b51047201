import pytest
from django.urls import reverse

from logistics.roles import Role
from logistics.tests.factories import member

pytestmark = pytest.mark.django_db


def test_login_and_home_shows_role_and_school(client, school):
    member(Role.TEACHER, school, username="wang", password="right-pass-123")
    response = client.post(reverse("login"), {"username": "wang", "password": "right-pass-123"}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and "示范实验学校" in body and "教师" in body


def test_five_failed_logins_lock_the_account_even_with_the_right_password(client, school):
    member(Role.TEACHER, school, username="li", password="right-pass-123")
    for _ in range(5):
        client.post(reverse("login"), {"username": "li", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "li", "password": "right-pass-123"})
    assert response.status_code == 429
    assert b"locked-out" in response.content
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client, school):
    client.force_login(member(Role.TEACHER, school))
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_change_password(client, school):
    user = member(Role.TEACHER, school, password="old-pass-123")
    client.force_login(user)
    response = client.post(reverse("password_change"), {"old_password": "old-pass-123", "new_password1": "Xq9!long-new-pw", "new_password2": "Xq9!long-new-pw"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Xq9!long-new-pw")


def test_language_switch_to_english_is_remembered_on_the_user(client, school):
    user = member(Role.TEACHER, school)
    client.force_login(user)
    assert "首页" in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Home" in client.get("/").content.decode()
    user.refresh_from_db()
    assert user.language == "en"


def test_pages_are_served_with_a_csp_that_forbids_inline_script(client, school):
    client.force_login(member(Role.TEACHER, school))
    csp = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_chinese_is_the_default_whatever_the_browser_asks(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登录" in page.content.decode()
    assert page["Content-Language"] == "zh-hans"
