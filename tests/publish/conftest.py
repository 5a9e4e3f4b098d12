"""Fixtures: a run folder in the disclosure stage's published form, and its publication."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gbo.config import RunConfig
from gbo.runfolder import RunContext, StageResult
from gbo.stages import stage_folder_name
from tests.publish.fixture_run import write_run_folder

REGENERATE = os.environ.get("GBO_REGENERATE_GOLDEN") == "1"
GOLDEN = Path(__file__).parent / "golden"


def run_publish(run_dir: Path, config: RunConfig | None = None) -> tuple[Path, StageResult]:
    """Run the publish stage as the pipeline does: into the partial folder, then rename."""
    from gbo.publish import stage

    ctx = RunContext(run_dir=run_dir, config=config or RunConfig(), stage="publish")
    result = stage.run(ctx)
    final = run_dir / stage_folder_name("publish")
    if final.exists():
        shutil.rmtree(final)
    os.replace(run_dir / f".{stage_folder_name('publish')}.partial", final)
    result.warnings.extend(ctx.warnings)
    return final, result


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, StageResult]:
    """The fixture run folder, published once per session (with ODS when LibreOffice is here)."""
    run_dir = write_run_folder(tmp_path_factory.mktemp("publish") / "run-fixture")
    return run_publish(run_dir)


@pytest.fixture(scope="session")
def publish_dir(published: tuple[Path, StageResult]) -> Path:
    return published[0]


def compare_golden(name: str, actual: str) -> None:
    """Compare text with ``golden/<name>``; rewrite it when GBO_REGENERATE_GOLDEN=1."""
    path = GOLDEN / name
    if REGENERATE or not path.exists():
        if not REGENERATE:
            pytest.fail(f"golden file {name} is missing; run with GBO_REGENERATE_GOLDEN=1")
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), (
        f"{name} differs from the golden file; if the change is intended, rerun with "
        "GBO_REGENERATE_GOLDEN=1 and review the diff"
    )
