"""The published form: percentages hidden with counts, [u], [low], [z], statistics, lessons."""

from __future__ import annotations

import pandas as pd

from gbo.disclosure.control import control_disclosure
from gbo.disclosure.settings import DisclosureSettings
from gbo.disclosure.text_figures import share_in_text
from tests.disclosure.factories import make_tables
from tests.disclosure.tables import cell, one_table, two_way


def test_percentages_and_intervals_hidden_with_their_counts() -> None:
    parts = {"X": {"A": 3, "B": 40, "Not recorded": 12}, "Y": {"A": 45, "B": 38, "Not recorded": 9}}
    rows, meta = one_table("t", two_way(parts))
    result = control_disclosure(rows, meta, DisclosureSettings())
    table = result.tables
    hidden = table[table["count_display"] == "[c]"]
    assert len(hidden) >= 2
    for column in ("pct_of_all", "pct_of_recorded", "ci_lower", "ci_upper"):
        assert hidden[column].isna().all()
        assert set(hidden[f"{column}_display"]) <= {"[c]", "[z]"}
    shown = table[table["count_display"] != "[c]"]
    assert shown["pct_of_all"].notna().all()


def test_pct_of_recorded_hidden_when_not_recorded_is_hidden() -> None:
    rows, meta = one_table("t", {"All": {"A": 40, "B": 50, "Not recorded": 2}})
    result = control_disclosure(rows, meta, DisclosureSettings())
    nr = cell(result.tables, "t", "All", "Not recorded")
    assert nr["count_display"] == "[c]"
    assert nr["pct_of_recorded_display"] == "[z]"
    for category in ("A", "B"):
        row = cell(result.tables, "t", "All", category)
        if row["count_display"] != "[c]":
            # the recorded total (and so the hidden Not recorded count) must not leak
            assert row["pct_of_recorded_display"] == "[c]"
    assert result.audit.passed


def test_small_denominator_flag_and_suppress() -> None:
    rows, meta = one_table("t", {"All": {"A": 8, "B": 12, "Not recorded": 0}})
    flagged = control_disclosure(rows, meta, DisclosureSettings(small_denominator=30))
    a = cell(flagged.tables, "t", "All", "A")
    assert a["pct_of_all_display"] == "40.0 [u]"
    assert a["pct_of_all"] == 40.0
    assert "[u]" in flagged.metadata["t"]["symbols"]
    assert any("[u]" in n for n in flagged.metadata["t"]["notes"])
    hidden = control_disclosure(
        rows, meta, DisclosureSettings(small_denominator=30, small_denominator_action="suppress")
    )
    a = cell(hidden.tables, "t", "All", "A")
    assert a["pct_of_all_display"] == "[u]"
    assert pd.isna(a["pct_of_all"])


def test_tiny_percentage_shows_low() -> None:
    rows, meta = one_table("t", {"All": {"A": 6, "B": 99_994}})
    result = control_disclosure(rows, meta, DisclosureSettings())
    assert cell(result.tables, "t", "All", "A")["pct_of_all_display"] == "[low]"
    assert "[low]" in result.metadata["symbols"]


def test_not_recorded_row_has_no_share_of_recorded() -> None:
    rows, meta = one_table("t", {"All": {"A": 40, "B": 50, "Not recorded": 20}})
    result = control_disclosure(rows, meta, DisclosureSettings())
    assert cell(result.tables, "t", "All", "Not recorded")["pct_of_recorded_display"] == "[z]"
    assert cell(result.tables, "t", "All", "A")["pct_of_recorded_display"] == "44.4"


def test_factory_tables_end_to_end() -> None:
    rows, meta, stats = make_tables(2_000, seed=11)
    result = control_disclosure(rows, meta, DisclosureSettings(), stats)
    assert result.audit.passed
    # lessons tables count documents, and are controlled all the same: no count of 1 to 4
    lessons = result.tables[result.tables["table_id"] == "lessons_themes"]
    shown = pd.to_numeric(lessons["count_display"], errors="coerce").dropna()
    assert not shown.between(1, 4).any()
    assert (result.log["table_id"] == "lessons_themes").any()
    # statistics about fewer people than the threshold are withheld
    stat = result.statistics.set_index("table_id").loc["victims_age"]
    assert stat["value_display"] == "[c]" and pd.isna(stat["value"])
    assert (result.log["rule"] == "statistic_threshold").sum() == 1
    # every symbol used anywhere is explained
    used = set()
    for frame in (result.tables, result.statistics):
        for column in [c for c in frame.columns if c.endswith("_display")]:
            for text in frame[column].dropna():
                used.update(s for s in result.metadata["symbols"] if s in text)
    assert used == set(result.metadata["symbols"])
    # every withheld figure is in the log with a rule and a reason
    hidden = result.tables[result.tables["count_display"] == "[c]"]
    logged = set(
        zip(result.log["table_id"], result.log["breakdown"], result.log["category"], strict=True)
    )
    for row in hidden.itertuples(index=False):
        assert (row.table_id, row.breakdown, row.category) in logged
    assert result.log["reason"].str.len().min() > 0


