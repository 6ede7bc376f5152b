"""Fetch-and-authorise helpers of the supply chain, used by pages and API alike. Each returns
the object or raises NotFound / PermissionDenied / TwoFactorRequired; reads of a company's
locations by the secretariat are audited here. Rules themselves live in
covenant/accounts/permissions.py."""

from __future__ import annotations
