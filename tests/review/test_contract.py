"""The review app reads what the publish stage writes: a real bundle is accepted and its report
anchored. (Both sides take the bundle format from :mod:`gbo.bundle`; tests/bundle checks it.)"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gbo.review.bundle.identifier_scan import scan_text
from gbo.review.bundle.report import read_report
from gbo.review.bundle.upload import check_bundle
from gbo.review.settings import REVIEW_SETTINGS


@pytest.mark.slow
def test_a_bundle_from_the_publish_stage_is_accepted_and_anchored(
    tmp_path: Path, vault_key: str
) -> None:
    from tests.publish.conftest import run_publish
    from tests.publish.fixture_run import write_run_folder

    publish_dir, _ = run_publish(write_run_folder(tmp_path / "run"))
    data = (publish_dir / "release-bundle.zip").read_bytes()
    checked = check_bundle(io.BytesIO(data), len(data), REVIEW_SETTINGS)
    anchors = read_report(checked.report_html, lambda tag, src: None)
    top = [a for a in anchors if a.is_top_level]
    tables = [a for a in anchors if a.kind == "table"]
    assert len(top) >= 3 and len(tables) >= 3
    assert all(a.section_id in {t.anchor_id for t in top} for a in anchors)


def test_numbers_in_markup_attributes_are_not_identifiers() -> None:
    svg = '<svg><path d="M943 476 5919 L1 2"/><text x="1">Year</text></svg>'
    assert list(scan_text("charts/a.svg", svg)) == []
    assert [f.kind for f in scan_text("charts/a.svg", "<text>943 476 5919</text>")] == [
        "NHS number"
    ]


def test_cells_next_to_each_other_do_not_make_an_nhs_number() -> None:
    xml = "<row><c><v>943</v></c><c><v>476</v></c><c><v>5919</v></c></row>"
    assert list(scan_text("tables.xlsx!xl/worksheets/sheet1.xml", xml)) == []
