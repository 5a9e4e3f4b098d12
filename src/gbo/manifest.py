"""``manifest.json``: what a run read and wrote, stage by stage."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"
STAGE_RAN = "ran"  # the stage ran in this run
STAGE_KEPT = "kept"  # the stage's inputs were unchanged: its earlier outputs were kept
STAGE_STATUSES = (STAGE_RAN, STAGE_KEPT)


def read_manifest(run_dir: Path) -> dict[str, Any]:
    path = run_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write_manifest(run_dir: Path, manifest: dict[str, Any]) -> Path:
    path = run_dir / MANIFEST_NAME
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=False, default=str) + "\n", "utf-8")
    os.replace(tmp, path)
    return path
