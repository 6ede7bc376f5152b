"""Due diligence pages: the URL lists of the view modules, combined."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from covenant.duediligence.views import (
    assessments,
    frameworks,
    results,
    risks,
    self_assessments,
)

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += frameworks.urlpatterns
urlpatterns += self_assessments.urlpatterns
urlpatterns += risks.urlpatterns
urlpatterns += assessments.urlpatterns
urlpatterns += results.urlpatterns
