"""The GOV.UK Frontend assets the report links to, copied from ``node_modules`` at run time.

The repository holds no copy of GOV.UK Frontend's CSS: ``make npm`` installs the package
and each run copies the built stylesheet, script, fonts and images next to the report. The
stylesheet refers to its fonts and images at ``/assets/``; the copy is pointed at the
folder beside it instead, so the report works from a file, the review app or any sub-path.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import gbo
from gbo.errors import PublishError

FRONTEND = Path("govuk-frontend") / "dist" / "govuk"
STYLESHEET = "govuk-frontend.min.css"
SCRIPT = "all.bundle.js"


@dataclass(frozen=True)
class AssetFiles:
    """Paths of the copied assets, relative to the report folder."""

    stylesheet: str = f"assets/{STYLESHEET}"
    script: str = "assets/govuk-frontend.bundle.js"
    own_stylesheet: str = "assets/gbo-report.css"
    favicon: str = "assets/images/favicon.ico"


def find_frontend(node_modules: str = "") -> Path:
    """The ``dist/govuk`` folder of govuk-frontend, from settings, the repo or the cwd."""
    candidates = [Path(node_modules)] if node_modules else []
    candidates += [
        Path(gbo.__file__).resolve().parents[2] / "node_modules",
        Path.cwd() / "node_modules",
    ]
    for candidate in candidates:
        folder = candidate / FRONTEND
        if (folder / STYLESHEET).is_file():
            return folder
    raise PublishError(
        "govuk-frontend is not installed, so the report has no stylesheet",
        hint="run `make npm` (npm install) in the repository, or set publish.node_modules",
    )


def drop_govuk_typeface(css: str) -> str:
    """The stylesheet with Arial in place of GDS Transport (licensed for GOV.UK only)."""
    css = re.sub(r"@font-face\{font-family:\"?GDS Transport\"?;[^}]*\}", "", css)
    return css.replace("GDS Transport,arial,sans-serif", "arial,sans-serif").replace(
        '"GDS Transport",arial,sans-serif', "arial,sans-serif"
    )


def copy_assets(
    report_dir: Path, node_modules: str = "", *, govuk_typeface: bool = True
) -> AssetFiles:
    """Copy the stylesheet, script, fonts and images into ``report_dir/assets``.

    With ``govuk_typeface=False`` the GDS Transport fonts are neither copied nor named.
    """
    source = find_frontend(node_modules)
    files = AssetFiles()
    target = report_dir / "assets"
    target.mkdir(parents=True, exist_ok=True)
    css = (source / STYLESHEET).read_text(encoding="utf-8")
    css = css.replace("url(/assets/", "url(")
    # drop the source map reference: the map itself is not shipped
    css = css.split("/*# sourceMappingURL=")[0]
    if not govuk_typeface:
        css = drop_govuk_typeface(css)
    (report_dir / files.stylesheet).write_text(css, encoding="utf-8")
    script = (source / SCRIPT).read_text(encoding="utf-8").split("//# sourceMappingURL=")[0]
    (report_dir / files.script).write_text(script, encoding="utf-8")
    for sub in ("fonts", "images") if govuk_typeface else ("images",):
        dest = target / sub
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(source / "assets" / sub, dest)
    own = resources.files("gbo.publish").joinpath("static", "gbo-report.css").read_text("utf-8")
    (report_dir / files.own_stylesheet).write_text(own, encoding="utf-8")
    return files
