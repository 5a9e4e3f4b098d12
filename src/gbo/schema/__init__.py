"""The canonical data model and code lists: the vocabulary every stage shares."""
