"""The generated reference pages are in step with the code (regenerate with `make docs`)."""

from __future__ import annotations

import pytest

from gbo.docs_reference import DOCS, PAGES


@pytest.mark.parametrize("name", sorted(PAGES))
def test_reference_page_is_up_to_date(name: str) -> None:
    checked_in = (DOCS / name).read_text(encoding="utf-8")
    assert checked_in == PAGES[name]() + "\n", f"docs/{name} is stale: run `make docs`"


def test_every_command_is_documented_with_help() -> None:
    text = PAGES["cli-reference.md"]()
    assert "## `gbo run`" in text and "## `gbo audit leaks`" in text
    blocks = text.split("## `")[1:]
    assert all("Usage:" in block for block in blocks)
