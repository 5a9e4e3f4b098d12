"""The quality package."""
