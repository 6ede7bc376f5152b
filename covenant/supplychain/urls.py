"""Supply chain pages: the URL lists of the view modules, combined."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []

# View modules add themselves here, e.g.:
# from covenant.supplychain.views import disclosures
# urlpatterns += disclosures.urlpatterns

from covenant.supplychain.views import public, sharing  # noqa: E402

urlpatterns += public.urlpatterns
urlpatterns += sharing.urlpatterns
