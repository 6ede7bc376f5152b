"""Supply chain reads, one module per area (see services/)."""
