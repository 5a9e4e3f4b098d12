"""The outside reader's look at everything but the tidy tables: the data quality page, the
notes (of the HTML report and of the workbook), the statistics files, the charts' data and
every sentence of visible text.

Like :mod:`tests.disclosure.attacker` it imports nothing from gbo: what it knows of the
release it reads from the published files. It adds to the reader's system:

* the data quality page's tables: rows read = accepted + quarantined + left out by the
  mapping for each file; rows quarantined under a rule at most its problems and the file's
  quarantined rows, and together at least them (every quarantined row broke a rule);
  findings at most the agency's accepted rows and the rows of their table; recorded at
  most the rows checked, with the share recorded (one decimal) bounding it;
* the linkage bias audit's groups adding up, in every dimension, to the same total of each
  column and of the records (all dimensions but pairs describe the same records; the
  linkage facts, :mod:`tests.disclosure.attacker_linkage`, give those totals; an agency's
  records are its person records on the page), each count at most its group's records,
  and its percentages (to their decimals) bounding each count;
* the completeness notes ("police 73% of 1,181"), which bound the recorded rows of the same
  field on the data quality page when they count the same rows;

and it lists every count from 1 to k - 1 shown in text, statistics files or chart data.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html
import openpyxl
import pandas as pd

if TYPE_CHECKING:
    from tests.disclosure.attacker import Attack

WITHHELD = "[c]"
# exports whose every line is one row of these tables (docs/synthetic-data.md: one line per
# attendance; a police line is a crime nominal, an incident or an association)
LINES_ARE_ROWS = {"health": ("event",), "police": ("involvement", "event", "association")}
# the person-record field each dimension of the linkage bias audit groups records by
GROUPED_BY = {"sex": "sex", "age_band": "birth_year"}
COMPLETENESS_NOTE = re.compile(r"Completeness of (\w+) \((\w+) rows, by agency\): (.*)")
NOTE_PART = re.compile(r"(\w+) (\d+)% of ([\d,]+)")
PERSON_NOTE = re.compile(r"Completeness of (\w+) \((\w+)' records by agency\): (.*)")
PERSON_PART = re.compile(r"(\w+) (\d+%|\[c\]) of ([\d,]+)")
WHAT = ("recorded", "not recorded")
# Counts said in words in running text: "3 offenders", "2 victims" and the like.
COUNT_PHRASE = re.compile(
    r"(?<![\d.,%(])\b(\d{1,3}(?:,\d{3})*)\s+(offenders?|victims?|people|persons?|children|"
    r"groups?|offences?|records?|reviews?|rows?|cases?)\b"
)


def _int(text: str) -> int | None:
    text = text.strip().replace(",", "")
    return int(text) if text.isdigit() else None


def _page_tables(page: Path) -> dict[str, list[list[str]]]:
    """Each table of an HTML page by its caption: header row then body rows, as text."""
    root = lxml.html.parse(str(page)).getroot()
    out: dict[str, list[list[str]]] = {}
    for table in root.xpath("//table"):
        caption = table.xpath(".//caption")
        name = caption[0].text_content().strip() if caption else f"table {len(out)}"
        rows = [
            [c.text_content().strip() for c in tr.xpath("./th|./td")] for tr in table.xpath(".//tr")
        ]
        out[name] = rows
    return out


def _visible_text(page: Path) -> str:
    root = lxml.html.parse(str(page)).getroot()
    for node in root.xpath("//script|//style|//table"):
        node.drop_tree()
    return str(root.text_content())


def _column(rows: list[list[str]], name: str) -> int:
    return [h.lower() for h in rows[0]].index(name.lower())


def add_quality_page(attack: Attack, page: Path, threshold: int) -> None:
    """The data quality page's relations (see the module docstring)."""
    tables = _page_tables(page)

    def figure(key: tuple[str, ...], text: str) -> None:
        attack.var(key)
        n = _int(text)
        if n is not None:
            attack.known[key] = n
        elif text == WITHHELD:
            attack.withheld.add(key)

    files = next((r for name, r in tables.items() if name.startswith("Rows read")), None)
    quarantined: dict[str, tuple[str, ...]] = {}
    accepted_by_agency: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    if files:
        a, f = _column(files, "Agency"), _column(files, "File")
        read, acc, quar = (_column(files, c) for c in ("Rows read", "Accepted", "Quarantined"))
        heads = [h.lower() for h in files[0]]
        left = (
            heads.index("left out by the mapping") if "left out by the mapping" in heads else None
        )
        for row in files[1:]:
            parts = ("read", "accepted", "quarantined", "left out")
            keys: list[tuple[str, ...]] = [("dq", "file", row[f], what) for what in parts]
            for key, i in zip(keys, (read, acc, quar, left), strict=True):
                if i is not None:
                    figure(key, row[i])
            # rows read = accepted + quarantined + left out by the mapping
            relation = {keys[0]: -1.0, keys[1]: 1.0, keys[2]: 1.0}
            if left is not None:
                relation[keys[3]] = 1.0
            attack.eq.append(relation)
            quarantined[row[f]] = keys[2]
            accepted_by_agency[row[a]].append(keys[1])
    rules = next((r for name, r in tables.items() if name.startswith("Quarantined rows")), None)
    if rules:
        f, rule = _column(rules, "File"), _column(rules, "Rule")
        n_rows, n_problems = _column(rules, "Rows"), _column(rules, "Problems")
        by_file: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for row in rules[1:]:
            key, problems = ("dq", "rule", row[f], row[rule]), ("dq", "problems", row[f], row[rule])
            figure(key, row[n_rows])
            figure(problems, row[n_problems])
            attack.ub.append(({key: 1.0, problems: -1.0}, 0.0))  # a row has >= 1 problem
            listed(attack, key, problems)
            by_file[row[f]].append(key)
            if row[f] in quarantined:
                attack.ub.append(({key: 1.0, quarantined[row[f]]: -1.0}, 0.0))
        for file, keys in by_file.items():
            if file in quarantined:  # every quarantined row broke at least one rule
                relation = {k: -1.0 for k in keys}
                relation[quarantined[file]] = 1.0
                attack.ub.append((relation, 0.0))
    findings = next((r for name, r in tables.items() if name.startswith("Other findings")), None)
    if findings:
        a, n_rows = _column(findings, "Agency"), _column(findings, "Rows")
        table = _column(findings, "Table")
        for i, row in enumerate(findings[1:]):
            key = ("dq", "finding", str(i))
            figure(key, row[n_rows])
            listed(attack, key)
            for acc_key in accepted_by_agency.get(row[a], [])[:1]:
                attack.ub.append(({key: 1.0, acc_key: -1.0}, 0.0))
            # a finding about a table counts at most its rows (the completeness table's)
            attack.ub.append(({key: 1.0, ("dq", "rows", row[a], row[table]): -1.0}, 0.0))
    share = next((r for name, r in tables.items() if name.startswith("Share of rows")), None)
    if share:
        a, t, fld = (_column(share, c) for c in ("Agency", "Table", "Field"))
        n, rec, pct = (_column(share, c) for c in ("Rows", "Recorded", "Share recorded"))
        for row in share[1:]:
            rows_key = ("dq", "rows", row[a], row[t])
            recorded = ("dq", "recorded", row[a], row[t], row[fld])
            figure(rows_key, row[n])
            figure(recorded, row[rec])
            attack.ub.append(({recorded: 1.0, rows_key: -1.0}, 0.0))
            p = row[pct].rstrip("%")
            if p:
                interval(attack, {recorded: 1.0}, {rows_key: 1.0}, float(p), decimals(p))
        _lines_are_rows(attack, accepted_by_agency, share)
    bias = next((r for name, r in tables.items() if name.startswith("Linkage indicators")), None)
    if bias:
        _bias(attack, bias, figure)
        if share:
            _unrecorded_groups(attack, bias, share)
    linkage = next((r for name, r in tables.items() if name.startswith("Linkage summary")), None)
    for row in (linkage or [])[1:]:
        said = _int(row[1])
        if row[0].startswith("n ") and said is not None and 0 < said < threshold:
            attack.small_shown.append(f"{page.name}: linkage summary {row[0]} = {said}")


