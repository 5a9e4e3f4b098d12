"""Rendering Vega-Lite specifications to SVG with vl-convert, offline.

vl-convert renders one chart at a time on one JavaScript worker per process. With
``helper=True`` the second half of the charts is rendered by a helper process
(``python -m gbo.publish.svg_render IN OUT``) while this process renders the first half, so
two cores share the work. If the helper fails, its charts are rendered here.

The helper reads a JSON list of specifications from the file ``IN`` and writes a JSON list of
SVG documents to ``OUT``; it needs vl-convert and the standard library only.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import vl_convert as vlc

HELPER_TIMEOUT_SECONDS = 600


def render_specs(specs: list[dict[str, Any]]) -> list[str]:
    """Render each Vega-Lite specification to an SVG document, in order."""
    return [vlc.vegalite_to_svg(spec) for spec in specs]


def render_all(specs: list[dict[str, Any]], *, helper: bool = True) -> tuple[list[str], str]:
    """Render every specification; return the SVGs and a warning ('' when none)."""
    if not helper or len(specs) < 4:
        return render_specs(specs), ""
    half = len(specs) // 2
    mine, theirs = specs[:half], specs[half:]
    with tempfile.TemporaryDirectory(prefix="gbo-svg-") as tmp:
        source, target = Path(tmp) / "specs.json", Path(tmp) / "svgs.json"
        source.write_text(json.dumps(theirs), encoding="utf-8")
        process = subprocess.Popen(
            [sys.executable, "-m", "gbo.publish.svg_render", str(source), str(target)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            rendered = render_specs(mine)
        except BaseException:
            process.kill()
            process.communicate()
            raise
        try:
            _, stderr = process.communicate(timeout=HELPER_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            stderr = "timed out"
        svgs: Any = None
        if process.returncode == 0 and target.is_file():
            svgs = json.loads(target.read_text(encoding="utf-8"))
        if not (isinstance(svgs, list) and len(svgs) == len(theirs)):
            lines = (stderr or "").strip().splitlines()
            reason = lines[-1] if lines else f"exit code {process.returncode}"
            return rendered + render_specs(theirs), (
                f"the chart helper process failed ({reason}); its charts were drawn here"
            )
        return rendered + [str(svg) for svg in svgs], ""


def main(argv: list[str]) -> int:
    source, target = Path(argv[0]), Path(argv[1])
    specs = json.loads(source.read_text(encoding="utf-8"))
    target.write_text(json.dumps(render_specs(specs)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
