"""Splink's Spark backend, with the tables gbo hands it staged as Parquet.

Splink registers a pyarrow table or pandas frame with ``spark.createDataFrame``. Below
``spark.sql.execution.arrow.localRelationThreshold`` (48 MB by default, about 100,000
identity records) Spark keeps such a table *inside the query plan* as a ``LocalRelation``:
the rows live on the driver, every query that reads them carries them in its plan and
ships them to its tasks again, and the optimiser's ``ConvertToLocalRelation`` rule
evaluates projections over them row by row, interpreted, on the driver. At 250 records
that is invisible; at 100,000 the linkage failed after twelve minutes inside that rule.

So gbo never lets a table from Python become part of a plan. :class:`StagedSparkAPI`
writes each one once, with Spark, as Parquet under the session's checkpoint folder (the
private folder of :mod:`gbo.link.spark_session`, or ``link.spark.checkpoint_dir`` on a
cluster's shared storage), and registers the Parquet scan in its place. Every query then
plans a file scan that the executors read in parallel, exactly as they read Splink's own
intermediate tables (``break_lineage = "parquet"``). Splink's own small tables (counts
built during training, a few dozen rows) go through Arrow rather than Splink's default for
Python lists, which would start Python workers to read them (on a cluster: on every
executor).

Spark's temporary views belong to the session, which lives as long as the process, while
each linkage registers its records under the same name. One linkage runs at a time, so a
new :class:`StagedSparkAPI` first drops the views an earlier one staged.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

import pandas as pd
import pyarrow as pa
from splink import SparkAPI

from gbo.link.spark_session import session_checkpoint_folder

STAGING_FOLDER = "gbo-staged"


class StagedSparkAPI(SparkAPI):
    """:class:`splink.SparkAPI` that stages gbo's own tables as Parquet before use."""

    _staged_views: ClassVar[set[str]] = set()  # views staged in this process's session

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        for name in sorted(StagedSparkAPI._staged_views):
            self.spark.catalog.dropTempView(name)
        StagedSparkAPI._staged_views.clear()

    def _table_registration(self, input: Any, table_name: str) -> None:  # noqa: A002
        if isinstance(input, pd.DataFrame):
            input = pa.Table.from_pandas(input, preserve_index=False)  # noqa: A001
        if isinstance(input, pa.Table):
            self.stage(input, table_name).createOrReplaceTempView(table_name)
            StagedSparkAPI._staged_views.add(table_name)
            return
        small = _small_table(input)
        if small is None:
            super()._table_registration(input, table_name)
            return
        # Splink's own counts, a few dozen rows: through Arrow, so that Spark needs no
        # Python worker to read them (on a cluster, none on the executors).
        self.spark.createDataFrame(small).createOrReplaceTempView(table_name)

    def stage(self, table: pa.Table, name: str) -> Any:
        """``table`` written once as Parquet under the checkpoint folder, read back lazily."""
        path = f"{session_checkpoint_folder(self.spark)}/{STAGING_FOLDER}/{name}-{uuid.uuid4().hex}"
        partitions = max(1, min(self.num_partitions_on_repartition, table.num_rows // 50_000))
        frame = self.spark.createDataFrame(table)
        frame.repartition(partitions).write.mode("overwrite").parquet(path)
        return self.spark.read.parquet(path)


def _small_table(rows: Any) -> pa.Table | None:
    """Splink's own small tables (records as dicts, or columns) as Arrow; None when they
    are something else, or empty, or hold a column of nulls only (no Spark type)."""
    if isinstance(rows, dict):
        table = pa.Table.from_pydict(rows)
    elif isinstance(rows, list | tuple) and rows and all(isinstance(r, dict) for r in rows):
        table = pa.Table.from_pylist(list(rows))
    else:
        return None
    if table.num_rows == 0 or any(pa.types.is_null(f.type) for f in table.schema):
        return None
    return table
