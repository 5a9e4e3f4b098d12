"""The link package."""
