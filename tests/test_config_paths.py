"""Path settings are resolved against the configuration file's folder, found by their type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from gbo.config import RunConfig, config_from_dict
from gbo.config_paths import path_settings, resolve_config_paths


def test_every_path_setting_of_the_run_config_is_resolved(tmp_path: Path) -> None:
    names = path_settings(RunConfig)
    assert {"run.runs_dir", "sources.path", "vault.key_file", "lessons.library"} <= set(names)
    raw: dict[str, Any] = {"sources": [{"agency": "police"}]}
    for name in names:
        *sections, setting = name.split(".")
        holder: dict[str, Any] = raw["sources"][0] if sections == ["sources"] else raw
        if sections != ["sources"]:
            for section in sections:
                holder = holder.setdefault(section, {})
        holder[setting] = f"rel/{name}"
    config = config_from_dict(raw, base=tmp_path)
    for name in names:
        *sections, setting = name.split(".")
        value: Any = config.sources[0] if sections == ["sources"] else config
        if sections != ["sources"]:
            for section in sections:
                value = getattr(value, section)
        assert getattr(value, setting) == (tmp_path / "rel" / name).resolve(), name


class _Inner(BaseModel):
    file: Path
    files: list[Path] = []
    label: str = ""


class _Outer(BaseModel):
    one: _Inner | None = None
    many: list[_Inner] = []
    optional: Path | None = None
    text: str = ""


def test_a_new_path_setting_is_resolved_without_being_listed(tmp_path: Path) -> None:
    raw = {
        "one": {"file": "a.csv", "files": ["b", "/abs/c"], "label": "not/a/path"},
        "many": [{"file": "d"}],
        "optional": "e",
        "text": "f",
    }
    out = resolve_config_paths(raw, _Outer, tmp_path)
    base = str(tmp_path.resolve())
    assert out["one"] == {
        "file": f"{base}/a.csv",
        "files": [f"{base}/b", "/abs/c"],
        "label": "not/a/path",
    }
    assert out["many"] == [{"file": f"{base}/d"}]
    assert out["optional"] == f"{base}/e" and out["text"] == "f"
    assert raw["optional"] == "e"  # the caller's mapping is left as it was
    assert path_settings(_Outer) == ["one.file", "one.files", "many.file", "many.files", "optional"]
