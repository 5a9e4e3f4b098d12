"""Release bundles: the contract (``manifest``), checks on an upload (``archive``), the report
inside (``report``), the identifier scan (``identifier_scan``) and the released bundle
(``final``)."""