def _bias(
    attack: Attack, rows: list[list[str]], figure: Callable[[tuple[str, ...], str], None]
) -> None:
    head = [h.lower() for h in rows[0]]
    dim, group, records = head.index("dimension"), head.index("group"), head.index("n records")
    counts = [i for i, h in enumerate(head) if h.startswith("n ") and h != "n records"]
    # the decimals a column really carries (a figure to 2 places may be printed with 3)
    places = {
        i: max((len(r[i].split(".")[1].rstrip("0")) for r in rows[1:] if "." in r[i]), default=0)
        for i in range(len(head))
    }
    totals: dict[tuple[str, str, str], dict[tuple[str, ...], float]] = defaultdict(dict)
    for row in rows[1:]:
        d, g = row[dim], row[group]
        n_key = ("dq", "bias", d, g, "n records")
        figure(n_key, row[records])
        listed(attack, n_key)
        if d == "agency":  # the records linked are the agency's person records
            attack.same(n_key, ("dq", "rows", g, "person_record"))
        population = "pairs" if "pair" in d else "records"
        totals[(population, d, "n records")][n_key] = 1.0
        for i in counts:
            if row[i] == "None":
                continue
            key = ("dq", "bias", d, g, head[i])
            figure(key, row[i])
            attack.ub.append(({key: 1.0, n_key: -1.0}, 0.0))
            totals[(population, d, head[i])][key] = 1.0
            pct = "pct" + head[i][1:]
            if pct in head and _number(row[head.index(pct)]) is not None:
                j = head.index(pct)
                interval(attack, {key: 1.0}, {n_key: 1.0}, float(row[j]), places[j])
    # every dimension splits the same records: its groups add up to one total per column
    for (population, *rest), members in totals.items():
        d, column = rest
        relation = dict(members)
        relation[("dq", "bias total", population, column)] = -1.0
        attack.eq.append(relation)


