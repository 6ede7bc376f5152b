"""Supply chain pages: the URL lists of the view modules, combined."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []

from covenant.supplychain.views import disclosures, public, review, sharing  # noqa: E402

urlpatterns += public.urlpatterns
urlpatterns += sharing.urlpatterns
urlpatterns += disclosures.urlpatterns
urlpatterns += review.urlpatterns
