from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("covenant.accounts.urls")),
    path("back-office/", admin.site.urls),
    path("", include("covenant.supplychain.urls")),
    path("", include("covenant.signals.urls")),
    path("", include("covenant.duediligence.urls")),
    path("", include("covenant.complaints.urls")),
    path("", include("covenant.agreements.urls")),
]

if settings.DEBUG:  # pragma: no cover
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
