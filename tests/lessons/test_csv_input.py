"""A user's CSV file: rows numbered as a spreadsheet shows them, faults named with the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from gbo.errors import LessonsError
from gbo.lessons.csv_input import numbered_rows


def test_rows_are_numbered_from_two_after_the_header(tmp_path: Path) -> None:
    path = tmp_path / "meta.csv"
    path.write_text("\ufefffile,year\na.txt,2019\nb.txt,\n", encoding="utf-8")
    rows = numbered_rows(path, ["file"], "metadata file", "h")
    assert [(n, r["file"]) for n, r in rows] == [(2, "a.txt"), (3, "b.txt")]


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "meta.csv"
    path.write_text("file\na.txt\n", encoding="utf-8")
    with pytest.raises(LessonsError, match=r"meta.csv: the metadata file has no year column"):
        numbered_rows(path, ["file", "year"], "metadata file", "h")


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "meta.csv"
    path.write_bytes("file,title\na.txt,caf\xe9\n".encode("latin-1"))
    with pytest.raises(LessonsError, match="cannot be read as CSV"):
        numbered_rows(path, ["file"], "metadata file", "h")
