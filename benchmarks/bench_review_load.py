"""Load test of the review app: 50 reviewers reading and commenting for 60 s (locust, headless).

The benchmark makes a fresh data folder (SQLite), loads the demo publication, adds 50 reviewer
accounts invited to it, starts the app as ``gbo review serve`` does (gunicorn, 2 workers x 8
threads, loopback only) and runs ``locust --headless`` with ``locustfile_review.py``.
It prints the median and 95th percentile response times, the error count (target p95 <= 300
ms, no errors) and the server's CPU time per request, which does not depend on what else the
machine is doing, with the machine's load average. Then, with the load over, it asks one
report page 200 times in a row as one reviewer, revalidating (304) and in full (200, from the
report kept in memory), and prints the server's CPU per request of each (target <= 15 ms).
It exits non-zero only if requests failed.
``python -m benchmarks.bench_review_load [--users N] [--seconds S]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measure import measure, report

REPO = Path(__file__).resolve().parents[1]
LOCUSTFILE = Path(__file__).with_name("locustfile_review.py")
TARGET_P95_MS = 300
TARGET_CPU_MS = 15
SERIAL_REQUESTS = 200


def app_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        GBO_REVIEW_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="gbo.review.project.settings.dev",
    )
    return env


def prepare(data_dir: Path, n_users: int, accounts_file: Path) -> None:
    """Run in a child process: demo publication plus ``n_users`` invited reviewers."""
    os.environ.update(app_env(data_dir))
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from gbo.review.demo import load_demo
    from gbo.review.models import Membership, Role

    call_command("migrate", "--no-input", "--verbosity", "0")
    _, publication, _ = load_demo()
    version = publication.latest_version()
    assert version is not None
    password = secrets.token_urlsafe(12)
    hashed = make_password(password)  # one argon2 hash shared by the load-test accounts
    accounts = []
    for i in range(n_users):
        user = User.objects.create(username=f"load-reviewer-{i:03d}", password=hashed)
        Membership.objects.create(publication=publication, user=user, role=Role.REVIEWER)
        accounts.append([user.username, password])
    anchors = [a.key for a in version.anchors.all()]
    setup = {
        "publication": publication.pk,
        "version": version.number,
        "anchors": anchors,
        "accounts": accounts,
    }
    accounts_file.write_text(json.dumps(setup), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, process: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the review server stopped before it answered")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the review server did not start")


def sign_in(url: str, username: str, password: str) -> list[dict[str, str]]:
    """Sign one reviewer in through the form; their cookies (name, value, domain, path)."""
    import requests

    session = requests.Session()
    login = f"{url}/accounts/login/"
    session.get(login, timeout=60)
    response = session.post(
        login,
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["gbo_review_csrftoken"],
        },
        headers={"Referer": login},
        timeout=120,
    )
    response.raise_for_status()
    if "/accounts/login/" in response.url:
        raise SystemExit(f"sign-in failed for {username}")
    return [
        {"name": c.name, "value": c.value or "", "domain": c.domain, "path": c.path}
        for c in session.cookies
    ]


def sign_in_all(url: str, accounts_file: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    setup = json.loads(accounts_file.read_text(encoding="utf-8"))
    with ThreadPoolExecutor(max_workers=8) as pool:
        setup["sessions"] = list(pool.map(lambda a: sign_in(url, *a), setup["accounts"]))
    accounts_file.write_text(json.dumps(setup), encoding="utf-8")


def server_cpu_seconds(master: int) -> float:
    """CPU time used so far by the gunicorn master and its workers (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0.0
    for pid in [str(master), *children]:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def cpu_per_page(url: str, accounts_file: Path, master: int) -> dict[str, float]:
    """Server CPU per request for one report page asked again and again, 304 and 200."""
    import re

    import requests

    setup = json.loads(accounts_file.read_text(encoding="utf-8"))
    session = requests.Session()
    for cookie in setup["sessions"][0]:
        session.cookies.set(**cookie)
    overview = session.get(f"{url}/publications/{setup['publication']}/versions/1/", timeout=60)
    page = (
        url
        + re.findall(r'href="(/publications/\d+/versions/\d+/sections/[^"/]+/)"', overview.text)[0]
    )
    etag = session.get(page, timeout=60).headers["ETag"]
    result = {}
    for label, headers, status in (
        ("revalidated (304)", {"If-None-Match": etag}, 304),
        ("full page (200)", {}, 200),
    ):
        before = server_cpu_seconds(master)
        for _ in range(SERIAL_REQUESTS):
            answer = session.get(page, headers=headers, timeout=60)
            if answer.status_code != status:
                raise SystemExit(f"{label}: expected {status}, got {answer.status_code}")
        result[label] = 1000 * (server_cpu_seconds(master) - before) / SERIAL_REQUESTS
    return result


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def run(users: int, seconds: int) -> int:
    with tempfile.TemporaryDirectory(prefix="gbo-review-load-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        accounts = Path(tmp) / "accounts.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_review_load",
                "--prepare",
                str(data_dir),
                "--users",
                str(users),
                "--accounts",
                str(accounts),
            ],
            cwd=REPO,
            check=True,
        )
        port = free_port()
        server_log = (Path(tmp) / "server.log").open("wb")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gbo.cli",
                "review",
                "serve",
                "--data-dir",
                str(data_dir),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "2",
                "--threads",
                "8",
            ],
            cwd=tmp,
            env=app_env(data_dir),
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for(port, server)
            sign_in_all(f"http://127.0.0.1:{port}", accounts)
            prefix = Path(tmp) / "locust"
            print(
                f"{users} reviewers, {seconds} s, against gunicorn on 127.0.0.1:{port}", flush=True
            )
            cpu_before = server_cpu_seconds(server.pid)
            with measure() as m:
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "locust",
                        "-f",
                        str(LOCUSTFILE),
                        "--headless",
                        "--users",
                        str(users),
                        "--spawn-rate",
                        "10",
                        "--run-time",
                        f"{seconds}s",
                        "--host",
                        f"http://127.0.0.1:{port}",
                        "--csv",
                        str(prefix),
                        "--only-summary",
                        "--loglevel",
                        "WARNING",
                        "--exit-code-on-error",
                        "0",
                    ],
                    cwd=REPO,
                    env={**os.environ, "GBO_REVIEW_LOAD_ACCOUNTS": str(accounts)},
                    check=True,
                )
            server_cpu = server_cpu_seconds(server.pid) - cpu_before
            load_during = os.getloadavg()[0]
            per_page = cpu_per_page(f"http://127.0.0.1:{port}", accounts, server.pid)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            server_log.close()
        rows = read_stats(prefix)
    report("review load test", m)
    total = next(r for r in rows if r["Name"] == "Aggregated")
    for row in rows:
        print(
            f"  {row['Name']:<18} requests {row['Request Count']:>6}  "
            f"failures {row['Failure Count']:>4}  median {row['50%']:>5} ms  "
            f"p95 {row['95%']:>5} ms"
        )
    p50 = float(total["50%"])
    p95 = float(total["95%"])
    errors = int(total["Failure Count"])
    rate = float(total["Requests/s"])
    print(
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms (target <= {TARGET_P95_MS} ms), errors {errors} "
        f"(target 0), {rate:.1f} requests/s"
    )
    n_requests = int(total["Request Count"])
    print(
        f"server CPU {1000 * server_cpu / max(n_requests, 1):.1f} ms per request "
        f"({server_cpu:.1f} s for {n_requests} requests); load average (1 min) at the end of "
        f"the run {load_during:.1f} on {os.cpu_count()} cores"
    )
    for label, ms in per_page.items():
        print(
            f"server CPU per report page, {label}: {ms:.1f} ms "
            f"({SERIAL_REQUESTS} in a row; target <= {TARGET_CPU_MS} ms)"
        )
    cached_ok = max(per_page.values()) <= TARGET_CPU_MS
    verdict = "met" if p95 <= TARGET_P95_MS and errors == 0 and cached_ok else "NOT met"
    print(
        f"targets (p95 <= {TARGET_P95_MS} ms, no errors, <= {TARGET_CPU_MS} ms CPU per cached "
        f"page): {verdict}"
    )
    return 1 if errors else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--accounts", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare, args.users, args.accounts)
        return
    sys.exit(run(args.users, args.seconds))


if __name__ == "__main__":
    main()
