"""Supply chain writes, one module per area: disclosures (uploads and their processing),
registry (facilities, the matcher index, merge and split), review (the review queue),
publication (published lists) and sharing (shared suppliers and introductions)."""
