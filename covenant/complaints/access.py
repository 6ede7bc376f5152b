"""Fetch-and-authorise helpers of the complaints procedure (rules in
covenant/accounts/permissions.py). A case is not found for anyone who is not one of its
sides, so its existence is not revealed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from covenant.accounts.permissions import Principal
from covenant.agreements.access import access_agreement_public
from covenant.agreements.models import Agreement
from covenant.complaints.models import Complaint, ComplaintDocument, Ruling
from covenant.core.errors import NotFound


def access_complaint(*, principal: Principal, reference: str) -> tuple[Complaint, str]:
    """A case and the side the user is on ("committee", "filer" or "respondent")."""
    principal.require(principal.is_authenticated)
    complaint = (
        Complaint.objects.select_related(
            "agreement", "respondent", "filer_org", "filed_by", "theme"
        )
        .filter(reference=reference.upper()[:20])
        .first()
    )
    side = principal.complaint_side(complaint) if complaint is not None else None
    if complaint is None or side is None:
        if principal.two_factor_pending:
            principal.require(False)
        raise NotFound(_("There is no case %(ref)s for you.") % {"ref": reference[:20]})
    return complaint, side


def access_complaint_document(
    *, principal: Principal, reference: str, document_id: int
) -> ComplaintDocument:
    from covenant.complaints.selectors import case_view

    complaint, side = access_complaint(principal=principal, reference=reference)
    for document in case_view(complaint, side).documents:
        if document.pk == document_id:
            return document
    raise NotFound(_("There is no such document."))


def access_committee(*, principal: Principal, slug: str) -> Agreement:
    """The committee's case list of an agreement: its members."""
    agreement = access_agreement_public(slug=slug)
    principal.require(principal.is_committee_for(agreement))
    return agreement


def access_published_ruling(*, slug: str, reference: str) -> tuple[Agreement, list[Ruling]]:
    """A case's published rulings (public); not found when none is published."""
    agreement = access_agreement_public(slug=slug)
    rulings = list(
        Ruling.objects.filter(
            complaint__agreement=agreement,
            complaint__reference=reference.upper()[:20],
            published_on__isnull=False,
        ).select_related("complaint", "complaint__theme")
    )
    if not rulings:
        raise NotFound(_("No ruling of case %(ref)s is published.") % {"ref": reference[:20]})
    return agreement, rulings


def access_complaint_rules(*, principal: Principal, slug: str) -> Agreement:
    agreement = access_agreement_public(slug=slug)
    principal.require(principal.can_set_complaint_rules(agreement))
    return agreement
