"""Reading XLSX and ODS workbooks, every cell as text, straight into Arrow.

``fastexcel`` wraps calamine (a Rust spreadsheet reader) and hands back Arrow columns
without making a Python object per cell, which matters for a million-row export. Every
column is read as text: numbers in their plain form (``12``, ``2.5``), date cells in ISO
form (``2014-05-07 00:00:00``, which every mapping accepts). The header is the first non-blank
row (or the mapping's ``header_row``: a title banner above it is ignored); wholly blank rows
below the header (every cell empty or spaces only), among the data rows or after the last of
them, are counted and skipped, and every data row keeps its spreadsheet row number.
"""

from __future__ import annotations

from pathlib import Path

import fastexcel
import pyarrow as pa
import pyarrow.compute as pc

from gbo.errors import IngestError, MappingError
from gbo.ingest.draft_guess import find_header_row
from gbo.ingest.text_table import SheetData, check_header, check_not_banner, text_table


def _damaged(path: Path, fmt: str) -> IngestError:
    return IngestError(
        f"not a readable {fmt.upper()} workbook: the file is damaged or incomplete",
        hint="open it in a spreadsheet program and save it again, or export it again",
        path=path,
    )


def read_spreadsheet(
    path: Path,
    fmt: str,
    sheets: list[str | None],
    *,
    header_row: int | None = None,
    skip_rows: int = 0,
) -> dict[str | None, SheetData]:
    """Read the named sheets (``None`` = the first sheet) of a workbook."""
    try:
        workbook = fastexcel.read_excel(path)
        names = list(workbook.sheet_names)
    except (fastexcel.FastExcelError, OSError, ValueError) as exc:
        raise _damaged(path, fmt) from exc
    found: dict[str | None, SheetData] = {}
    for wanted in sheets:
        name = names[0] if wanted is None and names else wanted
        if name is None or name not in names:
            raise MappingError(
                f"the mapping names sheet {wanted!r}, which {path.name} does not have; "
                f"its sheets are {', '.join(names) or '(none)'}",
                hint="correct the sheet name in the mapping file",
            )
        try:
            found[wanted] = _read_sheet(workbook, name, path, header_row, skip_rows)
        except (fastexcel.FastExcelError, ValueError) as exc:
            raise _damaged(path, fmt) from exc
    return found


def _non_blank(table: pa.Table) -> pa.Array:
    """True for each row with at least one non-blank cell."""
    filled = [
        pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(col), ""), False) for col in table.columns
    ]
    keep = filled[0]
    for mask in filled[1:]:
        keep = pc.or_(keep, mask)
    return keep.combine_chunks() if isinstance(keep, pa.ChunkedArray) else keep


def _read_sheet(
    workbook: fastexcel.ExcelReader, name: str, path: Path, header_row: int | None, skip_rows: int
) -> SheetData:
    # Read once with no header row from the sheet's first row (calamine parses the whole
    # sheet on every load; skip_rows=0 keeps blank rows above the first used cell, so that
    # index i is spreadsheet row i + 1), then find the header.
    batch = workbook.load_sheet(name, header_row=None, skip_rows=0, dtypes="string", eager=True)
    if batch.num_rows == 0 or batch.num_columns == 0:
        return SheetData(name, text_table([], [], []))
    table = pa.Table.from_batches([batch])
    filled = _non_blank(table).to_pylist()
    if header_row is not None:
        index = header_row - 1
    else:
        index = next((i for i, f in enumerate(filled) if f and i >= skip_rows), len(filled))
    if index >= len(filled) or not filled[index]:
        where = f"row {header_row}" if header_row is not None else f"after row {skip_rows}"
        raise IngestError(
            f"no header row in sheet {name!r}: {where} is blank or past the end of the sheet",
            hint="set header_row in the mapping file to the row that names the columns",
            path=path,
        )
    cells = [
        str(v).strip() if v is not None else ""
        for v in table.slice(index, 1).to_pylist()[0].values()
    ]
    if header_row is None:
        first = [
            [str(v) if v is not None else "" for v in row.values()]
            for row in table.slice(0, 40).to_pylist()
        ]
        check_not_banner(cells, index + 1, find_header_row(first), path, name)
    header = [c or f"column_{i + 1}" for i, c in enumerate(cells)]
    check_header(header, path, name)
    body = table.slice(index + 1)
    rows = pa.array(range(index + 2, index + 2 + body.num_rows), pa.int64())
    keep = pa.array(filled[index + 1 :], pa.bool_())
    # Every wholly blank row below the header that the sheet holds is reported, trailing ones
    # included (as a CSV's blank lines are): calamine reads a sheet to its last used cell,
    # so these are rows a user sees inside the sheet's used range.
    blank = rows.filter(pc.invert(keep)).to_pylist()
    body = body.filter(keep)
    rows = rows.filter(keep)
    columns = [body.column(i).cast(pa.string()) for i in range(body.num_columns)]
    return SheetData(name, text_table(header, columns, rows), blank_lines=blank)
