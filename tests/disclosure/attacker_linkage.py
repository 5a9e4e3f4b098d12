"""The outside reader's look at the linkage facts: the report's linkage list and the data
quality page's linkage summary.

Like :mod:`tests.disclosure.attacker` it imports nothing from gbo. A reader who knows what
the facts mean can relate them:

* persons by number of records add up to the persons, and a band listed holds someone; all
  but those with one record are the persons linked; each band times its number of records
  adds up to the records (at least, for an open band such as "10+");
* a person of r records needs r - 1 links: records less persons is at most the links;
  weak links cut are at most the weak links, persons with conflicting sex or dates of
  birth at most the persons linked;
* the linkage bias audit on the data quality page splits the same records (and the scored
  pairs): each dimension's records add up to the records, the pairs' to the pairs scored,
  and the linked records to the records of persons with more than one record.

A fact said as "fewer than k" lies between 1 and k - 1; the reader reports it when the
relations narrow it further (or pin it). A fact shown in one place and withheld in the
other is reported as shown.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html

if TYPE_CHECKING:
    from tests.disclosure.attacker import Attack, Key

SUMMARY = re.compile(
    r'__key">\s*([^<]*?)\s*</dt>\s*<dd class="govuk-summary-list__value">\s*([^<]*?)\s*</dd>'
)
FEWER = re.compile(r"^fewer than (\d+)$")
BAND = re.compile(r"^persons with (\d+)(\+?)$")


def linkage_facts(folder: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Each count fact's texts wherever shown (name -> texts), and clashes between them."""
    facts: dict[str, list[str]] = {}
    index = folder / "report" / "index.html"
    if index.exists():
        for key, value in SUMMARY.findall(index.read_text(encoding="utf-8")):
            key, value = html.unescape(key), html.unescape(value).strip()
            if key.startswith("Number of "):
                facts.setdefault(key.removeprefix("Number of ").lower(), []).append(value)
            elif key.startswith("Persons by n records: "):
                size = key.removeprefix("Persons by n records: ")
                facts.setdefault(f"persons with {size}", []).append(value)
    page = folder / "report" / "data-quality.html"
    if page.exists():
        root = lxml.html.parse(str(page)).getroot()
        for table in root.xpath("//table"):
            caption = table.xpath(".//caption")
            if not caption or not caption[0].text_content().strip().startswith("Linkage summary"):
                continue
            for tr in table.xpath(".//tr")[1:]:
                cells = [c.text_content().strip() for c in tr.xpath("./th|./td")]
                if len(cells) == 2 and cells[0].startswith("n "):
                    facts.setdefault(cells[0].removeprefix("n "), []).append(cells[1])
    clashes = [
        f"linkage fact '{name}' is {' and '.join(texts)}"
        for name, texts in facts.items()
        if len({t.replace(",", "") for t in texts}) > 1
    ]
    return facts, clashes


def add_linkage_facts(attack: Attack, folder: Path, threshold: int) -> None:
    """The linkage facts and their relations (see the module docstring)."""
    facts, clashes = linkage_facts(folder)
    attack.small_shown += clashes
    known: set[str] = set()

    def key(name: str) -> Key:
        return ("linkage", name)

    for name, texts in facts.items():
        k = key(name)
        attack.var(k)
        known.add(name)
        for text in texts:
            digits = text.replace(",", "")
            band = FEWER.match(text)
            if digits.isdigit():
                attack.known[k] = float(digits)
            elif band:
                top = int(band.group(1)) - 1
                attack.ub.append(({k: 1.0}, float(top)))
                attack.ub.append(({k: -1.0}, -1.0))
                attack.banded[k] = (1.0, float(top))
            elif text == "[c]":
                attack.withheld.add(k)
    bands: dict[str, tuple[int, bool]] = {}
    for name in known:
        found = BAND.match(name)
        if found:
            bands[name] = (int(found.group(1)), bool(found.group(2)))
            # a band is listed only when someone has that many records
            attack.ub.append(({key(name): -1.0}, -1.0))
    if bands and "persons" in known:
        relation = {key(b): 1.0 for b in bands}
        relation[key("persons")] = -1.0
        attack.eq.append(relation)
    if bands and "persons linked" in known:
        relation = {key(b): 1.0 for b, (size, _) in bands.items() if size > 1}
        relation[key("persons linked")] = -1.0
        attack.eq.append(relation)
    if bands and "records" in known:
        relation = {key(b): float(size) for b, (size, _) in bands.items()}
        relation[key("records")] = -1.0
        if any(is_open for _, is_open in bands.values()):
            attack.ub.append((relation, 0.0))
        else:
            attack.eq.append(relation)
    pairs = (
        ("weak links cut", "weak links"),
        ("persons conflicting sex", "persons linked"),
        ("persons conflicting dob", "persons linked"),
        ("links from review", "links"),
    )
    for small, large in pairs:
        if small in known and large in known:
            attack.ub.append(({key(small): 1.0, key(large): -1.0}, 0.0))
    if {"records", "persons", "links"} <= known:
        attack.ub.append(({key("records"): 1.0, key("persons"): -1.0, key("links"): -1.0}, 0.0))
    # the bias audit's totals (variables made by attacker_pages._bias)
    if "records" in known:
        attack.same(("dq", "bias total", "records", "n records"), key("records"))
    if "pairs scored" in known:
        attack.same(("dq", "bias total", "pairs", "n records"), key("pairs scored"))
    ones = [b for b, (size, is_open) in bands.items() if size == 1 and not is_open]
    if "records" in known and ones:
        linked = ("dq", "bias total", "records", "n linked")
        attack.eq.append({linked: 1.0, key("records"): -1.0, key(ones[0]): 1.0})
