"""The groups package."""
