"""``gbo demo``: synthetic inputs, a throwaway vault key, and a whole pipeline run.

The demo folder holds the synthetic agency exports and their mapping files (``gbo synth``),
a small synthetic library of case reviews, a throwaway vault key, and ``demo.toml``: the
synthetic run configuration with the key file and the library added.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w

from gbo.config import load_config
from gbo.lessons.generator import write_library
from gbo.lessons.library import METADATA_FILE
from gbo.pipeline import run_pipeline
from gbo.progress import Progress
from gbo.security.keys import make_throwaway_key
from gbo.synth import SynthOutput, generate

DEMO_KEY_NAME = "demo-vault.key"
DEMO_LIBRARY = "case_reviews"
DEMO_CONFIG = "demo.toml"


def demo_key_file(out_dir: Path) -> Path:
    """The demo's throwaway key, kept beside the synthetic inputs (outside any run folder)."""
    key_file = out_dir / DEMO_KEY_NAME
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.touch(mode=0o600)
        key_file.write_text(make_throwaway_key() + "\n", encoding="ascii")
    return key_file


def write_demo_config(synth: SynthOutput, out_dir: Path, seed: int, progress: Progress) -> Path:
    """``demo.toml``: the synthetic configuration plus the demo key and case review library."""
    library = out_dir / DEMO_LIBRARY
    if not (library / METADATA_FILE).exists():
        write_library(library, n_documents=6, pages=4, seed=seed, progress=progress)
    raw = tomllib.loads(synth.config_path.read_text(encoding="utf-8"))
    raw["vault"] = {"key_file": demo_key_file(out_dir).name}
    raw["lessons"] = {"library": DEMO_LIBRARY}
    # Synthetic data come with the truth, so the data quality page can say how well
    # linkage did; the truth is read only to measure linkage, never to link.
    truth = synth.ground_truth_dir / "person_records.parquet"
    raw["link"] = {"ground_truth_file": str(truth.relative_to(out_dir))}
    path = out_dir / DEMO_CONFIG
    header = "# gbo demo: synthetic inputs, a throwaway key and a synthetic case review library.\n"
    text = header + tomli_w.dumps(raw)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def run_demo(*, size: int, seed: int, out_dir: Path, new: bool, progress: Progress) -> Path:
    """Generate the synthetic agencies (unless already there for this size and seed) and run."""
    out_dir = out_dir.resolve()
    synth = generate(size=size, seed=seed, out_dir=out_dir, progress=progress)
    config_path = write_demo_config(synth, out_dir, seed, progress)
    config = load_config(config_path)
    return run_pipeline(config, config_path=config_path, resume=not new, progress=progress)
