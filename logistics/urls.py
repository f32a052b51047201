from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from logistics import health, uploads, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("school/switch/", views.switch_school, name="switch_school"),
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("rooms/", views.RoomListView.as_view(), name="room_list"),
    path("rooms/new/", views.RoomCreateView.as_view(), name="room_create"),
    path("rooms/<int:pk>/", views.RoomDetailView.as_view(), name="room_detail"),
    path("rooms/<int:pk>/edit/", views.RoomUpdateView.as_view(), name="room_update"),
    path("assets/", include("assets.urls")),
    path("repairs/", include("repairs.urls")),
    path("canteen/", include("canteen.urls")),
    path("safety/", include("safety.urls")),
    path("procurement/", include("procurement.urls")),
    path("media/<path:path>", uploads.serve_media, name="media"),
    path("admin/", admin.site.urls),
]
if settings.BENCHMARK:
    from logistics import bench

    urlpatterns.append(path("bench/ceiling/", bench.ceiling, name="bench_ceiling"))
