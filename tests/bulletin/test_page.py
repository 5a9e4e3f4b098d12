"""The bulletin page of a published run, and commentary that fails the run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gbo.config import RunConfig
from gbo.errors import PublishError
from gbo.stages import stage_folder_name
from tests.publish.conftest import run_publish
from tests.publish.fixture_run import write_run_folder

LINK = re.compile(r'href="index\.html#([a-z0-9-]+)"')


def test_bulletin_opens_with_main_points_linked_to_their_tables(publish_dir: Path) -> None:
    bulletin = (publish_dir / "report" / "bulletin.html").read_text(encoding="utf-8")
    report = (publish_dir / "report" / "index.html").read_text(encoding="utf-8")
    main = bulletin.split('id="main-points"', 1)[1].split("</section>", 1)[0]
    points = re.findall(r"<li>(.*?)</li>", main, flags=re.S)
    assert points, "no main point was drafted"
    for point in points:
        anchor = LINK.search(point)
        assert anchor is not None, point
        assert f'id="{anchor.group(1)}"' in report
    # every table of the report is listed in the bulletin's annex: two clicks from the top
    report_tables = set(re.findall(r'<section class="gbo-table-block" id="([a-z0-9-]+)"', report))
    assert report_tables and report_tables <= set(LINK.findall(bulletin))
    assert "Main points" in report and 'href="bulletin.html"' in report
    drafted = (publish_dir / "main-points.md").read_text(encoding="utf-8")
    assert drafted.count("\n- ") == len(points)


def _publish_with_commentary(tmp_path: Path, files: dict[str, str]) -> Path:
    run_dir = write_run_folder(tmp_path / "run")
    commentary = tmp_path / "commentary"
    commentary.mkdir()
    for name, text in files.items():
        (commentary / name).write_text(text, encoding="utf-8")
    config = RunConfig.model_validate(
        {
            "publish": {
                "write_ods": False,
                "write_xlsx": False,
                "write_bundle": False,
                "bulletin": {"commentary_dir": str(commentary)},
            }
        }
    )
    return run_publish(run_dir, config)[0]


def test_commentary_with_an_unpublished_number_fails_the_run(tmp_path: Path) -> None:
    with pytest.raises(PublishError) as caught:
        _publish_with_commentary(
            tmp_path, {"offenders.md": "Context first.\n\nIn all, 4,321 offenders were found.\n"}
        )
    message = caught.value.render()
    assert "offenders.md" in message and "line 3" in message and "4,321" in message
    assert not (tmp_path / "run" / stage_folder_name("publish")).exists()


def test_analyst_main_points_and_commentary_are_published(tmp_path: Path) -> None:
    out = _publish_with_commentary(
        tmp_path,
        {
            "main-points.md": "- Most offenders in groups were recorded as male (table 2).\n",
            "offenders.md": "## Context\n\nFigures are for **one** area only; <b>raw</b> HTML "
            "is shown as text.\n",
        },
    )
    bulletin = (out / "report" / "bulletin.html").read_text(encoding="utf-8")
    report = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "Most offenders in groups were recorded as male (table 2)." in bulletin
    assert "written by the analysts" in bulletin
    assert '<h4 class="govuk-heading-s">Context</h4>' in bulletin
    assert "<b>raw</b>" not in bulletin and "&lt;b&gt;raw&lt;/b&gt;" in bulletin
    assert 'id="commentary"' in report and "<strong>one</strong>" in report
    shutil.rmtree(tmp_path / "commentary")
