"""``gbo review``: run the review app and manage it (a skin over Django's own commands).

``gbo review serve --demo`` is the one command for a demo: it migrates a local SQLite
database, creates demo accounts (printing their throwaway passwords) and a demo publication,
then serves the app with gunicorn on http://127.0.0.1:8000/.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from gbo.cli_support import out, user_errors
from gbo.errors import ReviewError

GUNICORN_CONFIG = "gbo.review.project.gunicorn_conf"

app = typer.Typer(help="The reference group's review web app (Django).", no_args_is_help=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder for the database and stored bundles."),
]
Prod = Annotated[
    bool,
    typer.Option("--prod", help="Production settings (HTTPS only; secrets from the environment)."),
]


def setup_django(data_dir: Path | None, prod: bool) -> None:
    """Choose the settings, then start Django."""
    if data_dir is not None:
        os.environ["GBO_REVIEW_DATA_DIR"] = str(data_dir.resolve())
    module = "prod" if prod else "dev"
    os.environ["DJANGO_SETTINGS_MODULE"] = f"gbo.review.project.settings.{module}"
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise ReviewError(str(exc), hint="see docs/review.md, section Security settings") from None
    from django.conf import settings

    from gbo.review.project.private_files import make_private_dir, prepare_sqlite_file

    make_private_dir(Path(settings.DATA_DIR))
    prepare_sqlite_file(settings.DATABASES["default"])


def call(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


@app.command("migrate")
def migrate_command(data_dir: DataDir = None, prod: Prod = False) -> None:
    """Create or update the database tables."""
    with user_errors():
        setup_django(data_dir, prod)
        call("migrate", "--no-input")
        from gbo.review.demo import ensure_site_groups

        ensure_site_groups()


@app.command("createsuperuser")
def createsuperuser_command(data_dir: DataDir = None, prod: Prod = False) -> None:
    """Create an administrator account (asks for the username and password)."""
    with user_errors():
        setup_django(data_dir, prod)
        call("createsuperuser")


@app.command("adduser")
def adduser_command(
    username: Annotated[str, typer.Argument(help="The new account's username.")],
    analyst: Annotated[bool, typer.Option(help="May create publications.")] = False,
    administrator: Annotated[bool, typer.Option(help="Manages accounts and members.")] = False,
    data_dir: DataDir = None,
    prod: Prod = False,
) -> None:
    """Create an account with a random first password (printed once; change it after)."""
    with user_errors():
        setup_django(data_dir, prod)
        from gbo.review.accounts import add_user

        password = add_user(username, is_analyst=analyst, is_administrator=administrator)
    typer.echo(f"{username}\t{password}")


@app.command("check")
def check_command(
    deploy: Annotated[bool, typer.Option(help="Also run Django's deployment checks.")] = False,
    data_dir: DataDir = None,
    prod: Prod = False,
) -> None:
    """Run Django's system checks."""
    with user_errors():
        setup_django(data_dir, prod)
        call("check", *(["--deploy", "--fail-level", "WARNING"] if deploy else []))


@app.command("demo-data")
def demo_data_command(data_dir: DataDir = None) -> None:
    """Load the demo accounts and publication into a local database (no server)."""
    with user_errors():
        setup_django(data_dir, prod=False)
        call("migrate", "--no-input", "--verbosity", "0")
        _print_demo()


def _print_demo() -> None:
    call("review_demo")


@app.command("serve")
def serve_command(
    demo: Annotated[bool, typer.Option(help="Load demo accounts and a demo publication.")] = False,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="gunicorn worker processes.")] = 2,
    threads: Annotated[int, typer.Option(help="Threads per worker.")] = 4,
    data_dir: DataDir = None,
    prod: Prod = False,
) -> None:
    """Migrate, optionally load the demo, and serve the app with gunicorn."""
    with user_errors():
        if demo and prod:
            raise ReviewError("--demo cannot be used with --prod", hint="demo accounts are unsafe")
        setup_django(data_dir, prod)
        call("migrate", "--no-input", "--verbosity", "0")
        from gbo.review.demo import ensure_site_groups

        ensure_site_groups()
        if demo:
            _print_demo()
        out.print(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)", highlight=False)
        sys.stdout.flush()
        argv = [sys.executable, "-m", "gunicorn", "gbo.review.project.wsgi:application"]
        # Request limits, timeouts and keep-alive: gbo/review/project/gunicorn_conf.py.
        argv += ["--config", f"python:{GUNICORN_CONFIG}"]
        argv += ["--bind", f"{host}:{port}", "--workers", str(workers), "--threads", str(threads)]
        os.execvpe(argv[0], argv, os.environ.copy())


@app.command("manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage_command(ctx: typer.Context, data_dir: DataDir = None, prod: Prod = False) -> None:
    """Any other Django management command, e.g. ``gbo review manage changepassword NAME``."""
    with user_errors():
        setup_django(data_dir, prod)
        from django.core.management import execute_from_command_line

        execute_from_command_line(["gbo review manage", *ctx.args])
