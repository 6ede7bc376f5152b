"""Parsing and validating uploaded production-location lists: plain Python, no ORM."""
