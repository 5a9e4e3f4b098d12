"""The ingest package."""
