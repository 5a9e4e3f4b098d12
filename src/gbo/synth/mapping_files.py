"""Writing mapping files and the run configuration as TOML."""

from __future__ import annotations

from pathlib import Path

import tomli_w

from gbo.schema.mapping import AgencyMapping


def write_mapping(mapping: AgencyMapping, path: Path, note: str) -> None:
    """A mapping file as TOML, defaults left out, with a comment saying what it maps."""
    data = mapping.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    text = tomli_w.dumps({"mapping_version": mapping.mapping_version, **data})
    path.write_text(f"# {note}\n# Synthetic data made by gbo synth.\n\n{text}", encoding="utf-8")


def write_run_config(path: Path, sources: list[dict[str, str]], *, size: int, seed: int) -> None:
    """The run configuration of a generation (paths relative to its folder)."""
    config = {
        "run": {"name": "demo", "runs_dir": "../runs", "is_synthetic": True},
        "sources": sources,
    }
    header = (
        f"# gbo run configuration for synthetic data (size {size}, seed {seed}).\n"
        "# Every person in these files is made up; distributions have no real-world meaning.\n\n"
    )
    path.write_text(header + tomli_w.dumps(config), encoding="utf-8")
