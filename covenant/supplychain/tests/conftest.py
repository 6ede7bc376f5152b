"""Fixtures shared by the supply-chain test modules."""

from covenant.supplychain.tests.test_disclosures_support import data  # noqa: F401
