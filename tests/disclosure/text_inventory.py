"""Every number a reader finds in the texts of a release, and what each one is.

The attacker's text reader (:func:`tests.disclosure.attacker_text.published_texts`) reads
every published text. This inventory takes each number it finds and asks what it is:

* **harmless by form**: a year or a month and year, a table or note number, a code-list
  label with digits in it ("19C", "Local authority 3", "13 to 15"), the release's version,
  run id or commit, the disclosure settings (the threshold, the small-denominator limit, the
  95% of an interval), the group rule's settings, the public classifications' sizes, and the
  sizes of a chart's axes (the number of categories, a scale up to the largest shown value);
* **a declared figure**: a figure of the one system the disclosure audit solves, shown: a
  cell, total, percentage, interval or statistic of a published table (sentences that quote a
  table, a chart's data, a spreadsheet's cells), a share recorded, a linkage fact, or a
  count or share quoted in a note (``08_disclosure/quoted_figures.json``);
* anything else is **undeclared**: a number a reader can see that the audit never saw.

:func:`undeclared_numbers` lists the last kind; the release check fails on any. The sentence
shapes below are written out as a reader would classify them, from the published files
alone; the run's disclosure folder gives the figures of the notes and the linkage facts as
the audit controlled them (``quoted_figures.json``, ``linkage_quality.json``).
"""

from __future__ import annotations

import html
import json
import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tests.disclosure.attacker_text import published_texts, sentences

NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])")
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
# (pattern, why its numbers are harmless): removed from a sentence before its numbers are read
HARMLESS: tuple[tuple[str, str], ...] = (
    (r"^Group rule [^:]*:.*", "the group rule's settings"),
    (r"\[note \d+\]", "note number"),
    (r"(?i)\b(?:chart of |download |source: )?table \d+\b", "table number"),
    (r"\bT\d+_\w+", "sheet name"),
    (r"(?:\d{1,2} )?" + MONTH + r" \d{4}", "month and year"),
    (r"\bCensus \d{4}\b|\bTS\d{3}\b|\bK\d{8}\b|https?://\S+", "public source"),
    (r"\bv\d+(?:\.\d+)*\b", "licence version"),
    (r"\b\d+\.\d+\.\d+(?:\+g[0-9a-f]+)?\b", "code version"),
    (r"\b[a-z]+-\d{8}-\d{6}-[0-9a-f]+\b|\b[0-9a-f]{12}\b", "run id or hash"),
    (r"\bgbo-groups-\d+\b", "group rule id"),
    (r"\b\d+ or more offenders connected\b", "group rule setting"),
    (r"Networks of more than \d+ offenders", "group rule setting"),
    (r"resolution [\d.]+, seed \d+", "group rule setting"),
    (r"\b\d+% (?:confidence|intervals?)\b|\bLower \d+%|\bUpper \d+%", "interval level"),
    (r"\bCounts of 1 to \d+ are withheld|\bCounts below \d+ are withheld", "threshold"),
    (r"Percentages of fewer than \d+ people", "small-denominator setting"),
    (r"\bfewer than \d+ \w+ have a recorded self-defined ethnicity", "publication rule"),
    (r"\bThe \d+-category table\b", "classification size"),
    (r"\bpolice \d+\+\d+ list\b|\b\d+\+\d+ Chinese \(O\d\) is read as A\d", "code list"),
    (
        r"\(\d+ (?:ONS )?(?:groups|categories)\)|\bthe \d+ ONS\s+(?:Census \d{4}\s+)?categories",
        "classification size",
    ),
    (r"\bIC\d\b", "code list"),
    (r"linear scale with values from [\d.]+ to [\d.]+", "chart axis of shown values"),
    (r"\b\d+ cells? (?:is|are) withheld by disclosure control", "number of [c] in a table"),
    (r"\bAll \d+ tables\b|\bholds \d+ numbered tables\b", "number of tables"),
    (r"\bcounts from 1 to \d+\b", "threshold"),
    (r"rounded to the nearest \d+", "rounding of a public baseline"),
    (r"Persons by n records: \d+\+?", "label of a linkage band"),
    (r"discrete scale with \d+ values:.*", "the categories charted"),
    (r"\[(?:c|u|x|z|w|low|e|p|r|b)\]", "symbol"),
    (r"has a figure for \d+ of this table's categories|at least \d+ are needed", "categories"),
)
QUOTED = "quoted_figures.json"
LINKAGE = "linkage_quality.json"
BY_RECORDS = "persons_by_n_records"
SUMMARY = re.compile(
    r'__key">\s*([^<]*?)\s*</dt>\s*<dd class="govuk-summary-list__value">\s*([^<]*?)\s*</dd>'
)
# keys of the report's summary lists whose values are settings, model parameters or the
# release's own metadata
SUMMARY_HARMLESS = (
    r"^(?:Conflict guards|Thresholds|Definition): |^(?:Published|Next release|Period covered|"
    r"Produced by|Contact|Rule hash|Rule version|Run id|Code version|Synthetic data)$|^Stage: "
)
# sentences whose numbers are figures of a published table (checked against the tables)
TABLE_FIGURES = (
    r"The largest published category",
    r"of recorded offences \(|of offenders \(|confidence interval",
    r"most common recorded",
    r"(?:Percentage of all \(%\)|Number of [a-z' ]+|value): ",
    r"^\s*[\d,]+ \(table \d+\)",
    r"\([Tt]able \d+\)\s*$",
)
# shares the audit models by their form (a percentage to one decimal of the column total
# less its unrecorded counts): declared wherever a table shows them
SHARES_RECORDED = r"^Recorded: [\d.]+% of records have this item|recorded: [\d.]+%"
# a chart's label and value ("Offenders: 2", "Age band: 13 to 15; value: 45.3")
CHART_ITEM = re.compile(r"^[^:;]+: (.+?)(?:; value: ([\d.]+))?$")
LINKAGE_OR_COUNT_NOTE = (
    r"have linked records that disagree|victims' contacts have no date|\bCompleteness of "
)


