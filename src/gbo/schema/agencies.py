"""Naming the agencies whose records a run used, for report text.

Agency names in a run configuration are the user's own short names (``police``,
``social_care``, ``children_services``, ``health``). Report text names the kinds of agency
present, so a run without a health export never claims records from health services.
"""

from __future__ import annotations

from collections.abc import Iterable

# (words in an agency's name, the phrase naming that kind of agency), first match wins.
_KINDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("police", "constabulary", "force"), "the police"),
    (("social", "children", "council", "care", "csc"), "children's social care"),
    (("health", "nhs", "hospital", "icb", "gp"), "health services"),
    (("education", "school"), "education services"),
    (("youth", "yjs", "offending"), "youth justice services"),
    # the tables call an agency "charity" the voluntary sector (journey_settings)
    (("charity", "charities", "voluntary", "vcs", "vcse"), "the voluntary sector"),
)


def agency_kind(agency: str) -> str:
    """The phrase naming one agency's kind (its own name, spaced, when none fits)."""
    words = agency.lower().replace("-", "_").split("_")
    for keys, phrase in _KINDS:
        if any(word.startswith(key) for word in words for key in keys):
            return phrase
    return agency.replace("_", " ")


def agencies_phrase(agencies: Iterable[str]) -> str:
    """``the police, children's social care and health services`` for the agencies given,
    in the order first seen; ``the agencies in this run`` when none are known."""
    kinds = list(dict.fromkeys(agency_kind(a) for a in agencies))
    if not kinds:
        return "the agencies in this run"
    if len(kinds) == 1:
        return kinds[0]
    return ", ".join(kinds[:-1]) + " and " + kinds[-1]
