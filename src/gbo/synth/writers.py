"""Writing export tables as CSV, XLSX and NDJSON, byte-identical for the same input.

An export table is an ordered mapping of column name to a numpy object array of text
(``None`` for an empty cell); XLSX date columns hold ``datetime64[D]`` values and are
written as real spreadsheet dates, as case management systems export them.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import xlsxwriter

Table = dict[str, np.ndarray]
XLSX_MAX_DATA_ROWS = 1_048_575  # the sheet row limit less the header row
_FIXED_TIME = dt.datetime(2025, 1, 1)
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")


def format_dates(dates: np.ndarray, fmt: str) -> np.ndarray:
    """Dates (``datetime64``) as text in a strftime format; ``None`` for NaT."""
    unit = "D" if "%H" not in fmt else "s"
    array = pa.array(dates.astype(f"datetime64[{unit}]"))
    return np.asarray(pc.strftime(array, format=fmt).to_numpy(zero_copy_only=False), dtype=object)


def fill_missing(values: np.ndarray, label: str) -> np.ndarray:
    """Missing values (``None``) written as an agency's own label for not known."""
    return np.where(np.equal(values, None), label, values).astype(object)


def is_filled(values: np.ndarray) -> np.ndarray:
    return ~np.equal(values, None)


def yes_no(values: np.ndarray, yes: str = "Y", no: str = "N") -> np.ndarray:
    return np.where(values, yes, no).astype(object)


def translate(values: np.ndarray, labels: dict[str, str]) -> np.ndarray:
    """Codes to an agency's labels (values without a label, and None, are kept)."""
    keys = np.array(list(labels), dtype=object)
    out = values.copy()
    for key, label in zip(keys, labels.values(), strict=True):
        out[values == key] = label
    return out


def _arrow_table(table: Table) -> pa.Table:
    return pa.table({name: pa.array(col, type=pa.string()) for name, col in table.items()})


def write_csv(table: Table, path: Path, encoding: str) -> None:
    """CSV with CRLF line ends; ``utf-8-sig`` writes a byte-order mark; others replace what
    the encoding cannot hold with ``?`` as legacy systems do."""
    buffer = io.BytesIO()
    options = pacsv.WriteOptions(include_header=True, quoting_style="needed", eol="\r\n")
    pacsv.write_csv(_arrow_table(table), buffer, write_options=options)
    text = buffer.getvalue().decode("utf-8")
    data = text.encode(encoding, errors="replace")
    path.write_bytes(data)


def write_ndjson(table: Table, path: Path) -> None:
    """One JSON object per line, with nulls for empty fields."""
    frame = pd.DataFrame({name: pd.Series(col, dtype=object) for name, col in table.items()})
    frame.to_json(path, orient="records", lines=True, force_ascii=False)


def sheet_parts(name: str, n_rows: int, limit: int = XLSX_MAX_DATA_ROWS) -> list[tuple[str, slice]]:
    """A sheet too long for one worksheet goes on several: ``name``, ``name 2``, ..."""
    parts = max(1, -(-n_rows // limit))
    return [
        (name if i == 0 else f"{name} {i + 1}", slice(i * limit, min((i + 1) * limit, n_rows)))
        for i in range(parts)
    ]


def write_xlsx(sheets: dict[str, Table], path: Path) -> None:
    """A workbook with one worksheet per table (already split to fit the row limit)."""
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    workbook.set_properties({"created": _FIXED_TIME, "author": "gbo synthetic data"})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for name, table in sheets.items():
        sheet = workbook.add_worksheet(name)
        sheet.write_row(0, 0, list(table))
        columns: list[list[object]] = []
        date_columns = set()
        for j, col in enumerate(table.values()):
            if np.issubdtype(col.dtype, np.datetime64):
                serial = (col.astype("datetime64[D]") - _EXCEL_EPOCH).astype(np.int64)
                columns.append(np.where(np.isnat(col), None, serial).tolist())
                date_columns.add(j)
            else:
                columns.append(col.tolist())
        write_string = sheet.write_string
        write_number = sheet.write_number
        for i, row in enumerate(zip(*columns, strict=True), start=1):
            for j, value in enumerate(row):
                if value is None:
                    continue
                if j in date_columns:
                    write_number(i, j, value, date_format)
                else:
                    write_string(i, j, value)  # type: ignore[arg-type]
    workbook.close()
