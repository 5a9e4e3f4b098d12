"""The review app: the external reference group reads, comments on and signs off a publication.

A Django project (``gbo.review.project``) with one app (this package, label ``review``).
Importing this package does not import Django models; use ``gbo review`` on the command line.
"""
