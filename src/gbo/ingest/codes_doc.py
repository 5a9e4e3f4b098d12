"""``docs/codes.md``: every gbo code list, generated from :mod:`gbo.schema.codes`.

A mapping translates an agency's values to these codes in its ``[codes.*]`` tables; this
page is where a user looks them up. ``python -m gbo.docs_reference`` regenerates it and a
test checks that the checked-in page is current.
"""

from __future__ import annotations

from gbo.ingest.canonical_columns import KEY_CODE_COLUMNS
from gbo.ingest.crosswalks import SUBCLASSES, TABLES, crosswalk_table
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
        if name == "ho_offence_code":
            parts.append(
                "These are gbo's codes, not the Home Office's, although most are spelt alike: "
                "gbo's `19C` to `19F` (rapes of children, by sex and age band) are the Home "
                "Office's `19D`, `19E`, `19G` and `19H`, and the Home Office's own `19C` and "
                "`19F` are rapes of a person aged 16 or over. An export of Home Office codes "
                "is read through the crosswalk at the end of this page, never letter by "
                "letter; with the crosswalk, a Home Office code that has no gbo code is an "
                "unknown code even where gbo has a code of the same spelling.\n"
            )
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
        "the Home Office's offence codes to gbo's `ho_offence_code`, written either way "
        "police exports write them: the letter codes of police recorded crime (`19D`, "
        "with or without leading zeros: `019D`) or the class/subclass numbers of the Home "
        "Office offence classification (`019/16`, `19/16`, `19/6` for `019/06`, or five "
        "digits `01916`; four digits without the slash, such as `1916`, are refused because "
        "they could be `019/16` or `191/6`). A description from either table, written "
        "exactly, is read too when it means one gbo code only. The mapping's own "
        "`[codes.ho_offence_code]` entries come first.\n",
        "gbo's letter codes are not the Home Office's: gbo's `19C` to `19F` are the Home "
        "Office's `19D`, `19E`, `19G` and `19H` (the Home Office's `19C` and `19F` are rapes "
        "of a person aged 16 or over, which have no gbo code). Translate by these tables, "
        "never by the letters.\n",
        "Codes listed with no gbo code are offences outside gbo's code list, or numbers "
        "that do not say enough to choose one gbo code (a rape whose subclass does not give "
        "the victim's age, an old-law offence against a child under 16 where gbo splits at "
        "13). Rows holding them are rejected and reported by `gbo mapping check` as unknown "
        "codes: leave them out with `exclude` if they do not belong, or translate them in "
        "the mapping after checking the record.\n",
    ]
    for table in TABLES["home_office_offences"]:
        lines += [
            f"### {table.title}\n",
            f"Source: {table.source}. Version: {table.version}. Licence: {table.licence}.\n",
        ]
        if table is SUBCLASSES:
            lines.append(
                "An attempt has the subclass of its own (`019/18` is attempted rape of a "
                "female child under 13) and is translated to the offence's gbo code, as the "
                "Counting Rules count attempts with the offence. A class number with subclass "
                "`00` (subclass not known) is translated only where the whole class means one "
                "gbo code. The descriptions of a few adult-only subclasses are shortened.\n"
            )
        lines += ["| Home Office code | description | gbo code | basis |", "|---|---|---|---|"]
        for entry in crosswalk_table(table):
            gbo = f"`{entry.gbo_code}`" if entry.gbo_code else "(none)"
            lines.append(
                f"| `{entry.code}` | {_escape(entry.description)} | {gbo} | "
                f"{_escape(entry.basis)} |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    print(render_codes(), end="")


if __name__ == "__main__":
    main()
