"""``gbo demo``: synthetic inputs, a throwaway vault key, and a whole pipeline run."""

from __future__ import annotations

import os
from pathlib import Path

from gbo.config import load_config
from gbo.pipeline import run_pipeline
from gbo.progress import Progress
from gbo.security.keys import KEY_ENV_VAR, KEY_FILE_ENV_VAR, make_throwaway_key
from gbo.synth import generate

DEMO_KEY_NAME = "demo-vault.key"


def demo_key_file(out_dir: Path) -> Path:
    """The demo's throwaway key, kept beside the synthetic inputs (outside any run folder)."""
    key_file = out_dir / DEMO_KEY_NAME
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.touch(mode=0o600)
        key_file.write_text(make_throwaway_key() + "\n", encoding="ascii")
    return key_file


def run_demo(*, size: int, seed: int, out_dir: Path, new: bool, progress: Progress) -> Path:
    """Generate the synthetic agencies (unless already there for this size and seed) and run."""
    out_dir = out_dir.resolve()
    config_path = generate(size=size, seed=seed, out_dir=out_dir, progress=progress).config_path
    if not os.environ.get(KEY_ENV_VAR):
        os.environ[KEY_FILE_ENV_VAR] = str(demo_key_file(out_dir))
    config = load_config(config_path)
    return run_pipeline(config, config_path=config_path, resume=not new, progress=progress)
