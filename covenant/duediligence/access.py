"""Fetch-and-authorise helpers of the due diligence cycle, used by pages and API alike. Each
returns the object or raises NotFound / PermissionDenied / TwoFactorRequired; reads of a
company's self-assessment by the secretariat are audited here. Rules live in
covenant/accounts/permissions.py."""

from __future__ import annotations

from django.utils.translation import gettext as _

from covenant.accounts.permissions import Principal
from covenant.agreements.models import Agreement
from covenant.core.errors import NotFound
from covenant.duediligence.models import Framework


def _agreement(slug: str) -> Agreement:
    agreement = Agreement.objects.select_related("secretariat").filter(slug=slug).first()
    if agreement is None:
        raise NotFound(_("There is no agreement '%(slug)s'.") % {"slug": slug[:80]})
    return agreement


def access_frameworks(*, principal: Principal, slug: str) -> tuple[Agreement, bool]:
    """The agreement whose frameworks are listed, and whether drafts are shown (to its
    secretariat only; published versions are public)."""
    agreement = _agreement(slug)
    return agreement, principal.can_manage_framework(agreement)


def access_framework(*, principal: Principal, slug: str, version: int | None) -> Framework:
    """One version (None: the current published one). Drafts and retired versions are shown
    to the secretariat; retired ones stay public because assessments were made with them."""
    from covenant.duediligence.selectors.frameworks import framework_current

    agreement = _agreement(slug)
    if version is None:
        framework = framework_current(agreement)
    else:
        framework = Framework.objects.filter(agreement=agreement, version=version).first()
    if framework is None or (
        framework.status == Framework.Status.DRAFT and not principal.can_manage_framework(agreement)
    ):
        raise NotFound(_("This agreement has no such assessment framework."))
    framework.agreement = agreement
    return framework


def access_framework_manage(
    *, principal: Principal, slug: str, version: int | None = None
) -> tuple[Agreement, Framework | None]:
    """The agreement (and a version of its framework) for its secretariat to change."""
    agreement = _agreement(slug)
    principal.require(principal.can_manage_framework(agreement))
    if version is None:
        return agreement, None
    framework = Framework.objects.filter(agreement=agreement, version=version).first()
    if framework is None:
        raise NotFound(_("This agreement has no version %(v)s of its framework.") % {"v": version})
    framework.agreement = agreement
    return agreement, framework
