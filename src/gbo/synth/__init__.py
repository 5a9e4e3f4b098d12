"""The synth package."""