def listed(attack: Attack, *keys: tuple[str, ...]) -> None:
    """A rule, finding or group the page lists only because it has rows: at least 1."""
    for key in keys:
        attack.ub.append(({key: -1.0}, -1.0))


def _lines_are_rows(
    attack: Attack, accepted: Mapping[str, list[tuple[str, ...]]], share: list[list[str]]
) -> None:
    """An agency's one export whose every line is one row of some tables
    (:data:`LINES_ARE_ROWS`): its accepted rows are those tables' rows on the page."""
    a, t = _column(share, "Agency"), _column(share, "Table")
    tables_of = {(row[a], row[t]) for row in share[1:]}
    for agency, tables in LINES_ARE_ROWS.items():
        files = accepted.get(agency, [])
        if len(files) != 1 or not all((agency, table) in tables_of for table in tables):
            continue
        relation: dict[tuple[str, ...], float] = {files[0]: 1.0}
        relation |= {("dq", "rows", agency, table): -1.0 for table in tables}
        attack.eq.append(relation)


def _unrecorded_groups(attack: Attack, bias: list[list[str]], share: list[list[str]]) -> None:
    """The bias audit's "Not recorded" group of a dimension (:data:`GROUPED_BY`) holds every
    person record without its field: the page's person records less those recorded."""
    head = [h.lower() for h in bias[0]]
    dim, group = head.index("dimension"), head.index("group")
    a, t, f = (_column(share, c) for c in ("Agency", "Table", "Field"))
    agencies = {row[a] for row in share[1:] if row[t] == "person_record"}
    for row in bias[1:]:
        field = GROUPED_BY.get(row[dim])
        if field is None or row[group] != "Not recorded":
            continue
        if not all(
            [x, "person_record", field] in [[r[a], r[t], r[f]] for r in share[1:]] for x in agencies
        ):
            continue
        relation: dict[tuple[str, ...], float] = {
            ("dq", "bias", row[dim], row[group], "n records"): 1.0
        }
        for agency in agencies:
            relation[("dq", "rows", agency, "person_record")] = -1.0
            relation[("dq", "recorded", agency, "person_record", field)] = 1.0
        attack.eq.append(relation)


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def interval(
    attack: Attack,
    part: Mapping[tuple[str, ...], float],
    whole: Mapping[tuple[str, ...], float],
    p: float,
    places: int,
) -> None:
    """100 * part within p -+ half a unit of the last decimal shown, times whole: read when
    the reader solves (:func:`tests.disclosure.attacker.settle_shares`), which is when it
    knows every figure and whether counts are rounded."""
    attack.shares.append(
        (dict(part), dict(whole), p, places, f"{p}% ({dict(part)} of {dict(whole)})")
    )


