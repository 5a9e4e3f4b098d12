"""ODS, converted from the XLSX workbook by LibreOffice headless.

The workbook is written once (with gptables) and converted, so the two formats hold the
same cells. LibreOffice runs with a throwaway profile folder, so it neither reads nor
changes a user's profile and two conversions can run at once. The conversion runs in the
background (:func:`start_conversion`) while the stage draws charts and writes the report.
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


class OdsConversion:
    """A running LibreOffice conversion of one workbook; :meth:`wait` gives the ODS path."""

    def __init__(self, xlsx: Path, executable: str = "soffice", timeout: int = 180) -> None:
        soffice = find_soffice(executable)
        if soffice is None:
            raise PublishError(
                "LibreOffice (soffice) is not installed, so no ODS workbook was written",
                hint="install Debian's libreoffice-calc package (apt-get install "
                "libreoffice-calc), or turn off publish.write_ods",
            )
        self.xlsx = xlsx
        self.timeout = timeout
        self._tmp = tempfile.TemporaryDirectory(prefix="gbo-soffice-")
        tmp = Path(self._tmp.name)
        self._out_dir = tmp / "out"
        self._out_dir.mkdir()
        command = [
            soffice,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "ods",
            "--outdir",
            str(self._out_dir),
            str(xlsx),
        ]
        self._process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def cancel(self) -> None:
        """Stop LibreOffice (when the stage fails before the conversion is needed)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.communicate()
        self._tmp.cleanup()

    def wait(self) -> Path:
        """Wait for LibreOffice, move the ODS beside the workbook and return its path."""
        try:
            try:
                stdout, stderr = self._process.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired as exc:
                self._process.kill()
                self._process.communicate()
                raise PublishError(
                    f"LibreOffice did not finish converting the workbook within {self.timeout} s",
                    hint="raise publish.soffice_timeout_seconds, or turn off publish.write_ods",
                    path=self.xlsx,
                ) from exc
            produced = self._out_dir / f"{self.xlsx.stem}.ods"
            if self._process.returncode != 0 or not produced.is_file():
                lines = (stderr or stdout).strip().splitlines()
                raise PublishError(
                    f"LibreOffice could not convert the workbook to ODS: "
                    f"{lines[-1] if lines else 'no output'}",
                    hint="check that libreoffice-calc works (soffice --version)",
                    path=self.xlsx,
                )
            target = self.xlsx.with_suffix(".ods")
            shutil.move(str(produced), target)
            return target
        finally:
            self._tmp.cleanup()


def start_conversion(xlsx: Path, executable: str = "soffice", timeout: int = 180) -> OdsConversion:
    """Start converting ``xlsx`` to ODS in the background."""
    return OdsConversion(xlsx, executable, timeout)


def convert_to_ods(xlsx: Path, executable: str = "soffice", timeout: int = 180) -> Path:
    """Convert ``xlsx`` to ``.ods`` beside it and wait; raise :class:`PublishError` on failure."""
    return start_conversion(xlsx, executable, timeout).wait()
