"""Reads of the due diligence cycle that are reused or tuned."""
