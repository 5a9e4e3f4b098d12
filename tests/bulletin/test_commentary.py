"""The analyst's commentary: rendered safely, and refused when it says more than the tables."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbo.bulletin.commentary import NumberRules, check_numbers, load_commentary, render_markdown
from gbo.errors import PublishError

RULES = NumberRules(
    published=frozenset(Decimal(x) for x in ("1068", "62.5", "58.1", "66.9", "5", "12")),
    years=frozenset(range(2012, 2025)),
    threshold=5,
    n_references=40,
)


def test_published_figures_years_and_references_pass() -> None:
    check_numbers(
        "In 2012 to 2024, 62.5% of 1,068 offenders (95% confidence interval 58.1% to 66.9%) "
        "were male; see table 3 and note 12.",
        RULES,
        Path("offenders.md"),
    )


def test_an_unpublished_number_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "offenders.md"
    with pytest.raises(PublishError) as caught:
        check_numbers("First line.\nThe true figure is 1,069.", RULES, path)
    message = caught.value.render()
    assert "offenders.md" in message and "line 2" in message and "1,069" in message


@given(st.integers(min_value=1, max_value=4))
def test_small_counts_are_refused_even_when_published_elsewhere(count: int) -> None:
    rules = NumberRules(
        published=RULES.published | {Decimal(count)},
        years=RULES.years,
        threshold=5,
        n_references=40,
    )
    with pytest.raises(PublishError, match="below the disclosure threshold"):
        check_numbers(f"There were {count} victims in the smallest area.", rules, Path("x.md"))
    check_numbers(f"See table {count}.", rules, Path("x.md"))


def test_markdown_is_rendered_in_govuk_style_and_sanitised() -> None:
    html = render_markdown(
        "# Context\n\nSome **text** and [a link](https://example.org).\n\n"
        "<script>alert(1)</script>\n\n- one\n- two\n\n[bad](javascript:alert(1))"
    )
    assert '<h3 class="govuk-heading-m">Context</h3>' in html
    assert '<p class="govuk-body">' in html and 'class="govuk-list govuk-list--bullet"' in html
    assert "<script" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert 'class="govuk-link"' in html


def test_a_file_for_no_section_is_refused(tmp_path: Path) -> None:
    (tmp_path / "offenders.md").write_text("Nothing numeric.\n", encoding="utf-8")
    (tmp_path / "ofenders.md").write_text("Typo in the name.\n", encoding="utf-8")
    with pytest.raises(PublishError, match="names no section"):
        load_commentary(tmp_path, ["offenders"], RULES)
    (tmp_path / "ofenders.md").unlink()
    found = load_commentary(tmp_path, ["offenders"], RULES)
    assert list(found) == ["offenders"]
