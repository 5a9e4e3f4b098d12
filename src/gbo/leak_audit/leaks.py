"""``gbo audit leaks``: prove that no identifier from the inputs reaches any output.

Every file in the run folder except the vault files (recognised by their magic bytes, not
their names) is read as text, cell by cell where it has cells (Parquet, CSV, JSON, HTML,
spreadsheets and archives, PDF), and searched for the identifiers held in the run's vault
(see :mod:`gbo.leak_audit.identifiers`) and for the vault key itself. Findings name the file,
the place and the kind of identifier, never the value.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from gbo.leak_audit.collect import identifiers_from_run
from gbo.leak_audit.file_text import Piece, file_pieces, pieces
from gbo.leak_audit.identifiers import IdentifierSet, tokens
from gbo.security import KeyRing, is_encrypted_file
from gbo.security.keys import KEY_ENV_VAR

SKIPPED_NAMES = {".DS_Store"}
BATCH = 1 << 16  # pieces of a file looked up together


@dataclass(frozen=True)
class LeakFinding:
    path: str
    location: str
    kind: str

    def render(self) -> str:
        return f"{self.path}: {self.location}: {self.kind}"


def _scan_value(ids: IdentifierSet, value: str, is_cell: bool) -> str | None:
    """The kind of identifier found in one value (a cell if ``is_cell``), or None."""
    return _scan_values(ids, [(value, is_cell)])[0]


def _scan_values(ids: IdentifierSet, values: Sequence[tuple[str, bool]]) -> list[str | None]:
    """:func:`_scan_value` for many values at once: each distinct value is split into
    tokens once, a cell is checked against the name parts and short serials, and every
    value still unanswered is searched for strong identifiers in one batch
    (:meth:`IdentifierSet.find_in_texts`)."""
    answers: dict[tuple[str, bool], str | None] = {}
    split: dict[str, tuple[str, ...]] = {}
    searched: dict[tuple[str, ...], list[tuple[str, bool]]] = {}
    for key in values:
        if key in answers:
            continue
        value, is_cell = key
        toks = split.get(value)
        if toks is None:
            toks = split[value] = tokens(value)
        answers[key] = None
        if not toks:
            continue
        if is_cell:
            if toks in ids.name_parts:
                answers[key] = "name"
                continue
            serial = ids.serials.get(toks)
            if serial is not None:
                answers[key] = serial
                continue
        searched.setdefault(toks, []).append(key)
    for toks, kind in zip(searched, ids.find_in_texts(list(searched)), strict=True):
        for key in searched[toks]:
            answers[key] = kind
    return [answers[key] for key in values]


def scan_bytes(
    ids: IdentifierSet, name: str, data: bytes, secrets: Iterable[bytes] = ()
) -> Iterator[LeakFinding]:
    """Findings in the contents of one file called ``name`` (its pieces looked up a batch
    at a time, the findings given in the order of the pieces)."""
    for secret in secrets:
        if secret and secret in data:
            yield LeakFinding(name, "raw bytes", "vault key")
    yield from _findings(ids, name, pieces(name, data, ids.worth_checking))


def scan_file(
    ids: IdentifierSet, path: Path, name: str, secrets: Iterable[bytes] = ()
) -> Iterator[LeakFinding]:
    """:func:`scan_bytes` of the file at ``path``, reported as ``name``, without reading it
    whole: the key is looked for in a memory map, and big tables are streamed."""
    if path.stat().st_size:
        with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as m:
            if any(secret and m.find(secret) >= 0 for secret in secrets):
                yield LeakFinding(name, "raw bytes", "vault key")
    yield from _findings(ids, name, file_pieces(path, ids.worth_checking))


def _findings(
    ids: IdentifierSet, name: str, found_pieces: Iterator[Piece]
) -> Iterator[LeakFinding]:
    seen: set[tuple[str, str]] = set()
    kinds: set[str] = set()
    while batch := list(islice(found_pieces, BATCH)):
        found = _scan_values(ids, [(value, is_cell) for _, value, is_cell in batch])
        for (location, _, _), kind in zip(batch, found, strict=True):
            if kind is None or (location, kind) in seen:
                continue
            if location.endswith("text") and kind in kinds:
                continue  # the whole-text pass repeats what a cell already showed
            seen.add((location, kind))
            kinds.add(kind)
            yield LeakFinding(name, location, kind)


def files_to_scan(run_dir: Path) -> Iterator[Path]:
    """Every regular file under the run folder that is not a vault file."""
    for root, _dirs, files in os.walk(run_dir):
        for file_name in sorted(files):
            path = Path(root) / file_name
            if path.is_symlink() or file_name in SKIPPED_NAMES or is_encrypted_file(path):
                continue
            yield path


def key_secrets(keys: KeyRing) -> list[bytes]:
    found = [keys.encryption_key, keys.pseudonym_key, keys.encryption_key.hex().encode()]
    found.append(keys.pseudonym_key.hex().encode())
    master = os.environ.get(KEY_ENV_VAR, "").strip()
    if master:
        found.append(master.encode())
    return found


def scan_run_for_leaks(keys: KeyRing, run_dir: Path) -> tuple[int, list[LeakFinding]]:
    """Scan a run folder; returns the number of files scanned and the findings."""
    ids = identifiers_from_run(keys, run_dir)
    secrets = key_secrets(keys)
    findings: list[LeakFinding] = []
    n_files = 0
    for path in files_to_scan(run_dir):
        n_files += 1
        rel = path.relative_to(run_dir).as_posix()
        findings.extend(scan_file(ids, path, rel, secrets))
    return n_files, findings
