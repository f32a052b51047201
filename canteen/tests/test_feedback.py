import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from canteen.models import Feedback
from canteen.services import feedback
from logistics.models import Notification

pytestmark = pytest.mark.django_db


def test_parent_feedback_gets_one_reply_the_author_sees(login_as, school, make_member):
    author = login_as("parent")
    other = login_as("parent")
    manager = make_member("canteen_manager")
    assert author.post(reverse("canteen:feedback_create"), {"kind": "complaint", "text": "汤太咸"}).status_code == 302
    fb = Feedback.objects.get()
    with pytest.raises(PermissionDenied):
        feedback.reply_feedback(fb, by=other.user, reply="x")
    feedback.reply_feedback(fb, by=manager, reply="已减少用盐")
    with pytest.raises(ValidationError):
        feedback.reply_feedback(fb, by=manager, reply="改一下")  # a reply is not edited in place
    assert Notification.objects.filter(recipient=author.user).count() == 1
    assert "已减少用盐" in author.get(reverse("canteen:feedback_list")).content.decode()
    assert "汤太咸" not in other.get(reverse("canteen:feedback_list")).content.decode()


def test_accountant_cannot_give_feedback(make_member, school):
    with pytest.raises(PermissionDenied):
        feedback.submit_feedback(school=school, by=make_member("accountant"), kind="suggestion", text="x")
