"""The outside reader reads every number and every bounded phrase of every published text.

Like :mod:`tests.disclosure.attacker` it imports nothing from gbo. The texts are all a
member of the public gets besides the tidy tables: the visible text of every HTML page with
the text alternatives of its images and charts (``alt``, ``title``, ``aria-label``), the
main points, every string of both spreadsheets (cover, contents, notes, titles), the SVG
charts' titles and descriptions, and every string of the chart specifications and of the
manifest and release metadata. From each sentence the reader takes:

* exact counts ("3 offenders", "(12 of 15)": the 12, the 15 and the 3 between them) and
  shares of a stated whole ("73% of 1,181", "about 40% of 220"): a count of 1 to k - 1, or
  a share that leaves only 1 to k - 1 on either side, is reported as shown;
* bounded counts ("fewer than 5 offenders", "under 5", "<5", "[c] of 140"): each is a figure
  the reader knows only to lie in its band; where the reader knows what it counts (a part
  of a linkage fact, of the data quality page's rows without a field) it relates it, and
  reports it when the relations narrow it further than the band;
* the people a table's note says have a recorded value ("fewer than 50 offenders have a
  recorded self-defined ethnicity"): the table's recorded categories together;
* labelled figures of a table ("The largest published category among group-based is
  Female (82.3%)", "online (35), private dwelling (33) ... out of 258"): in a sentence of a
  table's section or notes, or one that cites the table, a category label followed by a
  count or a percentage is that cell (of the breakdown named by "among ..."), and is
  added as a figure of the reader's system, so that a count the table withholds but the
  text gives is found when the system is solved.
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, cast

import lxml.html
import openpyxl
import pandas as pd

from tests.disclosure.attacker_pages import interval

if TYPE_CHECKING:
    from tests.disclosure.attacker import Attack, Key

NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)"
NOUN = (
    r"(offenders?|victims?|people|persons?|children|groups?|offences?|records?|reviews?|"
    r"rows?|cases?|contacts?|links?|pairs?)"
)
BOUNDED = re.compile(
    r"(?i)(?:\b(fewer than|less than|under|below|no more than|at most|up to)\s+|(<|≤)\s*)"
    + NUMBER
    + r"(?:\s+[\w'-]+){0,2}?\s+"
    + NOUN
    + r"\b"
)
WITHHELD_COUNT = re.compile(r"\[c\]\s+(?:of\s+" + NUMBER + r"|" + NOUN + r")")
A_OF_B = re.compile(r"(?<![\d.,%])\b" + NUMBER + r" of " + NUMBER + r"\b(?![.,]\d)")
SHARE_OF = re.compile(
    r"(?i)(about |around |approximately |roughly |nearly |almost )?(\d+(?:\.\d+)?)% of "
    r"(?:[a-z'-]+ ){0,4}?\(?" + NUMBER + r"(?![\d,.]*\d|%| of)"
)
CITED = re.compile(r"(?i)\(table (\d+)\)")
AMONG = re.compile(r"(?i)\bamong ([^.;:()]+?) is\b")
# bounded counts a reader knows the meaning of: pattern -> the figure it is part of
PART_OF = (
    (re.compile(r"(?i)(offenders|victims) have linked records that disagree on date of birth"),
     ("linkage", "persons conflicting dob")),
    (re.compile(r"(?i)(offenders|victims) have linked records that disagree on sex"),
     ("linkage", "persons conflicting sex")),
)  # fmt: skip
# what comes before a category named in a list ("is Female (82.3%)", "online (35), private
# dwelling (33) and vehicle (31)"), so that "Looked after" is not read in "Not looked after"
LEAD = r"(?:^|\bis |, |\band |\bwere |: )"
# "fewer than 50 offenders have a recorded self-defined ethnicity" (or "48 offenders"): in a
# table's section, the people in its recorded categories (all but those it leaves out of
# the percentage of those recorded)
RECORDED = re.compile(r"(?i)(?:fewer than (\d[\d,]*)|(\d[\d,]*)) [a-z]+ have a recorded\b")
CONTACTS_NO_DATE = re.compile(r"(?i)victims' contacts have no date")


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _html_text(path: Path) -> str:
    root = lxml.html.parse(str(path)).getroot()
    for node in root.xpath("//script|//style|//table"):
        node.drop_tree()
    extra = [str(v) for v in root.xpath("//@alt|//@title|//@aria-label")]
    return "\n".join([str(root.text_content()), *extra])


def published_texts(folder: Path) -> dict[str, str]:
    """Every published text but the tidy tables' cells, by where it is published."""
    out: dict[str, str] = {}
    for page in sorted((folder / "report").glob("*.html")):
        out[f"report/{page.name}"] = _html_text(page)
    for path in sorted(folder.glob("*.md")):
        out[path.name] = path.read_text(encoding="utf-8")
    for path in sorted(folder.rglob("*.svg")):
        root = lxml.html.parse(str(path)).getroot()
        parts = root.xpath("//title/text()|//desc/text()|//@aria-label|//@aria-description")
        out[str(path.relative_to(folder))] = "\n".join(str(p) for p in parts)
    for path in [*sorted(folder.rglob("*.json"))]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        strings = [s for s in _strings(data) if " " in s.strip()]
        out[str(path.relative_to(folder))] = "\n".join(strings)
    for bundle in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(bundle) as archive:
            for name in archive.namelist():
                # the bundle's own metadata (the other files are those of the folder)
                if name.endswith(".json") and not (folder / name).exists():
                    strings = _strings(json.loads(archive.read(name).decode("utf-8")))
                    out[f"{bundle.name}/{name}"] = "\n".join(x for x in strings if " " in x)
    workbook = folder / "tables.xlsx"
    if workbook.exists():
        book = openpyxl.load_workbook(workbook, read_only=True)
        for sheet in book.sheetnames:
            cells = [v for r in book[sheet].iter_rows(values_only=True) for v in r]
            out[f"xlsx/{sheet}"] = "\n".join(v for v in cells if isinstance(v, str))
    ods = folder / "tables.ods"
    if ods.exists():
        for sheet, frame in pd.read_excel(ods, sheet_name=None, header=None, engine="odf").items():
            cells = [v for row in frame.itertuples(index=False) for v in row]
            out[f"ods/{sheet}"] = "\n".join(v for v in cells if isinstance(v, str))
    return out


