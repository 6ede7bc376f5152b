"""Supply chain API; each module exposes a `router`, combined here."""

from __future__ import annotations

from ninja import Router

router = Router()

# Modules add themselves here, e.g.:
# from covenant.supplychain.api.disclosures import router as disclosures_router
# router.add_router("", disclosures_router)

from covenant.supplychain.api.disclosures import router as disclosures_router  # noqa: E402
from covenant.supplychain.api.review import router as review_router  # noqa: E402

router.add_router("", disclosures_router)
router.add_router("", review_router)

from covenant.supplychain.api.public import router as public_router  # noqa: E402
from covenant.supplychain.api.sharing import router as sharing_router  # noqa: E402

router.add_router("", public_router)
router.add_router("", sharing_router)
