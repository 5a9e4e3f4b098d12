"""Reading XLSX and ODS workbooks with calamine (a fast Rust reader), every cell as text.

The first row of a sheet is its header; wholly blank rows are skipped, and data rows keep
their position below the header as their row number.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import python_calamine as calamine

from gbo.errors import IngestError, MappingError
from gbo.ingest.sheet_values import cells_to_text_array, value_to_text
from gbo.ingest.text_table import SheetData, check_header, text_table

_DAMAGED = (
    calamine.CalamineError,
    calamine.ZipError,
    calamine.XmlError,
    calamine.PasswordError,
    ValueError,
    OSError,
)


def read_spreadsheet(path: Path, fmt: str, sheets: list[str | None]) -> dict[str | None, SheetData]:
    """Read the named sheets (``None`` = the first sheet) of a workbook."""
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except _DAMAGED as exc:
        raise IngestError(
            f"not a readable {fmt.upper()} workbook: the file is damaged or incomplete",
            hint="open it in a spreadsheet program and save it again, or export it again",
            path=path,
        ) from exc
    found: dict[str | None, SheetData] = {}
    with workbook:
        names = list(workbook.sheet_names)
        for wanted in sheets:
            name = names[0] if wanted is None and names else wanted
            if name is None or name not in names:
                raise MappingError(
                    f"the mapping names sheet {wanted!r}, which {path.name} does not have; "
                    f"its sheets are {', '.join(names) or '(none)'}",
                    hint="correct the sheet name in the mapping file",
                )
            try:
                cells = workbook.get_sheet_by_name(name).to_python(skip_empty_area=True)
            except _DAMAGED as exc:
                raise IngestError(
                    f"sheet {name!r} cannot be read: the workbook is damaged",
                    hint="open it in a spreadsheet program and save it again",
                    path=path,
                ) from exc
            found[wanted] = _sheet_from_cells(name, cells, path)
    return found


def _sheet_from_cells(name: str, cells: Sequence[Sequence[object]], path: Path) -> SheetData:
    if not cells:
        return SheetData(name, text_table([], [], []))
    header = [(value_to_text(v) or "").strip() or f"column_{i + 1}" for i, v in enumerate(cells[0])]
    check_header(header, path, name)
    width = len(header)
    data: list[list[object]] = []
    rows: list[int] = []
    for number, row in enumerate(cells[1:], start=1):
        if any(v not in ("", None) for v in row):
            data.append(list(row[:width]) + [None] * (width - len(row)))
            rows.append(number)
    columns = [cells_to_text_array(col) for col in zip(*data, strict=True)] or [
        cells_to_text_array([]) for _ in header
    ]
    return SheetData(name, text_table(header, columns, rows))
