"""collation."""
