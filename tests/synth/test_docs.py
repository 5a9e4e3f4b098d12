"""docs/synthetic-data.md keeps up with the settings and the ground truth files."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from gbo.synth import SynthOutput, SynthSettings

DOC = Path(__file__).resolve().parents[2] / "docs" / "synthetic-data.md"


def _setting_names(model: type, prefix: str = "") -> list[str]:
    names = []
    for name, field in model.model_fields.items():  # type: ignore[attr-defined]
        annotation = field.annotation
        if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
            names += _setting_names(annotation, f"{prefix}{name}.")
            names.append(name)
        else:
            names.append(name)
    return names


def test_every_setting_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [n for n in _setting_names(SynthSettings) if f"`{n}`" not in text]
    assert missing == []


def test_every_ground_truth_file_and_column_is_documented(small_odd: SynthOutput) -> None:
    text = DOC.read_text(encoding="utf-8")
    for path in sorted(small_odd.ground_truth_dir.glob("*.parquet")):
        assert f"`{path.name}`" in text
        for column in pq.read_schema(path).names:
            assert f"`{column}`" in text, (path.name, column)


def test_the_doc_says_the_data_have_no_real_world_meaning() -> None:
    assert "no real-world meaning" in DOC.read_text(encoding="utf-8")