def note_texts(folder: Path) -> list[str]:
    """Every note of the workbook and of the HTML report."""
    texts: list[str] = []
    workbook = folder / "tables.xlsx"
    if workbook.exists():
        book = openpyxl.load_workbook(workbook, read_only=True)
        if "Notes" in book.sheetnames:
            texts += [str(r[1]) for r in book["Notes"].iter_rows(values_only=True) if len(r) > 1]
    report = folder / "report" / "index.html"
    if report.exists():
        root = lxml.html.parse(str(report)).getroot()
        texts += [str(n.text_content()) for n in root.xpath('//*[starts-with(@id, "note-")]')]
    return list(dict.fromkeys(t.strip() for t in texts))


def add_completeness_notes(
    attack: Attack, notes: list[str], threshold: int, other_measures: set[str] | None = None
) -> None:
    """ "Completeness of methods (offence rows, by agency): police 73% of 1,181": the recorded
    rows of that field, which the data quality page gives (or withholds) for the same rows
    when its row count is the same; and the rows not recorded, a count in its own right."""
    for text in notes:
        found = COMPLETENESS_NOTE.match(text)
        if not found:
            continue
        field, table, parts = found.groups()
        for agency, p, n in NOTE_PART.findall(parts):
            total = int(n.replace(",", ""))
            share = int(p)
            low = math.ceil(total * (share - 0.5) / 100 - 1e-9)
            high = math.floor(total * (share + 0.5) / 100 + 1e-9)
            missing_low, missing_high = total - min(high, total), total - max(low, 0)
            if missing_high < threshold and missing_low > 0:
                attack.small_shown.append(
                    f"note: {field} of {agency} {table} rows: {missing_low} to {missing_high} "
                    "not recorded"
                )
            rows_key = ("dq", "rows", agency, table)
            recorded = ("dq", "recorded", agency, table, field)
            # the same rows (a field whose recorded rows the page withholds: where both are
            # shown they can differ, as the notes count the period's rows only)
            # (not for a field whose table counts "Unknown" as unrecorded too: the note
            # then measures something else than the page's recorded rows)
            same = field not in (other_measures or set())
            if same and attack.known.get(rows_key) == total and recorded in attack.withheld:
                attack.var(recorded)
                interval(attack, {recorded: 1.0}, {rows_key: 1.0}, share, 0)


def add_population_notes(attack: Attack, notes: list[str]) -> None:
    """ "Completeness of sex (offenders' records by agency): police [c] of 61", and the
    victims' note of 44: where an agency's offenders' and victims' records add up to its
    person records on the data quality page (a police export holds only the people on its
    crimes), their recorded records add up to the page's too. Fields coded with an
    "unknown" (ethnicity) are left out: the notes and the page count those differently."""
    parts: dict[tuple[str, str], dict[str, tuple[int, str]]] = defaultdict(dict)
    for text in notes:
        found = PERSON_NOTE.match(text)
        if not found or found.group(1).startswith("ethnicity"):
            continue
        field, population, said = found.groups()
        for agency, share, n in PERSON_PART.findall(said):
            parts[(field, agency)][population] = (int(n.replace(",", "")), share)
    for (field, agency), by_population in parts.items():
        rows_key = ("dq", "rows", agency, "person_record")
        page_rows = attack.known.get(rows_key)
        if page_rows is None or sum(n for n, _ in by_population.values()) != page_rows:
            continue
        relation: dict[tuple[str, ...], float] = {
            ("dq", "recorded", agency, "person_record", field): -1.0
        }
        for population, (n, share) in by_population.items():
            recorded, missing = (("note", what, population, agency, field) for what in WHAT)
            rows = ("note rows", population, agency)
            for key in (recorded, missing, rows):
                attack.var(key)
            attack.known[rows] = n
            attack.eq.append({recorded: 1.0, missing: 1.0, rows: -1.0})
            relation[recorded] = 1.0
            if share == WITHHELD:
                # withheld, or shown as [c] for its share's sake (100% beside a withheld
                # figure): the reader cannot tell, and 0 or k and more is no small count
                attack.withheld.add(missing)
                attack.unsure.add(missing)
            else:
                interval(attack, {recorded: 1.0}, {rows: 1.0}, float(share.rstrip("%")), 0)
        attack.eq.append(relation)


