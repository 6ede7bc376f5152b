"""Supply chain API; each module exposes a `router`, combined here."""

from __future__ import annotations

from ninja import Router

router = Router()

# Modules add themselves here, e.g.:
# from covenant.supplychain.api.disclosures import router as disclosures_router
# router.add_router("", disclosures_router)
