"""The declared stages: the one place that knows their order, folders, settings and outputs.

Each :class:`StageDef` names a stage, the module that holds its ``run(ctx)``, the config
sections (or single settings, as ``section.field``) it reads, and the tables it writes. The
stage's number is its place in :data:`STAGES`; its folder in a run is ``NN_<name>``.

This module sits below :mod:`gbo.runfolder` and :mod:`gbo.pipeline`, which both read it; it
imports no stage package, only the shared schema, so the run-folder contract does not depend
on any stage. The column types declared here are what later stages may rely on; a reader
checks them with :meth:`TableDecl.missing_columns` instead of declaring them again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

from gbo.errors import RunFolderError
from gbo.schema.tables import (
    CANONICAL_TABLES,
    DATA_QUALITY_FINDING,
    IDENTITY,
    PSEUDONYMISED_TABLES,
    REJECTED_ROW,
    SOURCE_FILE,
    TableSpec,
)

STR, INT, DATE, BOOL = pa.string(), pa.int64(), pa.date32(), pa.bool_()


@dataclass(frozen=True)
class TableDecl:
    """One Parquet table a stage writes: its name and the columns later stages rely on.

    ``columns`` lists the columns (with their Arrow types) that a reader may count on; the
    file may hold more. ``encrypted`` tables are vault files (``<name>.parquet.enc``).
    """

    name: str
    columns: Mapping[str, pa.DataType] = field(default_factory=dict)
    encrypted: bool = False

    @property
    def file_name(self) -> str:
        return f"{self.name}.parquet.enc" if self.encrypted else f"{self.name}.parquet"

    def column_type(self, column: str) -> pa.DataType:
        try:
            return self.columns[column]
        except KeyError as exc:
            raise RunFolderError(f"table {self.name!r} declares no column {column!r}") from exc

    def missing_columns(self, present: list[str] | set[str]) -> list[str]:
        """The declared columns that a file's column names lack, in declared order."""
        return [c for c in self.columns if c not in present]


def _from_spec(spec: TableSpec, *, encrypted: bool = False) -> TableDecl:
    return TableDecl(spec.name, {c.name: c.type for c in spec.columns}, encrypted)


@dataclass(frozen=True)
class StageDef:
    """One stage of the pipeline, declared."""

    name: str
    module: str
    config_sections: tuple[str, ...]
    holds_personal_data: bool
    tables: tuple[TableDecl, ...] = ()
    files: tuple[str, ...] = ()  # other outputs (JSON, HTML, CSV, folders), by name

    @property
    def number(self) -> int:
        return STAGES.index(self) + 1

    @property
    def folder(self) -> str:
        """``NN_<name>``: the stage's folder in a run."""
        return f"{self.number:02d}_{self.name}"

    @property
    def partial_folder(self) -> str:
        """The folder the stage writes into while it runs."""
        return f".{self.folder}.partial"

    def table(self, name: str) -> TableDecl:
        for table in self.tables:
            if table.name == name:
                return table
        raise RunFolderError(
            f"stage {self.name!r} declares no table {name!r}; it declares "
            + ", ".join(t.name for t in self.tables),
            hint="declare the table in gbo.stages",
        )

    def reads_setting(self, path: str) -> bool:
        """Whether the stage declares ``path`` (a section or ``section.field``) or above it."""
        return any(path == s or path.startswith(s + ".") for s in self.config_sections)


_PERSON = {
    "person_pid": STR,
    "n_records": INT,
    "sex": STR,
    "birth_year": INT,
    "ethnicity_self": STR,
    "ethnicity_officer": STR,
    "nationality": STR,
    "has_conflicting_sex": BOOL,
    "has_conflicting_dob": BOOL,
}
_GROUP = {
    "group_pid": STR,
    "n_offenders": INT,
    "n_victims": INT,
    "n_offences": INT,
    "first_date": DATE,
    "last_date": DATE,
    "duration_days": INT,
}
_TIDY = ("tables", "statistics")