def small_counts_in_text(
    folder: Path, threshold: int, texts: dict[str, str] | None = None
) -> list[str]:
    """Counts of 1 to k - 1 said in words anywhere in the visible text of the pages, the
    notes and main points ("3 offenders have..."), and in ``texts`` (every other text)."""
    found: list[str] = []
    sources = {p.name: _visible_text(p) for p in sorted((folder / "report").glob("*.html"))}
    sources["notes"] = "\n".join(note_texts(folder))
    for extra in ("main-points.md",):
        if (folder / extra).exists():
            sources[extra] = (folder / extra).read_text(encoding="utf-8")
    sources |= texts or {}
    for name, text in sources.items():
        for match in COUNT_PHRASE.finditer(text):
            n = _int(match.group(1))
            before = text[max(0, match.start() - 60) : match.start()].lower()
            # a median, quartile or range of values is not a count of anyone
            summary = any(w in before for w in ("median", "between", "quartile", "fewer than"))
            if n is not None and 0 < n < threshold and not summary:
                found.append(f"{name}: '{text[match.start() : match.end() + 30].strip()}'")
        for date in re.findall(r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b", text):
            found.append(f"{name}: exact date {date}")
    return found


def small_counts_in_html_tables(folder: Path, threshold: int) -> list[str]:
    """Counts of 1 to k - 1 in any HTML table of the report's pages whose column says it
    counts ("Number of ...", "N"): the tables the CSV files do not carry too (the group
    rule's sensitivity table, the completeness table)."""
    found: list[str] = []
    for page in sorted((folder / "report").glob("*.html")):
        for name, rows in _page_tables(page).items():
            if not rows:
                continue
            counting = [i for i, h in enumerate(rows[0]) if h.startswith("Number of") or h == "N"]
            for row in rows[1:]:
                for i in counting:
                    n = _int(row[i]) if i < len(row) else None
                    if n is not None and 0 < n < threshold:
                        found.append(f"{page.name}: {name}: {row[:2]} {rows[0][i]} = {n}")
    return found


def small_counts_in_statistics(folder: Path, threshold: int) -> list[str]:
    """Statistics files: every ``n`` is a count of people; so is a statistic named as one."""
    found: list[str] = []
    for path in sorted((folder / "csv").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "n_display" not in frame.columns:
            continue
        for row in frame.itertuples(index=False):
            n = _int(str(row.n_display))
            if n is not None and 0 < n < threshold:
                found.append(f"{path.name}: {row.breakdown} {row.statistic} n = {n}")
    return found


def means_giving_n_back(attack: Attack, folder: Path) -> list[str]:
    """With counts rounded, a mean beside its rounded ``n``: a mean times its true n is a
    whole number (the sum of whole values), so a mean at full precision (the CSV's ``value``
    column) can fit only one of the counts that round to the n shown. Any other figure of a
    statistic about people that is not whole is listed too: the ends of a range of shares at
    full precision gave 5 of 376 and 5 of 374 back (the seventh red team of stop 62)."""
    found: list[str] = []
    if attack.rounding <= 1:
        return found
    for path in sorted((folder / "csv").glob("*_statistics.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for row in frame.itertuples(index=False):
            n, mean = _int(str(row.n_display)), _number(str(row.value))
            ends = [_number(str(getattr(row, c, ""))) for c in ("ci_lower", "ci_upper")]
            if n is not None and any(e is not None and not e.is_integer() for e in ends):
                found.append(f"{path.name}: {row.breakdown} {row.statistic}: ends not whole")
            if "mean" not in str(row.statistic) or n is None or mean is None or n == 0:
                continue
            low, high = attack.shown_range(("quantile n", path.name), n)
            fits = [
                m for m in range(int(low), int(high) + 1) if abs(mean * m - round(mean * m)) < 1e-6
            ]
            if len(fits) == 1 and low < high:
                found.append(f"{path.name}: {row.breakdown} {row.statistic} gives n = {fits[0]}")
    return found


def chart_values_withheld(folder: Path, tables: dict[str, pd.DataFrame]) -> list[str]:
    """Chart data for a category whose count the table withholds."""
    found: list[str] = []
    for path in sorted((folder / "charts").glob("*.vl.json")):
        table_id = path.name.removesuffix(".vl.json")
        frame = tables.get(table_id)
        if frame is None:
            continue
        shown = {
            (str(r.breakdown), str(r.category)): str(r.count_display)
            for r in frame.itertuples(index=False)
        }
        spec = json.loads(path.read_text(encoding="utf-8"))
        for values in (spec.get("datasets") or {}).values():
            for v in values:
                display = shown.get((str(v.get("breakdown")), str(v.get("category"))), "")
                if display and _int(display.split(" ")[0]) is None:
                    found.append(f"{path.name}: charts {v} withheld as {display}")
    return found


def _sheet_rows(folder: Path) -> dict[str, dict[str, list[list[object]]]]:
    """Every sheet of the spreadsheet (.xlsx) and of its ODS twin, as rows of values."""
    out: dict[str, dict[str, list[list[object]]]] = {}
    workbook = folder / "tables.xlsx"
    if workbook.exists():
        book = openpyxl.load_workbook(workbook, read_only=True)
        out["xlsx"] = {
            name: [list(r) for r in book[name].iter_rows(values_only=True)]
            for name in book.sheetnames
        }
    ods = folder / "tables.ods"
    if ods.exists():
        sheets = pd.read_excel(ods, sheet_name=None, header=None, engine="odf")
        out["ods"] = {
            name: [
                [None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)
            ]
            for name, frame in sheets.items()
        }
    return out


# spreadsheet column headings -> the CSV column that publishes the same figure
SHEET_COLUMNS = (
    ("Number of", "count_display"),
    ("Percentage of all", "pct_of_all_display"),
    ("Percentage of those recorded", "pct_of_recorded_display"),
    ("Lower 95%", "ci_lower_display"),
    ("Upper 95%", "ci_upper_display"),
)


def spreadsheet_against_csv(
    folder: Path, tables: dict[str, pd.DataFrame], threshold: int
) -> list[str]:
    """A spreadsheet cell that shows a number where the CSV withholds the same figure (count,
    percentage or confidence limit), or a count from 1 to k - 1 in a "Number of" column."""
    found: list[str] = []
    manifest = folder / "manifest.json"
    sheets_of = {}
    if manifest.exists():
        for t in json.loads(manifest.read_text(encoding="utf-8")).get("tables", []):
            sheets_of[str(t["sheet"])] = str(t["table_id"])
    for kind, sheets in _sheet_rows(folder).items():
        for sheet, rows in sheets.items():
            table_id = sheets_of.get(sheet)
            frame = tables.get(table_id or "")
            if frame is None:
                continue
            head = next(
                (i for i, r in enumerate(rows) if any(str(v).startswith("Number of") for v in r)),
                None,
            )
            if head is None:
                continue
            columns = {
                i: csv_column
                for i, v in enumerate(rows[head])
                for start, csv_column in SHEET_COLUMNS
                if str(v).startswith(start) and csv_column in frame.columns
            }
            shown = {(str(r.breakdown), str(r.category)): r for r in frame.itertuples(index=False)}
            for row in rows[head + 1 :]:
                if row[0] is None or (str(row[0]), str(row[1])) not in shown:
                    continue
                csv_row = shown[(str(row[0]), str(row[1]))]
                for i, csv_column in columns.items():
                    value = row[i] if len(row) > i else None
                    if not isinstance(value, int | float) or isinstance(value, bool):
                        continue
                    csv = str(getattr(csv_row, csv_column))
                    if _number(csv.split(" ")[0]) is None:
                        found.append(f"{kind} {sheet}: {row[:3]} {csv_column} shown, CSV has {csv}")
                    if csv_column == "count_display" and 0 < value < threshold:
                        found.append(f"{kind} {sheet}: {row[:3]} is a count below {threshold}")
    return found


def differences_in_statistics(
    folder: Path, tables: dict[str, pd.DataFrame], threshold: int
) -> list[str]:
    """Counts of nested groups shown side by side in a statistics file (and the n of each
    statistic, and the total of the table column it describes) that differ by 1 to k - 1;
    and percentages that, times their n, give such a count."""
    found: list[str] = []
    for path in sorted((folder / "csv").glob("*_statistics.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        table = tables.get(path.stem.removesuffix("_statistics"))
        totals: dict[str, set[int]] = defaultdict(set)
        if table is not None:
            for r in table.itertuples(index=False):
                n = _int(str(r.denominator_display))
                if n is not None:
                    totals[str(r.breakdown)].add(n)
        # statistics that count people: somewhere their value is their own n
        people = {
            str(r.statistic)
            for r in frame.itertuples(index=False)
            if str(r.value_display) == str(r.n_display) and _int(str(r.n_display)) is not None
        }
        for breakdown, block in frame.groupby("breakdown"):
            counts: set[int] = set(totals.get(str(breakdown), set()))
            for r in block.itertuples(index=False):
                n = _int(str(r.n_display))
                if n is not None:
                    counts.add(n)
                value = _int(str(r.value_display))
                if value is not None and str(r.statistic) in people:
                    counts.add(value)
                number = _number(str(r.value)) if str(r.value) else None
                if str(r.statistic).startswith("pct") and number is not None and n is not None:
                    part = number * n / 100
                    implied = round(part)
                    if abs(part - implied) < 1e-6 and 0 < implied < threshold:
                        found.append(f"{path.name}: {breakdown} {r.statistic} gives {implied}")
            for a in counts:
                for b in counts:
                    if 0 < a - b < threshold:
                        found.append(f"{path.name}: {breakdown}: {a} - {b} = {a - b}")
    return found


BAND = (
    (re.compile(r"^None$"), lambda m: (0, 0)),
    # the methodology: a victim identified at the first contact took 0 days
    (re.compile(r"^Identified at first contact$"), lambda m: (0, 0)),
    (re.compile(r"^(\d+)$"), lambda m: (int(m[1]), int(m[1]))),
    (re.compile(r"^(\d+) to (\d+)$"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"^Under (\d+)$"), lambda m: (-math.inf, int(m[1]) - 1)),
    (re.compile(r"^(\d+) (?:and over|or more)$"), lambda m: (int(m[1]), math.inf)),
)
QUANTILES = {"lower_quartile": 0.25, "median": 0.5, "upper_quartile": 0.75}


# bands of time whose statistics are in days ("by the days from ... to ..."), read as
# generously as a reader must: a month is 28 to 31 days, a year 365 or 366
MONTH, YEAR = (28, 31), (365, 366)
TIME_BAND = (
    (re.compile(r"^Under (\d+) (month|year)s?$"), lambda n, u: (0, n * u[1])),
    (
        re.compile(r"^(\d+) to (\d+) (month|year)s?$"),
        lambda a, b, u: (a * u[0], (b + 1) * u[1] - 1),
    ),
    (
        re.compile(r"^(\d+) (month|year)s? to under (\d+) (?:month|year)s?$"),
        lambda a, u, b: (a * u[0], b * u[1] - 1),
    ),
    (re.compile(r"^(\d+) (month|year)s? or more$"), lambda n, u: (n * u[0], math.inf)),
)


def _time_band(label: str) -> tuple[float, float] | None:
    text = label.strip().removesuffix(" before")
    for pattern, bounds in TIME_BAND:
        found = pattern.match(text)
        if found:
            parts = [
                (MONTH if g == "month" else YEAR) if g in ("month", "year") else int(g)
                for g in found.groups()
            ]
            return bounds(*parts)
    return None


def band_of(label: str) -> tuple[float, float] | None:
    """Whole-number bands: "13 to 15", "Under 10", "50 and over", "2", "None" (0),
    "Identified at first contact" (0 days); and bands of time in days: "Under 6 months",
    "1 year to under 2 years", "5 years or more"."""
    for pattern, bounds in BAND:
        found = pattern.match(label.strip())
        if found:
            return bounds(found)
    return _time_band(label)


def add_quantiles(attack: Attack, folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Quartiles and medians of a banded table's people bound its cells.

    With n values sorted and a quantile p worked out by linear interpolation, its value v
    lies between the values at positions floor(h) and ceil(h), h = p (n - 1): at least
    floor(h) + 1 people have a value of v or less, and at most ceil(h) have less than v. The
    reader takes the statistics' n to be the people in the table's bands (the column less
    its unbanded categories, such as Not recorded). With counts rounded, n is any count that
    rounds to the one shown and a statistic shown whole is within half a unit of it."""
    for path in sorted((folder / "csv").glob("*_statistics.csv")):
        table_id = path.stem.removesuffix("_statistics")
        frame = tables.get(table_id)
        if frame is None:
            continue
        bands = {str(c): b for c in set(frame["category"]) if (b := band_of(str(c))) is not None}
        if len(bands) < 2:
            continue
        stats = pd.read_csv(path, dtype=str, keep_default_na=False)
        for breakdown, block in stats.groupby("breakdown"):
            cells = frame[frame["breakdown"] == breakdown]["category"].astype(str).tolist()
            banded = [c for c in cells if c in bands]
            if not banded:
                continue
            n_values = {_int(str(r.n_display)) for r in block.itertuples(index=False)}
            n_values.discard(None)
            if len(n_values) != 1:
                continue
            n = int(n_values.pop())  # type: ignore[arg-type]
            n_key = ("quantile n", path.name, str(breakdown))
            keys: dict[str, tuple[str, ...]] = {
                c: ("cell", table_id, str(breakdown), c) for c in banded
            }
            attack.eq.append({**{k: 1.0 for k in keys.values()}, n_key: -1.0})
            attack.known[n_key] = n
            # with counts rounded, n is too, and every statistic with an n is shown whole
            n_low, n_high = attack.shown_range(n_key, n)
            half = 0.5 if attack.rounding > 1 else 0.0
            for r in block.itertuples(index=False):
                mean = _number(str(r.value)) if str(r.value) else None
                if str(r.statistic) == "mean" and mean is not None:
                    # the sum of the values, mean * n, lies between the bands' ends
                    low = {keys[c]: max(bands[c][0], 0.0) for c in banded}
                    attack.ub.append((low, (mean + half) * n_high + 0.5))
                    if all(math.isfinite(bands[c][1]) for c in banded):
                        high = {keys[c]: -bands[c][1] for c in banded}
                        attack.ub.append((high, -((mean - half) * n_low - 0.5)))
                p = QUANTILES.get(str(r.statistic))
                v = _number(str(r.value)) if str(r.value) else None
                if p is None or v is None or n_low < 1:
                    continue
                at_most_v = {keys[c]: -1.0 for c in banded if bands[c][0] <= v + half}
                if at_most_v:  # sum of bands reaching down to v >= floor(h) + 1
                    attack.ub.append((at_most_v, -(math.floor(p * (n_low - 1)) + 1)))
                below_v = {keys[c]: 1.0 for c in banded if bands[c][1] < v - half}
                if below_v:  # sum of bands wholly below v <= ceil(h)
                    attack.ub.append((below_v, math.ceil(p * (n_high - 1))))


# the bias audit's group names, and the label a table about people gives each group
BIAS_LABELS = {
    "sex": {"F": "Female", "M": "Male", "O": "Other"},
    "ethnicity_group": {
        g: g
        for g in (
            "White",
            "Mixed or Multiple ethnic groups",
            "Asian, Asian British or Asian Welsh",
            "Black, Black British, Black Welsh, Caribbean or African",
            "Other ethnic group",
        )
    },
}
BIAS_TABLES = {"sex": "_sex", "ethnicity_group": "_ethnicity_5"}


def add_bias_groups(attack: Attack) -> None:
    """A person's sex and ethnic group come from their records, and the bias audit lists
    the groups its records fall in: the people of a group in any table are at most the
    audit's records of it, and none are in a group it does not list."""
    listed = {
        (key[2], key[3]): key
        for key in attack.index
        if key[:2] == ("dq", "bias") and len(key) == 5 and key[4] == "n records"
    }
    for dimension, labels in BIAS_LABELS.items():
        if not any(d == dimension for d, _ in listed):
            continue
        for table_id, frame in attack.tables.items():
            if not table_id.endswith(BIAS_TABLES[dimension]) or table_id not in attack.people:
                continue
            for row in frame.itertuples(index=False):
                for group, label in labels.items():
                    if str(row.category) != label:
                        continue
                    cell = ("cell", table_id, str(row.breakdown), label)
                    records = listed.get((dimension, group))
                    attack.ub.append(({cell: 1.0, **({records: -1.0} if records else {})}, 0.0))