def test_statistic_resting_on_a_hidden_count_is_withheld() -> None:
    rows, meta = one_table("t", two_way({"X": {"A": 3, "B": 40}, "Y": {"A": 30, "B": 30}}))
    result = control_disclosure(rows, meta, DisclosureSettings())
    hidden = result.tables[result.tables["count_display"] == "[c]"]
    secondary = hidden[hidden["suppression"] == "secondary"]
    assert len(secondary) > 0
    hidden_value = int(
        rows.set_index(["breakdown", "category"])["count"][
            (secondary.iloc[0]["breakdown"], secondary.iloc[0]["category"])
        ]
    )
    stats = pd.DataFrame(
        [
            # e.g. a rate ratio worked from the hidden count
            {
                "table_id": "t",
                "breakdown": "A",
                "statistic": "rate_ratio",
                "value": 1.7,
                "n": hidden_value,
                "ci_lower": 1.1,
                "ci_upper": 2.5,
            },
            {
                "table_id": "t",
                "breakdown": "All",
                "statistic": "median_age",
                "value": 31.0,
                "n": 103,
                "ci_lower": None,
                "ci_upper": None,
            },
            # a census share rests on no one in the records
            {
                "table_id": "t",
                "breakdown": "A",
                "statistic": "population_pct",
                "value": 4.2,
                "n": None,
                "ci_lower": None,
                "ci_upper": None,
            },
        ]
    )
    result = control_disclosure(rows, meta, DisclosureSettings(), stats)
    ratio, median, census = (result.statistics.iloc[i] for i in range(3))
    assert ratio["value_display"] == "[c]" and ratio["ci_upper_display"] == "[c]"
    assert ratio["n_display"] == "[c]" and pd.isna(ratio["value"])
    assert median["value_display"] == "31" and median["n_display"] == "103"
    assert census["value_display"] == "4.2" and census["n_display"] == "[z]"
    assert "statistic_n_hidden" in set(result.log["rule"])


def test_diagonal_of_a_pairs_table_is_not_dominance() -> None:
    rows, meta = one_table(
        "pairs",
        {
            "Looked after": {"Looked after": 30, "Missing": 12},
            "Missing": {"Looked after": 12, "Missing": 25},
        },
        denominators={"Looked after": 30, "Missing": 25},
        is_additive=False,
    )
    result = control_disclosure(rows, meta, DisclosureSettings())
    assert (result.tables["count_display"] != "[c]").all()


def _note_of(table_id: str, cells: dict[str, dict[str, int]], note: str) -> str:
    """The note as published beside a small table."""
    rows, meta = one_table(table_id, cells)
    meta[table_id]["notes"] = [note]
    result = control_disclosure(rows, meta, DisclosureSettings())
    return str(result.metadata[table_id]["notes"][0])


def test_completeness_share_in_a_note_never_gives_back_a_small_count() -> None:
    table = {"All": {"A": 600, "B": 581}}
    # "99% of 165" would say 1 or 2 rows lack the item: the 2 are withheld, and the share
    note = f"Completeness of sex: health {share_in_text(163, 165, 'v|p|sex|health')}"
    assert _note_of("t", table, note) == "Completeness of sex: health [c] of 165"
    assert _note_of("t", table, share_in_text(3, 5, "k")) == "[c] of 5"
    assert _note_of("t", table, share_in_text(2, 3, "k")) == "[c] of [c]"
    assert _note_of("t", table, share_in_text(850, 1181, "k")) == "72% of 1,181"
    assert _note_of("t", table, share_in_text(1181, 1181, "k")) == "100% of 1,181"


def test_a_note_share_is_withheld_with_the_tables_share_recorded() -> None:
    # "police 71% of 98" is the table's share recorded by agency: with the Not recorded
    # count withheld (3), a whole percent of 98 would pin it to within one row, in this table
    # and in every other table quoting the same note
    note = "Completeness of cocad_category (offence rows, by agency): police " + share_in_text(
        70, 98, "offences|offence|cocad_category|police"
    )
    rows, meta = one_table("t", {"All": {"A": 40, "B": 30, "Unknown": 25, "Not recorded": 3}})
    other_rows, other_meta = one_table("u", {"All": {"C": 60, "D": 38}}, margin_key="other")
    meta["t"] |= {"notes": [note], "completeness": 95 / 98}
    other_meta["u"] |= {"notes": [note]}
    result = control_disclosure(
        pd.concat([rows, other_rows], ignore_index=True), meta | other_meta, DisclosureSettings()
    )
    assert cell(result.tables, "t", "All", "Not recorded")["count_display"] == "[c]"
    for table_id in ("t", "u"):
        quoted = [n for n in result.metadata[table_id]["notes"] if n.startswith("Completeness")]
        assert quoted == [
            "Completeness of cocad_category (offence rows, by agency): police [c] of 98"
        ]
