"""Uploads of reporters never touch the disk unencrypted. Django writes uploads above 2.5 MB
to a temporary file; on the reporting pages a bounded in-memory handler is used instead: it
keeps at most one byte more than the attachment limit per file (so the service can refuse
the file by its size) and drops the rest, so a huge upload costs no memory either."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from covenant.signals import conf


class BoundedMemoryUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()
        self.kept = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = conf.MAX_ATTACHMENT_BYTES + 1 - self.kept
        if room > 0:
            piece = raw_data[:room]
            self.buffer.write(piece)
            self.kept += len(piece)
        return None  # no other handler sees the data

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.kept,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def in_memory_uploads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Use the bounded in-memory handler for this view. The CSRF check is done here, after
    the handlers are set (the middleware would read the body first)."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.upload_handlers = [BoundedMemoryUploadHandler(request)]
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)
