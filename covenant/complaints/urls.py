from covenant.complaints.views import urlpatterns

__all__ = ["urlpatterns"]
