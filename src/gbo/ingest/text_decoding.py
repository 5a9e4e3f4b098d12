"""Turning the bytes of a text export into text: BOM, UTF-8, legacy code pages, mixtures.

Exports from older systems arrive in Windows code page 1252, and files stitched together from
several systems mix UTF-8 lines with cp1252 lines. Only lines holding non-ASCII bytes can
differ, so only those are examined: each is decoded as UTF-8 if it is valid UTF-8, and
otherwise in the legacy encoding that ``charset-normalizer`` detects for the lines that are
not UTF-8 (cp1252 when it cannot tell). A whole file is never lost to one bad line.

Whole-file decoding goes a block at a time (:func:`recode`), so a file of a few gigabytes
needs its bytes and its UTF-8 form in memory, never a Python string of the whole text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

_NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")
_FALLBACK = "cp1252"
_SAMPLE_BYTES = 1 << 16
_BLOCK_BYTES = 1 << 24


@dataclass(frozen=True)
class DecodedText:
    data: bytes  # the text as UTF-8
    encoding: str  # e.g. utf-8, utf-8-sig, cp1252, or "utf-8+cp1252" for a mixture
    n_legacy_lines: int = 0  # lines decoded in the legacy encoding of a mixed file


def detect_legacy_encoding(sample: bytes) -> str:
    """The single-byte encoding that best explains bytes that are not UTF-8.

    cp1252 (Windows Western European) is preferred whenever charset-normalizer finds a
    reading of the bytes that is the same as cp1252's, or when both cp1252's reading and its
    best are Latin letters: English exports from Windows systems are almost always in
    cp1252, and a few accented names cannot tell it from its cousins. (A file in cp1250
    whose only accents read as letters in cp1252 too, Czech "Dvořák" as "Dvoøák", is then
    read as cp1252; set the mapping's ``encoding`` for such a file.)
    """
    sample = sample[:_SAMPLE_BYTES]
    try:
        as_cp1252: str | None = sample.decode(_FALLBACK)
    except UnicodeDecodeError:
        as_cp1252 = None
    single_byte: list[tuple[str, str]] = []
    for match in from_bytes(sample):
        try:
            text = sample.decode(match.encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if len(text) == len(sample):  # exports that are not UTF-8 are single-byte
            single_byte.append((codecs.lookup(match.encoding).name, text))
    if not single_byte or any(text == as_cp1252 for _, text in single_byte):
        return _FALLBACK
    # "Chloë" in cp1252 is "Chloė" in cp1257: where both readings are Latin letters the
    # detector cannot choose, and the likelier code page wins. A cp1252 reading with symbols
    # in its words ("£ódŸ" for Polish "Łódź") or a detected script other than Latin
    # (Cyrillic) keeps the detected code page.
    if as_cp1252 is not None and _latin_letters(as_cp1252) and _latin_letters(single_byte[0][1]):
        return _FALLBACK
    return single_byte[0][0]


def _latin_letters(text: str) -> bool:
    """Whether every character beyond ASCII is a letter of the Latin script."""
    return all(
        unicodedata.category(c).startswith("L") and "LATIN" in unicodedata.name(c, "")
        for c in set(text)
        if ord(c) > 127
    )


def recode(data: bytes | memoryview, encoding: str) -> bytes:
    """``data`` in ``encoding`` as UTF-8 (undecodable bytes replaced), a block at a time:
    the same bytes as ``data.decode(encoding, errors="replace").encode("utf-8")``."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    view = memoryview(data)
    out = bytearray()
    for start in range(0, len(view), _BLOCK_BYTES):
        block = view[start : start + _BLOCK_BYTES]
        out += decoder.decode(block, final=start + _BLOCK_BYTES >= len(view)).encode("utf-8")
    out += decoder.decode(b"", final=True).encode("utf-8")
    return bytes(out)


def is_valid_utf8(data: bytes | memoryview) -> bool:
    """True when ``data`` is valid UTF-8 (checked a block at a time)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), _BLOCK_BYTES):
            decoder.decode(view[start : start + _BLOCK_BYTES], final=False)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def decode_text(data: bytes, encoding: str = "auto") -> DecodedText:
    """Decode an export; ``encoding`` is a codec name or ``auto`` to detect it."""
    if encoding != "auto":
        return DecodedText(recode(data, encoding), encoding)
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"),):
        if data.startswith(bom):
            decoded = _decode_mixed(memoryview(data)[len(bom) :], default="utf-8")
            label = name if decoded.n_legacy_lines == 0 else decoded.encoding
            return DecodedText(decoded.data, label, decoded.n_legacy_lines)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return DecodedText(recode(data, "utf-16"), "utf-16")
    return _decode_mixed(data, default="utf-8")


def _decode_mixed(view: bytes | memoryview, *, default: str) -> DecodedText:
    if is_valid_utf8(view):
        return DecodedText(view if isinstance(view, bytes) else bytes(view), default)
    data = bytes(view)
    lines = list(_NON_ASCII_LINE.finditer(data))
    is_utf8: list[bool] = []
    for match in lines:
        try:
            match.group().decode("utf-8")
            is_utf8.append(True)
        except UnicodeDecodeError:
            is_utf8.append(False)
    legacy_sample = b"\n".join(m.group() for m, ok in zip(lines, is_utf8, strict=True) if not ok)
    legacy = detect_legacy_encoding(legacy_sample)
    if not any(is_utf8):
        return DecodedText(recode(data, legacy), legacy)
    pieces: list[str] = []
    position = 0
    n_legacy = 0
    for match, ok in zip(lines, is_utf8, strict=True):
        pieces.append(data[position : match.start()].decode("ascii"))
        if ok:
            pieces.append(match.group().decode("utf-8"))
        else:
            pieces.append(match.group().decode(legacy, errors="replace"))
            n_legacy += 1
        position = match.end()
    pieces.append(data[position:].decode("ascii"))
    return DecodedText("".join(pieces).encode("utf-8"), f"utf-8+{legacy}", n_legacy)
