"""Writing small CSV files for the tests of gbo's CSV readers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

THEMES = [f"T{i:02d}" for i in range(1, 22)]  # the taxonomy's ids


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """``rows`` under ``header``, as the csv module writes them, at ``path``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path
