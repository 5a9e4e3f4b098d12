"""Fixtures of the ingest tests (the builders are in :mod:`tests.ingest.exports`)."""

from tests.ingest.exports import police_mapping, write_police

__all__ = ["police_mapping", "write_police"]