@dataclass
class Figures:
    """What the release declares: shown figures of its tables, its labels, the linkage
    facts, and the figures quoted in notes."""

    displays: set[str] = field(default_factory=set)
    raw: list[float] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    label_set: set[str] = field(default_factory=set)
    quoted: set[str] = field(default_factory=set)
    facts: set[str] = field(default_factory=set)

    # the same, table by table (a chart, a sheet or a sentence citing a table is checked
    # against its own table only)
    tables: dict[str, Figures] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)  # table number -> table id
    sheets: dict[str, str] = field(default_factory=dict)  # sheet name -> table id

    def shown(self, text: str, table: str | None = None) -> bool:
        if table is not None and table in self.tables:
            # a table's summary statistics are published as a table of their own
            own = [self.tables[t] for t in (table, f"{table}_statistics") if t in self.tables]
            return any(f.shown(text) for f in own)
        plain = text.replace(",", "")
        if plain in self.displays:
            return True
        value = float(plain)
        places = len(plain.split(".")[1]) if "." in plain else 0
        half = 0.5 * 10.0**-places + 1e-9
        i = bisect_left(self.raw, value - half)
        return i < len(self.raw) and self.raw[i] <= value + half

    def table_of(self, source: str, sentence: str) -> str | None:
        """The table a sentence belongs to, where its place or a citation says."""
        cited = re.findall(r"\([Tt]able (\d+)\)", sentence)
        if cited and cited[-1] in self.numbers:
            return self.numbers[cited[-1]]
        name = Path(source).name
        if source.startswith(("xlsx/", "ods/")):
            return self.sheets.get(name)
        if source.startswith(("charts/", "report/charts/")):
            return name.split(".")[0]
        return None


