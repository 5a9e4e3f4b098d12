"""``docs/codes.md``: every gbo code list, generated from :mod:`gbo.schema.codes`.

A mapping translates an agency's values to these codes in its ``[codes.*]`` tables; this
page is where a user looks them up. ``python -m gbo.docs_reference`` regenerates it and a
test checks that the checked-in page is current.
"""

from __future__ import annotations

from gbo.ingest.canonical_columns import KEY_CODE_COLUMNS
from gbo.ingest.crosswalks import CROSSWALK_SOURCES, crosswalk
from gbo.schema import codes
from gbo.schema.tables import CANONICAL_TABLES

_INTRO = """# Code lists

Generated from `gbo.schema.codes` (code list version {version}) by
`python -m gbo.docs_reference`; do not edit by hand.

A mapping file translates the agency's own values to these codes in its `[codes.<column>]`
tables (see [mapping-files.md](mapping-files.md)). A value may also be written as the gbo
code itself (any case). A value translated to `""` is read as not recorded, which is a
category in every output. In the columns marked **key**, a value that is neither translated
nor a gbo code rejects the row (the row means nothing without it); in the other columns it
becomes not recorded with an `unmapped_code` finding. `gbo mapping check` lists the closest
codes for each unknown value.
"""


def _columns_using(name: str) -> list[str]:
    return [
        f"`{spec.name}.{column}`"
        for spec in CANONICAL_TABLES.values()
        for column in spec.column_names
        if column == name
    ]


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def render_codes() -> str:
    parts = [_INTRO.format(version=codes.CODE_LIST_VERSION)]
    for name in sorted(codes.CODE_LISTS):
        key = " (**key**: an unknown value rejects the row)" if name in KEY_CODE_COLUMNS else ""
        parts.append(f"## `{name}`\n")
        parts.append(f"Used by {', '.join(_columns_using(name))}{key}.\n")
        groups: dict[str, str] = {}
        if name == "ho_offence_code":
            groups = codes.HO_OFFENCE_GROUPS
        elif name == "outcome_code":
            groups = {k: codes.OUTCOME_GROUPS[v[1]] for k, v in codes.OUTCOMES.items()}
        header = "| code | meaning |" + (" published as |" if groups else "")
        rule = "|---|---|" + ("---|" if groups else "")
        rows = [header, rule]
        for code, label in codes.CODE_LISTS[name].items():
            extra = f" {_escape(groups.get(code, ''))} |" if groups else ""
            rows.append(f"| `{code}` | {_escape(label)} |{extra}")
        parts.append("\n".join(rows) + "\n")
        if name == "ethnicity_self":
            parts.append(
                'Agencies on the older 16+1 list set `ethnicity_self_list = "16+1"`; its '
                "`O1` (Chinese) is read as `A4`.\n"
            )
    parts.append("## `nationality`\n")
    parts.append(
        f"Used by {', '.join(_columns_using('nationality'))}. ISO 3166-1 alpha-3 country "
        "codes (for example `GBR`), from the `pycountry` package.\n"
    )
    parts.append(_crosswalk_section())
    return "\n".join(parts)


def _crosswalk_section() -> str:
    lines = [
        "## Crosswalk: Home Office offence codes\n",
        '`crosswalks = { ho_offence_code = "home_office_offences" }` in a mapping translates '
        "the Home Office's offence codes (with or without leading zeros, or their "
        "descriptions) to gbo's `ho_offence_code`. gbo's letter codes are not the Home "
        "Office's: translate by this table, never by the letters. Codes with no gbo code "
        "are offences outside gbo's scope; rows holding them are reported by "
        "`gbo mapping check` (leave them out with `exclude` if they do not belong). "
        "Home Office class/subclass numbers (such as `019/16`) are not shipped, because no "
        "public list of them was available to check; translate them in the mapping.\n",
        f"Source: {CROSSWALK_SOURCES['home_office_offences']}.\n",
        "| Home Office code | description | gbo code |",
        "|---|---|---|",
    ]
    for entry in crosswalk("home_office_offences"):
        gbo = f"`{entry.gbo_code}`" if entry.gbo_code else "(none)"
        lines.append(f"| `{entry.code}` | {_escape(entry.description)} | {gbo} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    print(render_codes(), end="")


if __name__ == "__main__":
    main()
