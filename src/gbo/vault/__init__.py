"""The vault package."""
