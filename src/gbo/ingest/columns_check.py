"""Checking that every source column a mapping names exists in the file it maps."""

from __future__ import annotations

from pathlib import Path

from gbo.errors import MappingError
from gbo.ingest.mapping_files import field_source
from gbo.ingest.readers import SourceData
from gbo.schema.mapping import AgencyMapping


def named_columns(mapping: AgencyMapping) -> list[tuple[str | None, str, str]]:
    """Every (sheet, source column, where in the mapping) the mapping names."""
    named: list[tuple[str | None, str, str]] = []
    for i, table in enumerate(mapping.tables):
        for canonical, spec in table.columns.items():
            source = field_source(spec)
            if source.column is not None:
                named.append((table.sheet, source.column, f"tables.{i}.columns.{canonical}"))
        for column in table.row_filter:
            named.append((table.sheet, column, f"tables.{i}.row_filter"))
        if table.flags is not None:
            for column in table.flags.columns:
                named.append((table.sheet, column, f"tables.{i}.flags.columns"))
    return named


def check_mapped_columns(
    mapping: AgencyMapping, mapping_path: Path, data_path: Path, data: SourceData
) -> None:
    """Raise one :class:`MappingError` listing every named column the file does not have."""
    lines: list[str] = []
    seen: set[tuple[str | None, str]] = set()
    for sheet, column, where in named_columns(mapping):
        present = data.sheets[sheet].source_columns
        if column in present or (sheet, column) in seen:
            continue
        seen.add((sheet, column))
        in_sheet = f" (sheet {data.sheets[sheet].name!r})" if data.sheets[sheet].name else ""
        lines.append(
            f"{mapping_path.name} names column {column!r} ({where}), which is not in "
            f"{data_path.name}{in_sheet}; the columns there are: {', '.join(present) or '(none)'}"
        )
    if lines:
        raise MappingError(
            "\n".join(lines),
            hint="correct the column name in the mapping file, or export that column",
            path=mapping_path,
        )
