"""A second look for identifiers in an uploaded bundle, without the vault.

The pipeline's leak scan (``gbo audit leaks``) compares a run's outputs with the identifiers in
its vault; the review server never holds the vault or its key, so it looks instead for the
shapes that must never reach a publication: record-level pseudonyms (``rec_``/``per_``/
``off_``/``grp_`` + 16 hex digits, which would make rows linkable), full postcodes (only
postcode districts are published) and NHS numbers (ten digits with a valid check digit).
Findings name the file, line and kind, never the value.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from gbo.errors import ReviewError
from gbo.review.bundle.archive import MB, read_member, refuse
from gbo.schema.nhs_number import is_valid_nhs_number

TEXT_SUFFIXES = (".html", ".htm", ".csv", ".json", ".txt", ".md", ".svg", ".xml", ".tsv")
OFFICE_SUFFIXES = (".xlsx", ".ods")
OFFICE_MEMBER_SUFFIX = ".xml"
MAX_TEXT_BYTES = 64 * MB
MAX_OFFICE_MEMBER_BYTES = 64 * MB
MAX_OFFICE_MEMBERS = 500

PSEUDONYM = re.compile(r"\b(?:rec|per|off|grp)_[0-9a-f]{16}\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}\b")
NHS_NUMBER = re.compile(
    r"(?<![0-9])(?<![0-9]\.)([0-9]{3})[ -]?([0-9]{3})[ -]?([0-9]{4})(?![0-9]|\.[0-9])"
)
# A hex digest (a chart's dataset name, a content hash) can hold ten decimal digits in a row
# that pass the NHS check digit by chance; digests are not NHS numbers, so they are blanked
# before that check (pseudonyms, with their prefix, are checked on the line as it is).
HEX_DIGEST = re.compile(r"\b(?=[0-9a-f]*[a-f])[0-9a-f]{16,}\b")
MARKUP_SUFFIXES = (".html", ".htm", ".svg", ".xml")
TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class IdentifierFinding:
    """Where an identifier-shaped value was found (never the value itself)."""

    path: str
    line: int
    kind: str


def text_of_markup(markup: str) -> str:
    """The text between tags (attributes, coordinates and styles are not text), lines kept.

    Each tag becomes ``|`` so that numbers in neighbouring elements never run together.
    """
    return TAG.sub(lambda m: "|" + "\n" * m.group(0).count("\n"), markup)


def scan_text(path: str, text: str) -> Iterator[IdentifierFinding]:
    """Identifier-shaped values in one text, by line (markup: its text only)."""
    if path.lower().endswith(MARKUP_SUFFIXES):
        text = text_of_markup(text)
    for number, line in enumerate(text.splitlines(), start=1):
        if PSEUDONYM.search(line):
            yield IdentifierFinding(path, number, "record-level pseudonym")
        if POSTCODE.search(line):
            yield IdentifierFinding(path, number, "full postcode")
        for match in NHS_NUMBER.finditer(HEX_DIGEST.sub(" ", line)):
            if is_valid_nhs_number("".join(match.groups())):
                yield IdentifierFinding(path, number, "NHS number")
                break


def _office_texts(path: str, data: bytes) -> Iterator[tuple[str, str]]:
    try:
        inner = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise refuse(f"{path} is not a valid spreadsheet") from None
    with inner:
        infos = [i for i in inner.infolist() if i.filename.endswith(OFFICE_MEMBER_SUFFIX)]
        if len(infos) > MAX_OFFICE_MEMBERS:
            raise refuse(f"{path} holds too many parts")
        for info in infos:
            raw = read_member(inner, info, MAX_OFFICE_MEMBER_BYTES)
            yield f"{path}!{info.filename}", raw.decode("utf-8", errors="replace")


def scan_bundle(zf: zipfile.ZipFile, paths: list[str]) -> list[IdentifierFinding]:
    """Scan every text file and spreadsheet of an already checked bundle."""
    findings: list[IdentifierFinding] = []
    for path in paths:
        lower = path.lower()
        if lower.endswith(TEXT_SUFFIXES):
            raw = read_member(zf, zf.getinfo(path), MAX_TEXT_BYTES)
            findings.extend(scan_text(path, raw.decode("utf-8", errors="replace")))
        elif lower.endswith(OFFICE_SUFFIXES):
            raw = read_member(zf, zf.getinfo(path), MAX_TEXT_BYTES)
            for name, text in _office_texts(path, raw):
                findings.extend(scan_text(name, text))
    return findings


def refuse_identifiers(findings: list[IdentifierFinding]) -> ReviewError:
    first = findings[0]
    return ReviewError(
        f"This bundle looks as if it holds identifiers: {len(findings)} finding(s), the first "
        f"a {first.kind} in {first.path} line {first.line}.",
        hint="publications must hold only disclosure-controlled aggregates; rerun disclosure "
        "and publish, and run gbo audit leaks on the run folder",
    )
