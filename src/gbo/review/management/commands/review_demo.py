"""``manage.py review_demo``: demo accounts (printed with throwaway passwords) and publication."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gbo.review.demo import load_demo


class Command(BaseCommand):
    help = "Create the demo accounts and the demo publication."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts, publication, source = load_demo()
        self.stdout.write(f"Demo publication '{publication.title}' from {source}.")
        for account in accounts:
            self.stdout.write(f"  {account.role:<14} {account.username:<16} {account.password}")
