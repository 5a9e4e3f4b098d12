"""The publish stage: report, spreadsheets, CSV files, charts and the release bundle.

The bundle's format and its checks are in :mod:`gbo.bundle`; :mod:`gbo.publish.bundle` builds
the bundle of a run.
"""
