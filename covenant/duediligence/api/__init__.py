"""Due diligence API; each module exposes a `router`, combined here."""

from __future__ import annotations

from ninja import Router

from covenant.duediligence.api.frameworks import router as frameworks_router
from covenant.duediligence.api.self_assessments import router as self_assessments_router

router = Router()
router.add_router("", frameworks_router)
router.add_router("", self_assessments_router)

from covenant.duediligence.api.risks import router as risks_router  # noqa: E402

router.add_router("", risks_router)

from covenant.duediligence.api.assessments import router as assessments_router  # noqa: E402

router.add_router("", assessments_router)

from covenant.duediligence.api.results import router as results_router  # noqa: E402

router.add_router("", results_router)