def _numbers_in(value: object) -> list[str]:
    """The whole numbers of a JSON value, nested (the controlled linkage facts)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [str(value)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers_in(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers_in(v)]
    return []


def release_figures(folder: Path, disclosure: Path | None) -> Figures:
    """The figures and labels a release declares (see :class:`Figures`); ``disclosure`` is
    the run's disclosure folder (its quoted figures and controlled linkage facts)."""
    figures = Figures()
    labels: set[str] = set()
    raw: set[float] = set()
    for path in sorted((folder / "csv").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        own = Figures()
        own_raw: set[float] = set()
        for column in frame.columns:
            values = [str(v) for v in frame[column]]
            if column in ("breakdown", "category", "statistic"):
                labels.update(values)
            elif column != "table_id":
                own.displays.update(v.replace(",", "").split(" ")[0] for v in values)
                for v in values:
                    try:
                        x = float(v.replace(",", "").split(" ")[0])
                    except ValueError:
                        continue
                    if not math.isnan(x):
                        own_raw.add(x)
        own.raw = sorted(own_raw)
        figures.tables[path.stem] = own
        figures.displays |= own.displays
        raw |= own_raw
    manifest = folder / "manifest.json"
    if manifest.exists():
        for t in json.loads(manifest.read_text(encoding="utf-8")).get("tables", []):
            figures.numbers[str(t.get("number"))] = str(t["table_id"])
            figures.sheets[str(t.get("sheet"))] = str(t["table_id"])
    if disclosure is not None and (disclosure / QUOTED).exists():
        for item in json.loads((disclosure / QUOTED).read_text(encoding="utf-8")):
            figures.quoted.add(str(item["display"]).replace(",", ""))
    if disclosure is not None and (disclosure / LINKAGE).exists():
        facts = json.loads((disclosure / LINKAGE).read_text(encoding="utf-8"))
        counts = {k: v for k, v in facts.items() if k.startswith("n_") or k == BY_RECORDS}
        figures.facts.update(_numbers_in(counts))
    figures.raw = sorted(raw)
    figures.label_set = labels
    figures.labels = sorted(
        (x for x in labels if re.search(r"\d", x) and not re.fullmatch(r"[\d.,]+", x)),
        key=len,
        reverse=True,
    )
    return figures


def summary_lists(folder: Path, figures: Figures) -> tuple[list[str], set[str]]:
    """The report's summary lists (key: value): the values that are neither harmless by
    their key nor declared, and every value (left out of the reading of sentences)."""
    found: list[str] = []
    values: set[str] = set()
    for page in sorted((folder / "report").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        for key, value in SUMMARY.findall(text):
            key, value = html.unescape(key).strip(), html.unescape(value).strip()
            values.add(value)
            numbers = NUMBER.findall(value)
            if not numbers or re.search(SUMMARY_HARMLESS, key):
                continue
            if re.search(r"^Number of |^Persons by n records: ", key):
                bad = [n for n in numbers if n.replace(",", "") not in figures.facts]
            elif re.search(r"^Table \d+: ", key):
                bad = classify(value, figures)
            else:  # a headline figure of a table ("64 (table 10)") or anything else
                cited = figures.table_of(page.name, value)
                bad = classify(value, figures, cited) if cited else numbers
            found += [f"{page.name}: {key}: {value} ({', '.join(bad)})"] if bad else []
    return found, values


def classify(sentence: str, figures: Figures, table: str | None = None) -> list[str]:
    """The numbers of one sentence that are neither harmless nor declared (``table``: the
    table the sentence belongs to, whose figures its numbers must be)."""
    if sentence.strip() in figures.label_set:  # a category label on its own (a year)
        return []
    item = CHART_ITEM.match(sentence.strip())
    if item and item.group(1) in figures.label_set:
        value = item.group(2)
        return [] if value is None or figures.shown(value, table) else [value]
    if re.search(SHARES_RECORDED, sentence):
        sentence = re.sub(SHARES_RECORDED, " ", sentence)
    text = sentence
    for pattern, _why in HARMLESS:
        text = re.sub(pattern, " ", text)
    for label in figures.labels:  # category labels with digits ("13 to 15", "19C ...")
        if label in text:
            text = re.sub(r"(?<![\w.])" + re.escape(label) + r"(?![\w]|[.,]\d)", " ", text)
    numbers = NUMBER.findall(text)
    if not numbers:
        return []
    if re.search(LINKAGE_OR_COUNT_NOTE, sentence):
        # counts and shares quoted in notes: each count must be a controlled quoted figure
        counts = re.findall(r"(?<![\d.])(\d[\d,]*)(?!%|[\d.])", text)
        return [n for n in counts if n.replace(",", "") not in figures.quoted]
    if re.search("|".join(TABLE_FIGURES), sentence) or re.fullmatch(r"\s*[\d.,]+\s*", text):
        return [n for n in numbers if not figures.shown(n, table)]
    return numbers


def undeclared_numbers(folder: Path, disclosure: Path | None = None) -> list[str]:
    """Every number of the release's texts that is neither harmless nor a declared figure
    (``disclosure``: the run's disclosure folder, see :func:`release_figures`)."""
    figures = release_figures(folder, disclosure)
    found, listed = summary_lists(folder, figures)
    for source, text in published_texts(folder).items():
        for sentence in sentences(text):
            if source.startswith("report/") and sentence.strip() in listed:
                continue  # a summary list's value, read with its key above
            bad = classify(sentence, figures, figures.table_of(source, sentence))
            if bad:
                found.append(f"{source}: {', '.join(bad)} in '{sentence[:160]}'")
    return sorted(set(found))
