"""Signals pages: the public reporting and follow-up pages, the secretariat's handling and
the companies' responses."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from covenant.signals.views import public

app_name = "signals"

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += public.urlpatterns

from covenant.signals.views import company, staff  # noqa: E402

urlpatterns += staff.urlpatterns
urlpatterns += company.urlpatterns
