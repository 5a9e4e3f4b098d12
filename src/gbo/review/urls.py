"""URLs of the review app (all behind sign-in: LoginRequiredMiddleware)."""

from __future__ import annotations

from django.urls import path

from gbo.review.views import audit, decisions, home, publications, reading, threads

app_name = "review"

P = "publications/<int:pk>/"
V = P + "versions/<int:number>/"
T = P + "threads/<int:thread_pk>/"

urlpatterns = [
    path("", home.home, name="home"),
    path("publications/new/", publications.publication_new, name="publication_new"),
    path(P, publications.publication_detail, name="publication_detail"),
    path(P + "members/", publications.members, name="members"),
    path(P + "members/<int:member_pk>/remove/", publications.member_remove, name="member_remove"),
    path(P + "quorum/", publications.quorum, name="quorum"),
    path(P + "versions/new/", publications.version_new, name="version_new"),
    path(V, reading.version_detail, name="version_detail"),
    path(V + "sections/<str:part>/", reading.version_section, name="version_section"),
    path(V + "comment/", reading.comment_new, name="comment_new"),
    path(V + "decision/", decisions.decision, name="decision"),
    path(V + "bundle/", reading.version_bundle, name="version_bundle"),
    path(V + "files/<path:path>", reading.version_file, name="version_file"),
    path(T, threads.thread_detail, name="thread_detail"),
    path(T + "addressed/", threads.thread_address, name="thread_address"),
    path(T + "resolve/", threads.thread_resolve, name="thread_resolve"),
    path(T + "reopen/", threads.thread_reopen, name="thread_reopen"),
    path(P + "release/", decisions.release, name="release"),
    path(P + "release/bundle/", decisions.release_bundle, name="release_bundle"),
    path(P + "release/override/<int:decision_pk>/", decisions.override, name="override"),
    path(P + "audit/", audit.audit_log, name="publication_audit"),
    path(P + "audit.csv", audit.audit_csv, name="publication_audit_csv"),
    path("audit/", audit.audit_log, name="audit"),
    path("audit.csv", audit.audit_csv, name="audit_csv"),
]