def sentences(text: str) -> list[str]:
    flat = re.sub(r"[ \t\r\f\v]+", " ", text)
    parts = re.split(r"(?<=[.;!?])\s+(?=[A-Z0-9\[-])|\n+", flat)
    return [p.strip() for p in parts if re.search(r"\d|\[c\]", p)]


def _shape(sentence: str) -> str:
    return re.sub(r"\d[\d,.]*|\[c\]|fewer than", "#", sentence.lower())


def read_every_text(
    attack: Attack,
    folder: Path,
    tables: dict[str, pd.DataFrame],
    threshold: int,
) -> None:
    """The reader's use of every text of the release (see the module docstring)."""
    texts = published_texts(folder)
    for source, text in texts.items():
        for sentence in sentences(text):
            _counts(attack, source, sentence, threshold)
            _bounded(attack, sentence)
    _labelled(attack, folder, texts, tables)


def _counts(attack: Attack, source: str, sentence: str, threshold: int) -> None:
    """Whole counts and shares of a stated whole that leave 1 to k - 1 on a side."""
    for a_text, b_text in A_OF_B.findall(sentence):
        a, b = _int(a_text), _int(b_text)
        if a <= b and (0 < a < threshold or 0 < b - a < threshold):
            attack.small_shown.append(f"{source}: '{a_text} of {b_text}' in '{sentence[:120]}'")
    for about, p_text, n_text in SHARE_OF.findall(sentence):
        n, p = _int(n_text), float(p_text)
        places = len(p_text.split(".")[1]) if "." in p_text else 0
        half = (1.0 if about else 0.5) * 10.0**-places
        low = max(math.ceil(n * (p - half) / 100 - 1e-9), 0)
        high = min(math.floor(n * (p + half) / 100 + 1e-9), n)
        for lo, hi in ((low, high), (n - high, n - low)):
            if 0 < lo <= hi < threshold:
                attack.small_shown.append(
                    f"{source}: '{p_text}% of {n_text}' gives {lo} to {hi} in '{sentence[:120]}'"
                )


QUOTED = re.compile(r"^(?:\[note \d+\] )?(" + NUMBER + r"|\[c\]) (?:offenders|victims)\b")


def _bounded(attack: Attack, sentence: str) -> None:
    """Bounded counts the reader knows the meaning of, related to what they are part of;
    an exact or withheld count ("6 offenders have linked records that disagree on sex",
    "[c] victims' contacts have no date") likewise: a figure at most its whole."""
    quoted = QUOTED.match(sentence)
    whole = _whole_of(attack, sentence) if quoted else None
    if quoted and whole is not None:
        key: Key = ("text", _shape(sentence))
        attack.var(key)
        if quoted.group(1) == "[c]":
            attack.withheld.add(key)
        elif quoted.group(2):
            attack.known[key] = float(_int(quoted.group(2)))
        attack.ub.append(({key: 1.0, **{k: -c for k, c in whole.items()}}, 0.0))
    for match in BOUNDED.finditer(sentence):
        word, sign, n_text, _noun = match.groups()
        top = _int(n_text) - (
            0 if (word or sign or "").lower() in ("at most", "up to", "≤", "no more than") else 1
        )
        key = ("text", _shape(sentence))
        whole = _whole_of(attack, sentence)
        if whole is None:
            continue
        attack.var(key)
        attack.ub.append(({key: 1.0}, float(top)))
        attack.ub.append(({key: -1.0}, -1.0))
        attack.banded[key] = (1.0, float(top))
        attack.ub.append(({key: 1.0, **{k: -c for k, c in whole.items()}}, 0.0))


