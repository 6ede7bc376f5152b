"""Documents uploaded as answers (policies, reports): checked (type, size), stored, and the
document criterion's answer set to refer to them, in one transaction."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from covenant.accounts.models import User
from covenant.core.audit import audit_record
from covenant.core.errors import ValidationFailed
from covenant.duediligence.models import Answer, Attachment, SelfAssessment
from covenant.duediligence.scoring import answer_points

ALLOWED_SUFFIXES = (".pdf", ".docx", ".xlsx", ".odt", ".ods", ".pptx", ".png", ".jpg", ".jpeg")
MAX_BYTES = 10 * 1024 * 1024


def attachment_upload(
    *,
    assessment: SelfAssessment,
    criterion_code: str,
    upload: UploadedFile,
    actor: User | None,
) -> Attachment:
    """Store the document and make it the answer to the (document) criterion."""
    name = Path(upload.name or "document").name[:255]
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValidationFailed(
            _("Upload a PDF, Word, Excel, OpenDocument, PowerPoint or image file."),
            field=criterion_code,
        )
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationFailed(_("The file is larger than 10 MB."), field=criterion_code)
    if not upload.size:
        raise ValidationFailed(_("The file is empty."), field=criterion_code)
    with transaction.atomic(durable=True):
        assessment = (
            SelfAssessment.objects.select_for_update(of=("self",))
            .select_related("company")
            .get(pk=assessment.pk)
        )
        if assessment.status != SelfAssessment.Status.DRAFT:
            raise ValidationFailed(
                _("This self-assessment has been submitted and can no longer be changed."),
                field="status",
            )
        answer = (
            Answer.objects.select_related("criterion")
            .filter(self_assessment=assessment, criterion__code=criterion_code)
            .first()
        )
        if answer is None or answer.criterion.answer_type != "document":
            raise ValidationFailed(
                _("'%(code)s' is not a question that asks for a document.")
                % {"code": criterion_code[:40]},
                field=criterion_code[:40],
            )
        attachment = Attachment.objects.create(
            self_assessment=assessment,
            criterion=answer.criterion,
            file=upload,
            original_filename=name,
            size=upload.size,
            uploaded_by=actor if actor is not None and actor.pk else None,
        )
        answer.value = {"title": name, "url": f"attachment:{attachment.pk}"}
        answer.points = answer_points(answer.criterion, answer.value)
        answer.updated_by = attachment.uploaded_by
        answer.save(update_fields=["value", "points", "updated_by", "updated_at"])
        audit_record(
            actor=attachment.uploaded_by,
            action="duediligence.attachment.upload",
            obj=attachment,
            organisation=assessment.company,
        )
        return attachment
