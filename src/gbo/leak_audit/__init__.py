"""The audit package."""
