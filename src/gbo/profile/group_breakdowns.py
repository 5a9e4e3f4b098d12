"""Groups: size, active period, victims, offence mix, online element, ethnic composition."""

from __future__ import annotations

from gbo.profile import categories as cat
from gbo.profile.population import Profile
from gbo.profile.settings import Band
from gbo.profile.tabulate import Categories, band_case_sql, band_labels, tabulate, tabulate_rows
from gbo.profile.tidy import Statistic, TidyTable

GROUP_UNITS = "SELECT group_pid AS unit_id, 'All' AS breakdown FROM p_group"


def _group_table(
    profile: Profile, table_id: str, values_sql: str, c: Categories, additive: bool = True
) -> TidyTable:
    return tabulate(
        profile.con,
        table_id,
        units_sql=GROUP_UNITS,
        values_sql=values_sql,
        categories=c,
        add_all=False,
        breakdowns=("All",),
        is_additive=additive,
    )


def _banded(profile: Profile, table_id: str, column: str, bands: tuple[Band, ...]) -> TidyTable:
    return tabulate_rows(
        profile.con,
        table_id,
        source="p_group",
        breakdown_sql="'All'",
        value_sql=band_case_sql(column, bands),
        categories=band_labels(bands),
        add_all=False,
        breakdowns=("All",),
    )


def _composition_sql(code_sql: str, unknown_codes: str) -> str:
    """Per group: homogeneous / mixed / one among recorded / NULL (none recorded)."""
    return f"""
        WITH m AS (
            SELECT gm.group_pid, gm.person_pid, {code_sql} AS code
            FROM in_group_membership gm
            LEFT JOIN in_person p ON gm.person_pid = p.person_pid
            WHERE gm.group_pid IN (SELECT group_pid FROM p_group)
        ), k AS (
            SELECT group_pid, count(DISTINCT person_pid) AS n_members,
                count(DISTINCT person_pid) FILTER (
                    WHERE code IS NOT NULL AND code NOT IN {unknown_codes}) AS n_known,
                count(DISTINCT code) FILTER (
                    WHERE code IS NOT NULL AND code NOT IN {unknown_codes}) AS n_codes
            FROM m GROUP BY group_pid
        )
        SELECT group_pid AS unit_id, CASE
            WHEN n_codes >= 2 THEN '{cat.MIXED}'
            WHEN n_codes = 1 AND n_known = n_members THEN '{cat.HOMOGENEOUS}'
            WHEN n_codes = 1 THEN '{cat.ONE_AMONG_RECORDED}'
        END AS value FROM k
    """


def _ons_group_sql() -> str:
    from gbo.schema import codes

    whens = " ".join(
        f"WHEN '{sde}' THEN '{codes.ONS_19[ons][1]}'" for sde, ons in codes.SDE_TO_ONS.items()
    )
    whens += " WHEN 'O1' THEN 'ASIAN'"
    return f"(CASE p.ethnicity_self {whens} ELSE NULL END)"


def build_groups(profile: Profile) -> tuple[list[TidyTable], list[Statistic]]:
    s = profile.settings
    tables = [
        _banded(profile, "groups_size", "n_offenders", s.group_size_bands),
        _banded(profile, "groups_duration", "duration_days", s.group_duration_bands),
        _banded(profile, "groups_victims", "n_victims", s.victims_per_group_bands),
        _group_table(
            profile,
            "groups_offence_mix",
            """SELECT go.group_pid AS unit_id, o.ho_offence_code AS value
               FROM in_group_offence go JOIN p_offence o ON go.offence_pid = o.offence_pid""",
            cat.OFFENCE_GROUPS,
            additive=False,
        ),
        _group_table(
            profile,
            "groups_online",
            f"""SELECT go.group_pid AS unit_id,
                   CASE WHEN bool_or(o.is_online) THEN '{cat.YES}'
                        WHEN count(o.is_online) = count(*) AND bool_and(NOT o.is_online)
                        THEN '{cat.NO}' END AS value
               FROM in_group_offence go JOIN p_offence o ON go.offence_pid = o.offence_pid
               GROUP BY go.group_pid""",
            cat.YES_NO,
        ),
        _group_table(
            profile,
            "groups_ethnic_composition",
            _composition_sql(_ons_group_sql(), "('NS')"),
            cat.COMPOSITION,
        ),
        _group_table(
            profile,
            "groups_ethnic_composition_officer",
            _composition_sql("p.ethnicity_officer", "('IC9', 'IC0', 'IC7')"),
            cat.COMPOSITION,
        ),
    ]
    stats: list[Statistic] = []
    for table_id, column in (
        ("groups_size", "n_offenders"),
        ("groups_duration", "duration_days"),
        ("groups_victims", "n_victims"),
    ):
        stats += quartiles(profile, table_id, "All", f"SELECT {column} AS x FROM p_group")
    return tables, stats


def quartiles(profile: Profile, table_id: str, breakdown: str, sql: str) -> list[Statistic]:
    """Median and quartiles (linear interpolation) of column ``x`` of ``sql``."""
    row = profile.one_row(
        f"SELECT quantile_cont(x, [0.25, 0.5, 0.75]), count(x) FROM ({sql}) WHERE x IS NOT NULL"
    )
    n = int(row[1]) if row else 0
    q = row[0] if row and row[0] is not None else [None, None, None]
    return [
        Statistic(table_id, breakdown, "lower_quartile", q[0], n),
        Statistic(table_id, breakdown, "median", q[1], n),
        Statistic(table_id, breakdown, "upper_quartile", q[2], n),
    ]
