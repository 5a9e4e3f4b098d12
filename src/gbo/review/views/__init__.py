"""Views of the review app, one module per part of the journey."""