# The order of the pipeline. This list is the only place that knows it.
STAGES: tuple[StageDef, ...] = (
    StageDef(
        "ingest",
        "gbo.ingest.stage",
        ("sources", "ingest"),
        True,
        (
            *(_from_spec(t, encrypted=True) for t in CANONICAL_TABLES.values()),
            _from_spec(SOURCE_FILE),
            _from_spec(REJECTED_ROW),
            TableDecl("rejected_raw", encrypted=True),
            _from_spec(DATA_QUALITY_FINDING),
        ),
    ),
    StageDef(
        "vault",
        "gbo.vault.stage",
        ("vault",),
        True,
        (
            _from_spec(IDENTITY, encrypted=True),
            *(_from_spec(t) for t in PSEUDONYMISED_TABLES.values()),
        ),
    ),
    StageDef(
        "link",
        "gbo.link.stage",
        ("link",),
        True,
        (
            TableDecl("person_record_map", {"record_pid": STR, "person_pid": STR, "agency": STR}),
            TableDecl("person", _PERSON),
            TableDecl("link_pair"),
            TableDecl("accepted_link", {"record_pid_l": STR, "record_pid_r": STR, "basis": STR}),
            TableDecl("linkage_bias"),
        ),
        ("review_queue.csv", "model.json", "linkage_quality.json"),
    ),
    StageDef(
        "quality",
        "gbo.quality.stage",
        # The page's figures are controlled for publication by the disclosure stage.
        ("run.is_synthetic",),
        False,
        (TableDecl("completeness"),),
        ("data_quality.html", "data_quality_page.json"),
    ),
    StageDef(
        "groups",
        "gbo.groups.stage",
        ("groups",),
        True,
        (
            TableDecl("offender_edge"),
            TableDecl("group_membership", {"person_pid": STR, "group_pid": STR, "is_lone": BOOL}),
            TableDecl("group", _GROUP),
            TableDecl("group_offence", {"group_pid": STR, "offence_pid": STR}),
            TableDecl("group_victim", {"group_pid": STR, "person_pid": STR}),
            TableDecl("group_sensitivity"),
        ),
        ("group_rule.json", "i2", "networks"),
    ),
    StageDef(
        "profile",
        "gbo.profile.stage",
        ("profile",),
        False,
        (*(TableDecl(t) for t in _TIDY), TableDecl("completeness")),
        ("tables.json",),
    ),
    StageDef(
        "lessons",
        "gbo.lessons.stage",
        ("lessons",),
        False,
        tuple(
            TableDecl(t)
            for t in ("documents", "items", "theme_review_matrix", "excerpts", "theme_assignment")
        )
        + (TableDecl("tables"),),
        ("tables.json", "candidates.csv"),
    ),
    StageDef(
        "disclosure",
        "gbo.disclosure.stage",
        ("disclosure",),
        False,
        (
            *(TableDecl(t) for t in _TIDY),
            TableDecl("suppression_log"),
            TableDecl("other_figures"),
        ),
        (
            "tables.json",
            "other_figures.json",
            "disclosure_audit.json",
            "data_quality.html",
            "quality_completeness.json",
            "linkage_quality.json",
            "quoted_figures.json",
        ),
    ),
    StageDef(
        "publish",
        "gbo.publish.stage",
        ("publish", "run"),
        False,
        (),
        (
            "report",
            "csv",
            "charts",
            "tables.xlsx",
            "tables.ods",
            "manifest.json",
            "release-bundle.zip",
            "release.json",
        ),
    ),
)

STAGE_NAMES: tuple[str, ...] = tuple(s.name for s in STAGES)


def stage(name: str) -> StageDef:
    """The declared stage called ``name``."""
    for spec in STAGES:
        if spec.name == name:
            return spec
    raise RunFolderError(f"no stage called {name!r}; stages are {', '.join(STAGE_NAMES)}")


def stage_folder_name(name: str) -> str:
    """``NN_<name>``, the folder of stage ``name`` in a run."""
    return stage(name).folder
