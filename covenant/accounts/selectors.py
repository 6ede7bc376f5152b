from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from covenant.accounts.models import Role, User


def users_with_roles(*, q: str = "") -> QuerySet[User]:
    qs = User.objects.prefetch_related(
        Prefetch(
            "roles",
            queryset=Role.objects.select_related("organisation").order_by("organisation__name"),
        )
    )
    if q:
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(email__icontains=q)
            | Q(roles__organisation__name__icontains=q)
        ).distinct()
    return qs.order_by("username")
