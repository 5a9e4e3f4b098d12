"""The published form of the disclosure-controlled tables.

The disclosure stage gives every figure a ``*_display`` string: the number as it may be
published, or a shorthand symbol. Publishing trusts only that string: wherever it is a
symbol, the numeric figure is dropped here, so no later step can chart or write a figure
that disclosure control withheld, whatever the numeric column still holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from gbo.disclosure.symbols import FIGURES, display_figure, is_symbol
from gbo.errors import PublishError
from gbo.schema.sections import REPORT_SECTIONS
from gbo.stages import stage_folder_name

SECTION_ORDER = REPORT_SECTIONS
REQUIRED_TABLE_COLUMNS = ("table_id", "breakdown", "category", "category_order", "count")
STATISTIC_FIGURES = ("value", "n", "ci_lower", "ci_upper")
RESERVED_JSON_KEYS = {"symbols", "tables", "disclosure", "format", "format_version", "notes"}


@dataclass(frozen=True)
class TableMeta:
    """What ``tables.json`` says about one table."""

    table_id: str
    title: str
    section: str
    definition: str = ""
    population: str = ""
    unit: str = "people"
    period: str = ""
    category_label: str = "Category"
    breakdown_label: str | None = None
    is_additive: bool = False
    completeness: float | None = None
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, table_id: str, raw: dict[str, Any]) -> TableMeta:
        section = str(raw.get("section") or "scale")
        completeness = raw.get("completeness")
        return cls(
            table_id=table_id,
            title=str(raw.get("title") or table_id.replace("_", " ").capitalize()),
            section=section if section in SECTION_ORDER else "scale",
            definition=str(raw.get("definition") or ""),
            population=str(raw.get("population") or ""),
            unit=str(raw.get("unit") or "people"),
            period=str(raw.get("period") or ""),
            category_label=str(raw.get("category_label") or "Category"),
            breakdown_label=raw.get("breakdown_label") or None,
            is_additive=bool(raw.get("is_additive", False)),
            completeness=float(completeness) if completeness is not None else None,
            notes=tuple(str(n) for n in raw.get("notes") or ()),
            sources=tuple(str(s) for s in raw.get("sources") or ()),
        )


@dataclass
class PublishedTable:
    """One table: its metadata, its published rows and any statistics that go with it."""

    meta: TableMeta
    rows: pd.DataFrame
    statistics: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def table_id(self) -> str:
        return self.meta.table_id

    @property
    def has_breakdown(self) -> bool:
        return bool(self.meta.breakdown_label) or set(self.rows["breakdown"]) != {"All"}


def split_tables_json(raw: Any) -> tuple[dict[str, dict[str, Any]], Any]:
    """``tables.json`` -> (table metadata by id, symbols legend or None)."""
    if not isinstance(raw, dict):
        raise PublishError(
            "tables.json is not a JSON object",
            hint="rerun the disclosure stage",
            path=f"{stage_folder_name('disclosure')}/tables.json",
        )
    symbols = raw.get("symbols")
    if isinstance(raw.get("tables"), dict):
        tables = raw["tables"]
    else:
        tables = {
            k: v for k, v in raw.items() if k not in RESERVED_JSON_KEYS and isinstance(v, dict)
        }
    return {str(k): v for k, v in tables.items() if isinstance(v, dict)}, symbols


def format_statistic(figure: str, value: float) -> str:
    """A statistic (median, rate ratio...) with up to two places; ``n`` as a count."""
    if figure == "n":
        return f"{int(round(value)):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def publish_figures(
    frame: pd.DataFrame,
    figures: tuple[str, ...],
    formatter: Callable[[str, float], str] = display_figure,
) -> pd.DataFrame:
    """Null every figure whose display text is a symbol and make sure each has a display.

    A figure without a ``*_display`` column is treated as withheld on a suppressed row
    (except the denominator, the population of the column).
    """
    out = frame.copy()
    suppressed = (
        out["suppression"].notna()
        if "suppression" in out.columns
        else pd.Series(False, index=out.index)
    )
    for figure in figures:
        display_col = f"{figure}_display"
        if figure not in out.columns:
            out[figure] = pd.Series(pd.NA, index=out.index, dtype="Float64")
        values = pd.to_numeric(out[figure], errors="coerce").astype("Float64")
        if display_col in out.columns:
            display = out[display_col].astype("string")
            withheld = display.fillna("[x]").map(is_symbol).astype(bool)
        else:
            withheld = suppressed & (figure != "denominator")
            display = pd.Series(pd.NA, index=out.index, dtype="string")
        withheld = withheld | values.isna()
        values = values.mask(withheld)
        formatted = [
            _display_text(figure, d, w, sup, v, formatter)
            for d, w, sup, v in zip(
                display.tolist(),
                withheld.tolist(),
                suppressed.tolist(),
                values.tolist(),
                strict=True,
            )
        ]
        out[figure] = values
        out[display_col] = pd.Series(formatted, index=out.index, dtype="string")
    return out


def _display_text(
    figure: str,
    display: object,
    withheld: bool,
    suppressed: bool,
    value: object,
    formatter: Callable[[str, float], str],
) -> str:
    """The text shown for one figure.

    A withheld figure shows the disclosure stage's symbol. A published one shows the
    disclosure stage's text (which may carry a flag, as in ``12.5 [u]``), with thousands
    separators added to plain whole numbers; without such text, the formatted number.
    """
    if withheld:
        if isinstance(display, str) and is_symbol(display):
            return display
        return "[c]" if suppressed else "[x]"
    if isinstance(display, str) and display.strip():
        text = display.strip()
        return f"{int(text):,}" if text.isdigit() else text
    return formatter(figure, float(value))  # type: ignore[arg-type]


def prepare_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Check the tidy columns and put the published figures in order."""
    missing = [c for c in REQUIRED_TABLE_COLUMNS if c not in frame.columns]
    if missing:
        raise PublishError(
            f"tables.parquet lacks the column(s) {', '.join(missing)}",
            hint="rerun the disclosure stage; see docs/run-folder.md for the tidy table format",
            path=f"{stage_folder_name('disclosure')}/tables.parquet",
        )
    out = frame.copy()
    if "is_not_recorded" not in out.columns:
        out["is_not_recorded"] = out["category"].eq("Not recorded")
    if "suppression" not in out.columns:
        out["suppression"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out = publish_figures(out, FIGURES)
    not_applicable = out["is_not_recorded"].astype(bool) & out["pct_of_recorded_display"].eq("[x]")
    out.loc[not_applicable, "pct_of_recorded_display"] = "[z]"
    return out


def prepare_statistics(frame: pd.DataFrame) -> pd.DataFrame:
    """The same treatment for ``statistics.parquet`` (medians, quartiles, rate ratios)."""
    if frame.empty:
        return frame
    missing = [c for c in ("table_id", "breakdown", "statistic", "value") if c not in frame]
    if missing:
        raise PublishError(
            f"statistics.parquet lacks the column(s) {', '.join(missing)}",
            hint="rerun the disclosure stage",
            path=f"{stage_folder_name('disclosure')}/statistics.parquet",
        )
    out = frame.copy()
    if "suppression" not in out.columns:
        out["suppression"] = pd.Series(pd.NA, index=out.index, dtype="string")
    return publish_figures(out, STATISTIC_FIGURES, format_statistic)


def _in_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Breakdowns in the order the disclosure stage wrote them, categories by their order."""
    if frame.empty:
        return frame.reset_index(drop=True)
    rank = {b: i for i, b in enumerate(dict.fromkeys(frame["breakdown"].tolist()))}
    keys = ["_breakdown_rank"] + (["category_order"] if "category_order" in frame else [])
    ordered = frame.assign(_breakdown_rank=frame["breakdown"].map(rank))
    ordered = ordered.sort_values(keys, kind="stable").drop(columns="_breakdown_rank")
    return ordered.reset_index(drop=True)


def build_tables(
    rows: pd.DataFrame, statistics: pd.DataFrame, metadata: dict[str, dict[str, Any]]
) -> tuple[list[PublishedTable], list[str]]:
    """Pair rows with metadata, in report order; return the tables and any warnings."""
    warnings: list[str] = []
    tables: list[PublishedTable] = []
    ids_with_rows = list(dict.fromkeys(rows["table_id"].tolist()))
    stat_ids = list(dict.fromkeys(statistics["table_id"].tolist())) if not statistics.empty else []
    order = list(metadata) + [t for t in ids_with_rows + stat_ids if t not in metadata]
    by_id = dict(iter(rows.groupby("table_id", sort=False)))
    stats_by_id = dict(iter(statistics.groupby("table_id", sort=False))) if stat_ids else {}
    for table_id in dict.fromkeys(order):
        if table_id not in metadata:
            warnings.append(f"table {table_id!r} has no entry in tables.json; titled from its id")
        meta = TableMeta.from_json(table_id, metadata.get(table_id, {}))
        table_rows = by_id.get(table_id, rows.iloc[0:0])
        table_stats = stats_by_id.get(table_id, pd.DataFrame())
        if table_rows.empty and table_stats.empty:
            warnings.append(f"table {table_id!r} is described in tables.json but has no rows")
            continue
        tables.append(PublishedTable(meta, _in_order(table_rows), _in_order(table_stats)))
    tables.sort(key=lambda t: SECTION_ORDER.index(t.meta.section))
    return tables, warnings