def _whole_of(attack: Attack, sentence: str) -> dict[Key, float] | None:
    """The figure a bounded count is part of, as a sum of the reader's figures (or None)."""
    for pattern, fact in PART_OF:
        if pattern.search(sentence) and fact in attack.index:
            return {fact: 1.0}
    if CONTACTS_NO_DATE.search(sentence):
        # contacts without a date are event rows without one (the data quality page)
        agencies = [k[2] for k in attack.index if k[:2] == ("dq", "rows") and k[3] == "event"]
        whole: dict[Key, float] = {}
        for a in agencies:
            recorded = ("dq", "recorded", a, "event", "event_date")
            if recorded in attack.index:
                whole[("dq", "rows", a, "event")] = 1.0
                whole[recorded] = -1.0
        return whole or None
    return None


def _labelled(
    attack: Attack, folder: Path, texts: dict[str, str], tables: dict[str, pd.DataFrame]
) -> None:
    """Counts and percentages a sentence gives for a table's category (see the docstring)."""
    numbers: dict[str, str] = {}
    manifest = folder / "manifest.json"
    if manifest.exists():
        for t in json.loads(manifest.read_text(encoding="utf-8")).get("tables", []):
            numbers[str(t["number"])] = str(t["table_id"])
    linked: list[tuple[str, str]] = []
    report = folder / "report" / "index.html"
    if report.exists():
        text = report.read_text(encoding="utf-8")
        for match in re.finditer(r'<section class="gbo-table-block" id="table-([^"]+)"', text):
            end = text.find("</section>", match.end())
            block = lxml.html.fromstring(text[match.end() : end] or "<p></p>")
            for node in block.xpath("//table"):
                node.drop_tree()
            table_id = match.group(1).replace("-", "_")
            linked += [(table_id, s) for s in sentences(str(block.text_content()))]
    for _source, text in texts.items():
        for s in sentences(text):
            for number in CITED.findall(s):
                if number in numbers:
                    linked.append((numbers[number], s))
    for table_id, sentence in dict.fromkeys(linked):
        frame = tables.get(table_id)
        if frame is not None:
            _cells_in(attack, table_id, frame, sentence)


def _cells_in(attack: Attack, table_id: str, frame: pd.DataFrame, sentence: str) -> None:
    lower = sentence.lower()
    recorded = RECORDED.search(sentence)
    column = frame[frame["breakdown"] == "All"]
    if recorded and len(column):
        cells: dict[Key, float] = {
            ("cell", table_id, "All", str(r.category)): 1.0
            for r in column.itertuples(index=False)
            if str(r.is_not_recorded) != "True" and str(r.pct_of_recorded_display) != "[z]"
        }
        bound, exact = recorded.groups()
        if exact:
            # a number said in a text is keyed by the number as an int, not as a str like
            # every other part of a key: typed as a key as it is (it is never sorted or read
            # as text)
            key = cast("Key", ("text value", _int(exact)))
            attack.known[key] = float(_int(exact))
            attack.eq.append({**cells, key: -1.0})
        else:
            attack.ub.append((cells, float(_int(bound) - 1)))
    among = AMONG.search(sentence)
    breakdowns = {str(b).lower(): str(b) for b in frame["breakdown"]}
    breakdown = breakdowns.get(among.group(1).strip().lower()) if among else "All"
    if breakdown is None:
        return
    for category in dict.fromkeys(str(c) for c in frame["category"]):
        label = re.escape(category.lower())
        cell: Key = ("cell", table_id, breakdown, category)
        if cell not in attack.index:
            continue
        count = re.search(LEAD + label + r" \(" + NUMBER + r"(?: [a-z]+)?\)", lower)
        if count:
            attack.eq.append({cell: 1.0, cast("Key", ("text value", _int(count.group(1)))): -1.0})
            attack.known[cast("Key", ("text value", _int(count.group(1))))] = float(
                _int(count.group(1))
            )
        share = re.search(LEAD + label + r" \((\d+(?:\.\d+)?)%\)", lower)
        if share:
            p = share.group(1)
            places = len(p.split(".")[1]) if "." in p else 0
            interval(attack, {cell: 1.0}, {("den", table_id, breakdown): 1.0}, float(p), places)
