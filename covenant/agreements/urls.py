from django.urls import path

from covenant.agreements import views

urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<slug:slug>/parties/<slug:org>/commitment/",
        views.commitment_page,
        name="commitment",
    ),
    path("organisations/<slug:slug>/", views.organisation_profile, name="organisation_profile"),
    path("companies/<slug:slug>/", views.company_workspace, name="company_workspace"),
    path("me/", views.my_organisation, name="my_organisation"),
    path("secretariat/", views.secretariat_home, name="secretariat"),
    path("secretariat/audit/", views.audit_page, name="audit"),
    path("secretariat/memberships/<int:pk>/", views.membership_detail, name="membership_detail"),
    path("secretariat/<slug:slug>/memberships/", views.memberships_page, name="memberships"),
    path("secretariat/<slug:slug>/market/", views.market_page, name="market"),
]
