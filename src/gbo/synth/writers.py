"""Writing export tables as CSV, XLSX and NDJSON, byte-identical for the same input.

Export tables are Arrow tables of text columns (null for an empty cell); XLSX date columns
are timestamps and are written as real spreadsheet dates, as case management systems export
them. Building columns once per offence or per person record and taking them per row keeps
a million records fast.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rustpy_xlsxwriter import FastExcel

XLSX_MAX_DATA_ROWS = 1_048_575  # the worksheet row limit less the header row
# Spreadsheet writers stamp the time of writing; a fixed stamp keeps the bytes reproducible.
FIXED_CREATED = b"2025-01-01T00:00:00Z"
_W3CDTF = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def text(values: np.ndarray) -> pa.Array:
    """A numpy array of text (``None`` for empty) as an Arrow string array."""
    return pa.array(values, type=pa.string())


def format_dates(dates: np.ndarray, fmt: str) -> pa.Array:
    """Dates (``datetime64``) as text in a strftime format; null for NaT."""
    unit = "D" if "%H" not in fmt else "s"
    return pc.strftime(pa.array(dates.astype(f"datetime64[{unit}]")), format=fmt)


def timestamps(dates: np.ndarray) -> pa.Array:
    """Dates as Arrow timestamps (spreadsheet date cells); null for NaT."""
    return pa.array(dates.astype("datetime64[s]"))


def take(array: pa.Array, index: np.ndarray) -> pa.Array:
    return array.take(pa.array(index, type=pa.int64()))


def constant(value: str, n: int) -> pa.Array:
    return pa.array(np.full(n, value, dtype=object), type=pa.string())


def translate(values: np.ndarray, labels: dict[str, str]) -> np.ndarray:
    """Codes to an agency's labels (values without a label, and None, are kept)."""
    out = values.copy()
    for key, label in labels.items():
        out[values == key] = label
    return out


def blank_where(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Text values with ``None`` (not recorded) where ``mask`` holds."""
    out = values.astype(object)
    out[mask] = None
    return out


def fill_missing(values: np.ndarray, label: str) -> np.ndarray:
    """Missing values (``None``) written as an agency's own label for not known."""
    out = values.astype(object)
    out[pd.isna(values)] = label
    return out


def yes_no(values: np.ndarray, yes: str = "Y", no: str = "N") -> np.ndarray:
    return np.where(values, yes, no).astype(object)


def write_ndjson(table: pa.Table, path: Path) -> None:
    """One JSON object per line, fields in column order, null for empty fields."""
    con = duckdb.connect()
    try:
        con.execute("SET threads = 1")
        con.register("export_rows", table)
        target = str(path).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM export_rows) TO '{target}' (FORMAT json)")
    finally:
        con.close()


def sheet_parts(name: str, n_rows: int, limit: int = XLSX_MAX_DATA_ROWS) -> list[tuple[str, slice]]:
    """A sheet too long for one worksheet goes on several: ``name``, ``name 2``, ..."""
    parts = max(1, -(-n_rows // limit))
    return [
        (name if i == 0 else f"{name} {i + 1}", slice(i * limit, min((i + 1) * limit, n_rows)))
        for i in range(parts)
    ]


def write_xlsx(sheets: dict[str, pa.Table], path: Path, date_format: str = "dd/mm/yyyy") -> None:
    """A workbook with one worksheet per table (already split to fit the row limit)."""
    workbook = FastExcel(path).format(datetime_format=date_format)
    for name, table in sheets.items():
        workbook = workbook.sheet(name, table.to_pandas(types_mapper=pd.ArrowDtype))
    workbook.save()
    fix_created_time(path)


def fix_created_time(path: Path) -> None:
    """Replace the time of writing in the workbook's properties with a fixed one."""
    partial = path.with_name(path.name + ".partial")
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            if info.filename == "docProps/core.xml":
                data = _W3CDTF.sub(FIXED_CREATED, source.read(info))
                target.writestr(info, data, compresslevel=6)
                continue
            info.compress_type = zipfile.ZIP_DEFLATED
            with source.open(info) as reader, target.open(info, "w") as writer:
                shutil.copyfileobj(reader, writer, 1 << 20)
    os.replace(partial, path)
