"""Django settings of the review app, split by environment: ``base``, ``dev``, ``prod``, ``test``.

Pick one with ``DJANGO_SETTINGS_MODULE`` (``gbo review`` chooses ``dev`` unless told ``--prod``).
Secrets and hosts come from the environment, never from this package.
"""
