"""Facility matching engine: plain Python, no Django imports."""
