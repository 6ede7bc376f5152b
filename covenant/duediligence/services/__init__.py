"""Writes of the due diligence cycle; each module owns one part of it."""
