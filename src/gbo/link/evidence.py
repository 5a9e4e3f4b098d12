"""The scored pairs after clustering, in DuckDB: link evidence, accepted links, the review
queue's candidates and the bias audit's pair counts.

At ten million records the link stage keeps tens of millions of scored pairs. Held in
pandas with their pseudonyms as Python strings, translated, labelled and sorted there,
they took several times the memory of the pairs themselves. Here they never leave Arrow
and DuckDB: :class:`PairEvidence` registers the scored pairs (in content-ordered ids, as
numbers) and the records' pseudonyms, agencies and persons, and writes
``link_pair`` with DuckDB's ``COPY`` straight to Parquet. Everything else that needs the
pairs (the accepted links' scores, the review queue, the bias audit) reads that file
back with a query and takes only the rows or counts it needs.

The tables are those :mod:`gbo.link.review` and :mod:`gbo.link.bias` describe, row for row
and in the same order: the smaller pseudonym of a pair on the left, the rows sorted by
pair (pseudonyms are ASCII, so DuckDB's byte order is Python's string order).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from gbo.duckdb_spill import spilling_connection
from gbo.link.model import COMPARISON_NAMES
from gbo.link.ordering import IdMap


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _label_sql(name: str, labels: dict[int, str]) -> str:
    """The readable level of comparison ``name`` from its gamma ("?" for an unknown one)."""
    cases = " ".join(f"when {int(g)} then {_quoted(label)}" for g, label in labels.items())
    inner = f"case gamma_{name} {cases} end" if cases else "null"
    return f"coalesce({inner}, '?') as {name}"


def _arrow(relation: duckdb.DuckDBPyRelation) -> pa.Table:
    return relation.to_arrow_table()


class PairEvidence:
    """A DuckDB database (held to ``memory_limit``, spilling) over the scored pairs.

    ``scored``: ``unique_id_l``/``unique_id_r`` the content-ordered ids (as numbers) with
    the scores, ``gamma_*`` and ``mw_*`` columns; ``ids`` translates them to pseudonyms;
    ``record_map`` has ``record_pid``, ``person_pid`` and ``agency``."""

    def __init__(
        self,
        scored: pa.Table,
        ids: IdMap,
        record_map: pa.Table,
        labels: dict[str, dict[int, str]],
        memory_limit: str,
    ) -> None:
        self.con = spilling_connection(memory_limit, "link-evidence")
        self._labels = labels
        self._scored_columns = scored.column_names
        self.con.register("scored", scored)
        self.con.register(
            "internal",
            pa.table(
                {
                    "internal_id": pa.array(np.arange(1, len(ids.pseudonyms) + 1)),
                    "record_pid": ids.pseudonyms,
                }
            ),
        )
        self.con.register("record_map", record_map.select(["record_pid", "person_pid", "agency"]))
        self._link_pair: Path | None = None

    def __enter__(self) -> PairEvidence:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.con.close()

    # ----- link_pair ----------------------------------------------------------------------
    def link_pair_sql(self) -> str:
        """The ``link_pair`` table (see :func:`gbo.link.review.build_link_pairs`)."""
        gammas = [f"gamma_{c}" for c in COMPARISON_NAMES]
        weights = [f"mw_{c}" for c in COMPARISON_NAMES if f"mw_{c}" in self._scored_columns]
        labels = [_label_sql(c, self._labels.get(c, {})) for c in COMPARISON_NAMES]
        return (
            "with rec as (select i.internal_id, i.record_pid, m.agency, m.person_pid "
            "from internal i left join record_map m using (record_pid)), "
            "j as (select s.*, l.record_pid as pid_l, r.record_pid as pid_r, "
            "l.agency as agency_a, r.agency as agency_b, l.person_pid as person_a, "
            "r.person_pid as person_b, l.record_pid > r.record_pid as swap "
            "from scored s join rec l on l.internal_id = s.unique_id_l "
            "join rec r on r.internal_id = s.unique_id_r) "
            "select if(swap, pid_r, pid_l) as record_pid_l, "
            "if(swap, pid_l, pid_r) as record_pid_r, "
            "if(swap, agency_b, agency_a) as agency_l, if(swap, agency_a, agency_b) as agency_r, "
            f"match_weight, match_probability, {', '.join([*gammas, *labels, *weights])}, "
            "coalesce(person_a = person_b, false) as is_linked "
            "from j order by record_pid_l, record_pid_r"
        )

    def write_link_pairs(self, path: Path) -> int:
        """Write ``link_pair`` to ``path`` as Parquet; the number of rows written."""
        row = self.con.execute(
            f"copy ({self.link_pair_sql()}) to {_quoted(str(path))} "
            "(format parquet, compression zstd)"
        ).fetchone()
        return int(row[0]) if row else 0

    def read_link_pairs(self, path: Path) -> None:
        """Read ``link_pair`` from ``path`` (as written) for the queries below."""
        self.con.execute(
            f"create or replace view link_pair as select * from read_parquet({_quoted(str(path))})"
        )
        self._link_pair = path

    # ----- what the other outputs take from it ----------------------------------------------
    def accepted_links(self, links: pd.DataFrame) -> pa.Table:
        """``links`` (pseudonym pairs with ``basis``) with their scores, sorted by pair (see
        :func:`gbo.link.stage.accepted_links`)."""
        accepted = pa.table(
            {
                "record_pid_l": pa.array(links["unique_id_l"].to_numpy(dtype=object), pa.string()),
                "record_pid_r": pa.array(links["unique_id_r"].to_numpy(dtype=object), pa.string()),
                "basis": pa.array(links["basis"].to_numpy(dtype=object), pa.string()),
            }
        )
        self.con.register("accepted", accepted)
        try:
            return _arrow(
                self.con.sql(
                    "select a.record_pid_l, a.record_pid_r, a.basis, p.match_weight, "
                    "p.match_probability from accepted a left join link_pair p "
                    "using (record_pid_l, record_pid_r) order by record_pid_l, record_pid_r"
                )
            )
        finally:
            self.con.unregister("accepted")

    def review_candidates(
        self, low: float, high: float, flagged: Iterable[pd.DataFrame | None]
    ) -> pd.DataFrame:
        """The rows of ``link_pair`` the review queue can take: probability in ``[low,
        high)``, or the pair (``unique_id_l``/``unique_id_r``) is in one of ``flagged``;
        in ``link_pair``'s order, as :func:`gbo.link.review.build_review_queue` reads them."""
        frames = [
            f[["unique_id_l", "unique_id_r"]] for f in flagged if f is not None and not f.empty
        ]
        both = pd.concat(frames, ignore_index=True) if frames else None
        pairs = pa.table(
            {
                name: pa.array(
                    [] if both is None else both[name].to_numpy(dtype=object), pa.string()
                )
                for name in ("unique_id_l", "unique_id_r")
            }
        )
        self.con.register("flagged", pairs)
        try:
            table = _arrow(
                self.con.sql(
                    "select * from link_pair p where (match_probability >= $low and "
                    "match_probability < $high) or exists (select 1 from flagged f where "
                    "f.unique_id_l = p.record_pid_l and f.unique_id_r = p.record_pid_r) "
                    "order by record_pid_l, record_pid_r",
                    params={"low": low, "high": high},
                )
            )
        finally:
            self.con.unregister("flagged")
        frame: pd.DataFrame = table.to_pandas()
        return frame

    def near_miss_records(self, grey_min: float) -> pd.Series:
        """Records in a pair at or above ``grey_min`` that was not linked (the bias audit's
        near misses)."""
        table = _arrow(
            self.con.sql(
                "select record_pid_l as pid from link_pair where match_probability >= $g "
                "and not is_linked union select record_pid_r from link_pair "
                "where match_probability >= $g and not is_linked",
                params={"g": grey_min},
            )
        )
        return pd.Series(table.column("pid").to_numpy(zero_copy_only=False), dtype=object)

    def agency_pairs(self, grey_min: float) -> pd.DataFrame:
        """Scored pairs, links and near misses between each pair of agencies (the bias
        audit's ``agency_pair (scored pairs)`` rows, before the shares)."""
        table = _arrow(
            self.con.sql(
                "select least(agency_l, agency_r) || ' - ' || greatest(agency_l, agency_r) "
                'as "group", count(*) as n_records, sum(is_linked::bigint)::bigint as n_linked, '
                "sum((match_probability >= $g and not is_linked)::bigint)::bigint as n_near_miss "
                'from link_pair group by all having "group" is not null order by "group"',
                params={"g": grey_min},
            )
        )
        counts: pd.DataFrame = table.to_pandas()
        return counts
