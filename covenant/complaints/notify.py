"""Who is told what about a case, by e-mail (sent by the task worker)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from covenant.accounts.models import RoleName, User
from covenant.complaints.models import Complaint, ConflictDeclaration, Side, Stage


def _org_users(org_id: int | None) -> QuerySet[User]:
    if org_id is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, roles__organisation_id=org_id).distinct()


def side_users(complaint: Complaint, side: str) -> list[User]:
    """The people of one side of a case (the committee: its members without a conflict)."""
    if side == Side.COMMITTEE:
        recused = ConflictDeclaration.objects.filter(complaint=complaint).values("member_id")
        members = _org_users(complaint.agreement.committee_id).filter(
            roles__role=RoleName.COMMITTEE_MEMBER
        )
        return list(members.exclude(pk__in=recused))
    if side == Side.FILER:
        filers = list(_org_users(complaint.filer_org_id))
        if complaint.filed_by is not None and complaint.filed_by not in filers:
            filers.append(complaint.filed_by)
        return filers
    return list(_org_users(complaint.respondent_id))


def _recipients(complaint: Complaint, what: str) -> list[User]:
    if what in ("filed", "reminder"):
        return side_users(complaint, Side.COMMITTEE)
    if what.startswith("message:"):
        return side_users(complaint, what.split(":", 1)[1])
    sides = [Side.FILER]
    if complaint.stage != Stage.INADMISSIBLE:
        sides.append(Side.RESPONDENT)
    return [u for side in sides for u in side_users(complaint, side)]


SUBJECTS = {
    "filed": lambda: _("New complaint %(ref)s"),
    "admissibility": lambda: _("Complaint %(ref)s: decision on admissibility"),
    "ruling": lambda: _("Complaint %(ref)s: the committee gave a ruling"),
    "reminder": lambda: _("Complaint %(ref)s: a deadline is near or past"),
}


def complaint_notify(*, complaint_id: int, what: str) -> int:
    complaint = Complaint.objects.select_related("agreement").filter(pk=complaint_id).first()
    if complaint is None:
        return 0
    site = str(getattr(settings, "COVENANT_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
    sent = 0
    for user in _recipients(complaint, what):
        if not user.email:
            continue
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            make = SUBJECTS.get(what, lambda: _("Complaint %(ref)s: a new message"))
            subject = make() % {"ref": complaint.reference}
            body = _(
                "There is news in case %(ref)s of %(agreement)s. Sign in to read it: "
                "%(url)s\n\nFor confidentiality this e-mail does not contain the case itself."
            ) % {
                "ref": complaint.reference,
                "agreement": complaint.agreement.name,
                "url": f"{site}/complaints/{complaint.reference}/",
            }
        sent += send_mail(subject, body, None, [user.email])
    return sent
