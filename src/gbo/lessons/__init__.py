"""The lessons package."""
