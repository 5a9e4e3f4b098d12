"""A real server for browser tests: gunicorn on loopback over a fresh data folder.

The data folder is prepared through the CLI (``gbo review demo-data``), whose output gives the
demo accounts' throwaway passwords.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ACCOUNT_LINE = re.compile(r"^\s+(\w+)\s+(demo-[\w-]+)\s+(\S+)$")


@dataclass
class LiveApp:
    url: str
    data_dir: Path
    passwords: dict[str, str]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        GBO_REVIEW_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="gbo.review.project.settings.dev",
        PYTHONPATH=str(REPO / "src"),
    )
    return env


def load_demo(data_dir: Path) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "gbo.cli", "review", "demo-data", "--data-dir", str(data_dir)],
        env=app_env(data_dir),
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    passwords = {}
    for line in result.stdout.splitlines():
        if match := ACCOUNT_LINE.match(line):
            passwords[match.group(2)] = match.group(3)
    return passwords


@contextmanager
def serve(data_dir: Path, workers: int = 2, threads: int = 4) -> Iterator[str]:
    """gunicorn serving the app from ``data_dir`` on a free loopback port, until the block ends."""
    port = free_port()
    log = (data_dir / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "gbo.review.project.wsgi:application",
            "--config",
            "python:gbo.review.project.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--graceful-timeout",
            "2",
        ],
        env=app_env(data_dir),
        cwd=data_dir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("the review server stopped; see server.log") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextmanager
def live_app(data_dir: Path) -> Iterator[LiveApp]:
    data_dir.mkdir(parents=True, exist_ok=True)
    passwords = load_demo(data_dir)
    with serve(data_dir) as url:
        yield LiveApp(url=url, data_dir=data_dir, passwords=passwords)
