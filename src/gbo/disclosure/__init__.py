"""The disclosure package."""
