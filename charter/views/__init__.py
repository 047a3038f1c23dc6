"""Admin views of the charter app that are not generic viewset views (signatures)."""
