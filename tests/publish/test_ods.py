"""ODS converted by LibreOffice from the same workbook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from gbo.errors import PublishError
from gbo.publish.ods import convert_to_ods, find_soffice


@pytest.mark.slow
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_ods_holds_the_same_sheets_and_cells(publish_dir: Path) -> None:
    ods = pd.read_excel(publish_dir / "tables.ods", sheet_name=None, header=None, engine="odf")
    xlsx = pd.read_excel(publish_dir / "tables.xlsx", sheet_name=None, header=None)
    assert list(ods) == list(xlsx)
    for sheet in ("T2_offenders_sex", "Notes"):

        def cells(frame: pd.DataFrame) -> list[list[str]]:
            # odfpy drops the line break LibreOffice keeps in a header: compare without spaces
            return [["".join(str(v).split()) for v in row] for row in frame.values.tolist()]

        assert cells(ods[sheet]) == cells(xlsx[sheet])


def test_missing_soffice_is_a_clear_error(tmp_path: Path) -> None:
    workbook = tmp_path / "tables.xlsx"
    workbook.write_bytes(b"")
    with pytest.raises(PublishError, match="LibreOffice"):
        convert_to_ods(workbook, executable="no-such-soffice-here")


def test_stage_warns_and_goes_on_without_soffice(published: tuple[Path, object]) -> None:
    # the session run had LibreOffice or warned about it: either way the XLSX is there
    publish_dir, result = published
    assert (publish_dir / "tables.xlsx").is_file()
    if find_soffice() is None:
        assert any("ODS workbook skipped" in w for w in result.warnings)  # type: ignore[attr-defined]
    else:
        assert (publish_dir / "tables.ods").is_file()
