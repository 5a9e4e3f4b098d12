"""The register of versioned probes: what the tests and the benchmark hold the coder to."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbo.errors import LessonsError
from gbo.lessons.evaluation import probe_file, read_probe, read_register, versioned_probe_files

DATA = Path(__file__).parents[1] / "data/lessons"


def test_every_registered_probe_is_on_disk_with_its_rows_and_controls() -> None:
    probes = read_register(DATA / "probes.toml")
    assert [p.version for p in probes] == sorted({p.version for p in probes})
    for probe in probes:
        assert len(read_probe(probe_file(DATA, probe.version))) == probe.rows
        controls = probe_file(DATA, probe.version, controls=True)
        assert controls.exists() == (probe.least_control_themes is not None), probe.version
    on_disk = {version for version, _ in versioned_probe_files(DATA)}
    assert on_disk == {p.version for p in probes}


def _table(version: int, use: str) -> str:
    return (
        f'[[probe]]\nversion = {version}\nuse = "{use}"\nstatus = "s"\nrows = 1\n'
        "most_false_positives = 0\n"
    )


@given(st.lists(st.integers(1, 99), unique=True, max_size=6))
def test_the_register_is_read_in_version_order(versions: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        register = Path(folder) / "probes.toml"
        register.write_text("".join(_table(v, "read") for v in versions), encoding="utf-8")
        assert [p.version for p in read_register(register)] == sorted(versions)


@pytest.mark.parametrize(
    "text",
    [
        _table(5, "scored"),  # not a use the register knows
        _table(5, "read") + "guard = 1\n",  # an unknown key
        '[[probe]]\nversion = 5\nuse = "read"\n',  # the guards missing
        "[[probe]\n",  # not TOML
    ],
)
def test_a_bad_register_is_refused_naming_the_file(tmp_path: Path, text: str) -> None:
    register = tmp_path / "probes.toml"
    register.write_text(text, encoding="utf-8")
    with pytest.raises(LessonsError, match="probes.toml"):
        read_register(register)
