import pytest
from django.core import mail

from logistics.models import EmailState, Notification
from logistics.roles import Role
from logistics.services import notify, send_pending_emails
from logistics.tests.factories import member

pytestmark = pytest.mark.django_db


def test_notify_with_the_same_key_twice_creates_one(school):
    user = member(Role.TEACHER, school)
    first = notify(user, text="检查提醒", school=school, key="safety:1:2026-11-22")
    second = notify(user, text="检查提醒", school=school, key="safety:1:2026-11-22")
    assert first is not None and second is None
    assert Notification.objects.filter(recipient=user).count() == 1


def test_notify_renders_lazy_text_in_the_recipients_language(school):
    from django.utils.translation import gettext_lazy as _

    english = member(Role.TEACHER, school, language="en")
    chinese = member(Role.TEACHER, school, language="zh-hans")
    notify(english, text=_("Notifications"), school=school)
    notify(chinese, text=_("Notifications"), school=school)
    assert english.notifications.get().text == "Notifications"
    assert chinese.notifications.get().text == "通知"


def test_email_is_sent_once_even_when_the_outbox_sweep_runs_again(school, django_capture_on_commit_callbacks):
    user = member(Role.TEACHER, school, email="t@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(user, text="派工通知", school=school, url="/repairs/1/")
    assert len(mail.outbox) == 1
    assert send_pending_emails() == 0
    note.refresh_from_db()
    assert note.email_state == EmailState.SENT
    assert len(mail.outbox) == 1


def test_pending_email_left_by_a_broker_outage_is_sent_by_the_sweep(school):
    user = member(Role.TEACHER, school, email="t@example.org")
    note = notify(user, text="验收提醒", school=school)  # on_commit never ran: as if the broker was down
    assert note.email_state == EmailState.PENDING and not mail.outbox
    assert send_pending_emails() == 1
    assert len(mail.outbox) == 1 and "验收提醒" in mail.outbox[0].body


def test_bell_shows_unread_count_and_open_marks_read(client, school):
    user = member(Role.TEACHER, school)
    note = notify(user, text="新消息", school=school, url="/")
    client.force_login(user)
    page = client.get("/")
    assert b'data-testid="unread-count">1<' in page.content
    response = client.post(f"/notifications/{note.pk}/open/")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_nobody_opens_someone_elses_notification(client, school):
    owner = member(Role.TEACHER, school)
    note = notify(owner, text="私人", school=school)
    client.force_login(member(Role.TEACHER, school))
    assert client.post(f"/notifications/{note.pk}/open/").status_code == 404


def test_notification_list_query_count_does_not_grow(client, school, django_assert_max_num_queries):
    user = member(Role.TEACHER, school)
    client.force_login(user)
    for i in range(3):
        notify(user, text=f"n{i}", school=school)
    with django_assert_max_num_queries(12) as small:
        client.get("/notifications/")
    for i in range(40):
        notify(user, text=f"m{i}", school=school)
    with django_assert_max_num_queries(12) as large:
        client.get("/notifications/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_home_shows_unread_notifications_first(client, school):
    user = member(Role.TEACHER, school)
    notify(user, text="请验收维修单 R-1", school=school)
    client.force_login(user)
    cards = client.get("/").context["cards"]
    assert cards[0].title == "未读通知" and cards[0].items[0].label == "请验收维修单 R-1"


def test_the_list_shows_each_notification_as_a_button_that_opens_it(client, school):
    from django.utils import timezone

    user = member(Role.TEACHER, school)
    old = notify(user, text="已读 <旧>", school=school)
    old.read_at = timezone.now()
    old.save()
    fresh = notify(user, text="请验收 R-2", school=school)
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    new_entry = page.split(f'action="/notifications/{fresh.pk}/open/"', 1)[1].split("</form>", 1)[0]
    old_entry = page.split(f'action="/notifications/{old.pk}/open/"', 1)[1].split("</form>", 1)[0]
    assert 'name="csrfmiddlewaretoken"' in new_entry and "fw-semibold" in new_entry and "text-bg-danger" in new_entry
    assert "请验收 R-2" in new_entry and f"{timezone.localtime(fresh.created_at):%Y-%m-%d %H:%M} · {school.name}" in new_entry
    assert "fw-semibold" not in old_entry and "已读 &lt;旧&gt;" in old_entry
    assert page.index(f"/notifications/{fresh.pk}/open/") < page.index(f"/notifications/{old.pk}/open/")  # newest first
    client.force_login(member(Role.TEACHER, school))
    assert "empty-state" in client.get("/notifications/").content.decode()
