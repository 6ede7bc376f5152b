from django.urls import path

from covenant.agreements import views

urlpatterns = [
    path("", views.home, name="home"),
    path("secretariat/", views.home, name="secretariat"),
    path("me/", views.home, name="my_organisation"),
]
