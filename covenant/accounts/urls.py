from django.urls import path

from covenant.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("2fa/setup/", views.otp_setup, name="otp_setup"),
    path("users/", views.users_page, name="users"),
    path("users/<int:user_id>/roles/", views.role_grant_view, name="role_grant"),
    path("roles/<int:role_id>/revoke/", views.role_revoke_view, name="role_revoke"),
]
