"""The portfolio only reads (see selectors.py): it writes nothing, so it has no services."""
