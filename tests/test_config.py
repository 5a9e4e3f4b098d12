from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from gbo.config import RunConfig, load_config
from gbo.errors import ConfigError


def _models(model: type[BaseModel]) -> list[type[BaseModel]]:
    found = [model]
    for field in model.model_fields.values():
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        for candidate in (annotation, *args):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                found += _models(candidate)
    return found


def test_every_setting_has_a_description() -> None:
    for model in _models(RunConfig):
        for name, field in model.model_fields.items():
            if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
                continue
            assert field.description, f"{model.__name__}.{name} has no description"


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "run.toml"
    path.write_text('[run]\nnmae = "x"\n[vault]\nkey_fiel = "k"\n[[sources]]\nagency = "police"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    for expected in ("run.nmae", "vault.key_fiel", "sources.0.path", "sources.0.mapping"):
        assert expected in message
    assert str(path) in message


def test_relative_paths_are_resolved_against_the_config_folder(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "run.toml"
    path.parent.mkdir()
    path.write_text(
        '[run]\nruns_dir = "../runs"\n[[sources]]\nagency = "police"\n'
        'path = "data/p.csv"\nmapping = "m/p.toml"\n'
    )
    config = load_config(path)
    assert config.run.runs_dir == (tmp_path / "runs").resolve()
    assert config.sources[0].path == (tmp_path / "cfg" / "data" / "p.csv").resolve()


def test_missing_and_broken_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "absent.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[run\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(broken)


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.integers(), max_size=4))
def test_unknown_top_level_keys_are_always_rejected(extra: dict[str, int]) -> None:
    known = set(RunConfig.model_fields)
    unknown = {k: v for k, v in extra.items() if k not in known}
    if not unknown:
        return
    with pytest.raises(ConfigError):
        from gbo.config import config_from_dict

        config_from_dict(dict(unknown), base=Path("."))
