"""The people tables and their age statistics describe the same people."""

from __future__ import annotations

import duckdb

from gbo.profile.people import age_statistics, build_people
from gbo.profile.population import Profile
from gbo.profile.settings import ProfileSettings
from gbo.schema.codes import NOT_RECORDED


def test_age_statistics_count_the_people_the_bands_place() -> None:
    """The second red team of stop 60 (300 records, seed 104): an offender's age at first
    offence fell outside every band, so the age band table put them in Not recorded while
    the quartiles counted all 64; a reader took 64 - 64 for the table's Not recorded and
    read 0 where it was 1."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE p_offender AS SELECT * FROM (VALUES "
        "(DATE '2020-03-01', 1990, 'In a group'), (DATE '2020-03-01', 1985, 'Alone'), "
        "(DATE '2021-05-01', 1970, 'Alone'), (DATE '2019-01-01', 2021, 'Alone'), "
        "(DATE '2019-01-01', NULL, 'In a group')"
        ") t(first_date, birth_year, status)"
    )
    for column in ("sex", "ethnicity_self", "ethnicity_officer", "nationality"):
        con.execute(f"ALTER TABLE p_offender ADD COLUMN {column} VARCHAR")
    settings = ProfileSettings()
    profile = Profile(con, settings, warn=lambda _: None)
    bands = settings.offender_age_bands
    table = next(
        t
        for t in build_people(profile, "offenders", "p_offender", bands)
        if t.table_id == "offenders_age_band"
    )
    assert table.count("All", NOT_RECORDED) == 2  # no birth year; born after the offence
    median = next(
        s
        for s in age_statistics(profile, "offenders", "p_offender", bands)
        if (s.breakdown, s.statistic) == ("All", "median")
    )
    assert median.n == table.recorded("All") == 3
