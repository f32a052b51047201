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


def test_a_teacher_passes_on_a_students_feedback_and_gets_the_reply(login_as, make_member, school):
    teacher = login_as("teacher")
    form = teacher.get(reverse("canteen:feedback_create")).content.decode()
    assert 'name="from_student"' in form
    assert teacher.post(reverse("canteen:feedback_create"),
                        {"kind": "suggestion", "text": "学生说米饭太硬", "from_student": "on"}).status_code == 302
    fb = Feedback.objects.get()
    assert fb.from_student and fb.author == teacher.user
    feedback.reply_feedback(fb, by=make_member("canteen_manager"), reply="已调整蒸饭时间")
    assert Notification.objects.filter(recipient=teacher.user).count() == 1
    manager = login_as("canteen_manager")
    page = manager.get(reverse("canteen:feedback_list")).content.decode()
    assert "学生说米饭太硬" in page and "学生转达" in page  # the 每周公示 line counts it


def test_only_teachers_pass_on_feedback_from_students(login_as, make_member, school):
    parent = login_as("parent")
    assert 'name="from_student"' not in parent.get(reverse("canteen:feedback_create")).content.decode()
    # a crafted POST: the field is not on a parent's form, so it is ignored
    parent.post(reverse("canteen:feedback_create"), {"kind": "suggestion", "text": "菜太少", "from_student": "on"})
    assert not Feedback.objects.get().from_student
    with pytest.raises(ValidationError):
        feedback.submit_feedback(school=school, by=make_member("parent"), kind="suggestion", text="x", from_student=True)
