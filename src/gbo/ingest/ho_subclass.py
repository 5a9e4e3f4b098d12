"""Home Office offence class/subclass numbers as exports write them.

The Home Office offence classification numbers each notifiable offence by class (1 to 3
digits) and subclass (2 digits): ``019/16`` is class 19, subclass 16. Exports write the same
number several ways: with or without leading zeros (``19/16``, ``019/16``, ``19/6`` for
``019/06``), and without the slash as five digits (``01916``, as probation case systems
show it). A four-digit number without a slash (``1916``) is refused: it could be ``019/16``
or ``191/6``.
"""

from __future__ import annotations

import re

MAX_CLASS = 999
MAX_SUBCLASS = 99

_SLASHED = re.compile(r"(\d{1,3})/(\d{1,2})")
_FIVE_DIGITS = re.compile(r"(\d{3})(\d{2})")


def parse_ho_subclass(text: str) -> tuple[int, int] | None:
    """(class, subclass) of ``019/16``, ``19/16``, ``19/6`` or ``01916`` (surrounding
    spaces ignored);
    None for anything else (a letter code such as ``19C``, or an ambiguous ``1916``)."""
    value = text.strip()
    match = _SLASHED.fullmatch(value) or _FIVE_DIGITS.fullmatch(value)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def format_ho_subclass(ho_class: int, subclass: int) -> str:
    """The canonical spelling, ``019/16``."""
    if not (0 <= ho_class <= MAX_CLASS and 0 <= subclass <= MAX_SUBCLASS):
        raise ValueError(f"no Home Office class/subclass {ho_class}/{subclass}")
    return f"{ho_class:03d}/{subclass:02d}"


def ho_subclass_spellings(ho_class: int, subclass: int) -> set[str]:
    """Every spelling :func:`parse_ho_subclass` reads as this class and subclass: each
    zero-padding of the class and subclass with a slash, and five digits."""
    classes = {str(ho_class), f"{ho_class:02d}", f"{ho_class:03d}"}
    subclasses = {str(subclass), f"{subclass:02d}"}
    found = {f"{c}/{s}" for c in classes for s in subclasses}
    found.add(f"{ho_class:03d}{subclass:02d}")
    return found
