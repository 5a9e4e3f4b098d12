"""ODS, converted from the XLSX workbook by LibreOffice headless.

The workbook is written once (with gptables) and converted, so the two formats hold the
same cells. LibreOffice runs with a throwaway profile folder, so it neither reads nor
changes a user's profile and two conversions can run at once.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from gbo.errors import PublishError


def find_soffice(executable: str = "soffice") -> str | None:
    """The path of LibreOffice's ``soffice``, or ``None`` when it is not installed."""
    return shutil.which(executable)


def convert_to_ods(xlsx: Path, executable: str = "soffice", timeout: int = 180) -> Path:
    """Convert ``xlsx`` to ``.ods`` beside it; raise :class:`PublishError` on failure."""
    soffice = find_soffice(executable)
    if soffice is None:
        raise PublishError(
            "LibreOffice (soffice) is not installed, so no ODS workbook was written",
            hint="install Debian's libreoffice-calc package (apt-get install libreoffice-calc)",
        )
    target = xlsx.with_suffix(".ods")
    with tempfile.TemporaryDirectory(prefix="gbo-soffice-") as tmp:
        profile = Path(tmp) / "profile"
        out_dir = Path(tmp) / "out"
        out_dir.mkdir()
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "ods",
            "--outdir",
            str(out_dir),
            str(xlsx),
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise PublishError(
                f"LibreOffice did not finish converting the workbook within {timeout} s",
                hint="raise publish.soffice_timeout_seconds, or turn off publish.write_ods",
                path=xlsx,
            ) from exc
        produced = out_dir / f"{xlsx.stem}.ods"
        if result.returncode != 0 or not produced.is_file():
            detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            raise PublishError(
                f"LibreOffice could not convert the workbook to ODS: {detail[0]}",
                hint="check that libreoffice-calc is installed and working (soffice --version)",
                path=xlsx,
            )
        shutil.move(str(produced), target)
    return target
