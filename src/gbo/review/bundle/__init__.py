"""Release bundles in the review app: its upload limits on top of the format's checks
(``archive``; the format itself is :mod:`gbo.bundle`), the one entry point for an upload
(``upload``), the report inside (``report``), the identifier scan (``identifier_scan``) and
the released bundle (``final``)."""
