"""Reading XLSX and ODS workbooks, every cell as text, straight into Arrow.

``fastexcel`` wraps calamine (a Rust spreadsheet reader) and hands back Arrow columns
without making a Python object per cell, which matters for a million-row export. Every
column is read as text: numbers in their plain form (``12``, ``2.5``), date cells in ISO
form (``2014-05-07 00:00:00``, which every mapping accepts). The first row of a sheet is its
header; wholly blank rows are skipped, and data rows keep their position below the header as
their row number.
"""

from __future__ import annotations

from pathlib import Path

import fastexcel
import pyarrow as pa
import pyarrow.compute as pc

from gbo.errors import IngestError, MappingError
from gbo.ingest.text_table import SheetData, check_header, text_table


def _damaged(path: Path, fmt: str) -> IngestError:
    return IngestError(
        f"not a readable {fmt.upper()} workbook: the file is damaged or incomplete",
        hint="open it in a spreadsheet program and save it again, or export it again",
        path=path,
    )


def read_spreadsheet(path: Path, fmt: str, sheets: list[str | None]) -> dict[str | None, SheetData]:
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
            found[wanted] = _read_sheet(workbook, name, path)
        except (fastexcel.FastExcelError, ValueError) as exc:
            raise _damaged(path, fmt) from exc
    return found


def _read_sheet(workbook: fastexcel.ExcelReader, name: str, path: Path) -> SheetData:
    # Read once with no header row (calamine parses the whole sheet on every load), then
    # take the first row as the header.
    batch = workbook.load_sheet(name, header_row=None, dtypes="string", eager=True)
    if batch.num_rows == 0:
        return SheetData(name, text_table([], [], []))
    header = [
        (str(v).strip() if v is not None else "") or f"column_{i + 1}"
        for i, v in enumerate(batch.slice(0, 1).to_pylist()[0].values())
    ]
    check_header(header, path, name)
    table = pa.Table.from_batches([batch.slice(1)])
    rows = pa.array(range(1, table.num_rows + 1), pa.int64())
    if table.num_columns:
        filled = [
            pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(col), ""), False)
            for col in table.columns
        ]
        keep = filled[0]
        for mask in filled[1:]:
            keep = pc.or_(keep, mask)
        table = table.filter(keep)
        rows = rows.filter(keep)
    columns = [table.column(i).cast(pa.string()) for i in range(table.num_columns)]
    return SheetData(name, text_table(header, columns, rows))
