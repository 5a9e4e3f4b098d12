"""Small generations shared by the synth tests (made once per test session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gbo.synth import SynthOutput, generate

SMALL = 2000


@pytest.fixture(scope="session")
def small_odd(tmp_path_factory: pytest.TempPathFactory) -> SynthOutput:
    """Size 2000, seed 7: the police CSV in cp1252."""
    return generate(size=SMALL, seed=7, out_dir=tmp_path_factory.mktemp("synth") / "odd")


@pytest.fixture(scope="session")
def small_even(tmp_path_factory: pytest.TempPathFactory) -> SynthOutput:
    """Size 2000, seed 8: the police CSV in UTF-8 with a byte-order mark."""
    return generate(size=SMALL, seed=8, out_dir=tmp_path_factory.mktemp("synth") / "even")


def all_files(folder: Path) -> dict[str, bytes]:
    """Every file of a generation (relative path -> bytes)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
