from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from config.api import api


def openapi_document() -> str:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI document of /api/v1/ to a file, or --check that the file is current."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path")
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: Any, path: str, check: bool, **options: Any) -> None:
        document = openapi_document()
        target = Path(path)
        if check:
            if not target.exists() or target.read_text() != document:
                raise CommandError(
                    f"{path} is out of date with the API code. Run `make openapi` and commit it."
                )
            self.stdout.write(f"{path} is current.")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(document)
        self.stdout.write(f"Wrote {path}.")
