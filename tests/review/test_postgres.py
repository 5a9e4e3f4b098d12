"""The app's database tests again, on a throwaway PostgreSQL cluster from Debian's packages.

The fixture runs ``initdb`` and ``pg_ctl`` (as the ``postgres`` user when the tests run as
root) in a temporary folder on a free loopback port, then runs the database test modules in a
child pytest with ``DATABASE_URL`` pointing at it. Skipped when the binaries are absent
(``apt-get install postgresql``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.review.live_server import REPO, free_port

PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
MODULES = [
    "test_flow.py",
    "test_audit_log.py",
    "test_url_walk.py",
    "test_views.py",
    "test_admin_accounts.py",
]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(not PG_BINS, reason="PostgreSQL server binaries are not installed"),
]


def run_as_owner(args: list[str]) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(prefix + args, check=True, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    bin_dir = PG_BINS[-1].parent
    base = Path(tempfile.mkdtemp(prefix="gbo-review-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    port = free_port()
    run_as_owner(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "gbo",
            "-E",
            "UTF8",
            "--no-locale",
        ]
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    run_as_owner(
        [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(base / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        ]
    )
    try:
        yield f"postgres://gbo@127.0.0.1:{port}/postgres"
    finally:
        run_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(base, ignore_errors=True)


def test_app_tests_pass_on_postgresql(postgres_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        DATABASE_URL=postgres_url,
        DJANGO_SETTINGS_MODULE="gbo.review.project.settings.test",
        GBO_REVIEW_EXPECT_VENDOR="postgresql",
    )
    paths = [str(Path(__file__).parent / m) for m in MODULES]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "-m",
            "not slow",
            *paths,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    tail = result.stdout[-4000:] + result.stderr[-2000:]
    assert result.returncode == 0, tail
    assert " passed" in result.stdout and " failed" not in result.stdout, tail
