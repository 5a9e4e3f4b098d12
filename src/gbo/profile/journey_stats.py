"""Summary statistics of victims' journeys, each with the number of people it describes.

Every statistic carries ``n``, the people behind it, so that disclosure control can withhold
any statistic about fewer people than its minimum (see ``disclosure.statistic_threshold``).
"""

from __future__ import annotations

from collections.abc import Mapping

from gbo.profile.population import Profile
from gbo.profile.tabulate import sql_string
from gbo.profile.tidy import Statistic
from gbo.schema import codes

SUMMARY_STATISTICS = ("lower_quartile", "median", "upper_quartile", "mean")


def summary(
    profile: Profile, table_id: str, breakdown: str, sql: str, prefix: str = ""
) -> list[Statistic]:
    """Quartiles (linear interpolation) and mean of column ``x`` of ``sql`` (one row a person);
    ``prefix`` tells apart several measures of one table (``days_known_median``)."""
    row = profile.one_row(
        "SELECT quantile_cont(x, [0.25, 0.5, 0.75]), avg(x), count(x) "
        f"FROM ({sql}) WHERE x IS NOT NULL"
    )
    n = int(row[2]) if row else 0
    q = row[0] if row and row[0] is not None else [None, None, None]
    mean = float(row[1]) if row and row[1] is not None else None
    values = [*q, mean]
    return [
        Statistic(table_id, breakdown, prefix + name, None if v is None else float(v), n)
        for name, v in zip(SUMMARY_STATISTICS, values, strict=True)
    ]


def contact_totals(
    profile: Profile,
    table_id: str,
    column: str,
    labels: Mapping[str, str],
    source: str = "j_prior",
    statistic: str = "contacts_before_identification",
) -> list[Statistic]:
    """The number of contacts under each label of ``column``, with the people behind it."""
    whens = " ".join(f"WHEN {sql_string(k)} THEN {sql_string(v)}" for k, v in labels.items())
    label_sql = f"(CASE {column} {whens} ELSE '{codes.NOT_RECORDED}' END)" if whens else "NULL"
    rows = profile.con.execute(
        f"SELECT {label_sql} AS label, count(*), count(DISTINCT person_pid) FROM {source} "
        f"WHERE {column} IS NOT NULL GROUP BY label ORDER BY label"
    ).fetchall()
    return [
        Statistic(table_id, str(label), statistic, float(n_contacts), int(n_people))
        for label, n_contacts, n_people in rows
        if label is not None
    ]
