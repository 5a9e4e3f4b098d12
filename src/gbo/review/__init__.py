"""The review package."""
