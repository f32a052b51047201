"""Factories for the shared core; each app's tests/factories.py builds on these."""
import factory
from factory.django import DjangoModelFactory

from logistics.models import Building, Department, District, Membership, Room, School, User
from logistics.roles import Role


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"第{n}区教育局")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"第{n}实验学校")
    code = factory.Sequence(lambda n: f"S{n}")
    district = factory.SubFactory(DistrictFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw-test-1234")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.TEACHER


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"部门{n}")


class BuildingFactory(DjangoModelFactory):
    class Meta:
        model = Building

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"{n}号楼")
    floors = 4


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room

    school = factory.SubFactory(SchoolFactory)
    building = factory.SubFactory(BuildingFactory, school=factory.SelfAttribute("..school"))
    name = factory.Sequence(lambda n: f"教室{n}")
    number = factory.Sequence(lambda n: f"{100 + n}")


def member(role, school, **user_kwargs) -> User:
    """A user holding ``role`` in ``school``."""
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, school=school, role=role)
    return user
