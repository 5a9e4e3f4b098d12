"""``manage.py review_adduser NAME [--analyst] [--administrator]``: an account, random password."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gbo.review.accounts import add_user


class Command(BaseCommand):
    help = "Create an account with a random first password, printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--analyst", action="store_true")
        parser.add_argument("--administrator", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        password = add_user(
            options["username"],
            is_analyst=options["analyst"],
            is_administrator=options["administrator"],
        )
        self.stdout.write(f"{options['username']}\t{password}")
