from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from logistics.models import Building, Department, District, Membership, Notification, Room, School, TaskHeartbeat, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fk_name = "user"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + ((_("School logistics"), {"fields": ("full_name", "phone", "language")}),)
    list_display = ("username", "full_name", "email", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    inlines = [MembershipInline]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "district")
    search_fields = ("name", "code")


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "school", "district", "is_parent_committee")
    list_filter = ("role", "school")
    search_fields = ("user__username", "user__full_name")
    autocomplete_fields = ("user",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "school")
    list_filter = ("school",)


@admin.register(Building)
class BuildingAdmin(SimpleHistoryAdmin):
    list_display = ("name", "school", "floors")
    list_filter = ("school",)


@admin.register(Room)
class RoomAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "school", "kind", "custodian")
    list_filter = ("school", "kind")
    search_fields = ("name", "number")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "text", "created_at", "read_at", "email_state")
    list_filter = ("email_state",)


admin.site.register(TaskHeartbeat)
