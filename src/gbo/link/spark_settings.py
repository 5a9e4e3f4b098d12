"""Settings of the Spark backend of the link stage (``[link.spark]``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gbo.settings_base import Settings


class SparkSettings(Settings):
    """Where Spark runs and how big it is; read only when ``link.backend = "spark"``."""

    master: str = Field(
        "local[*]",
        description="Spark master: local[*] (every core of this machine), local[N], or a "
        "cluster URL such as spark://host:7077.",
    )
    driver_memory: str = Field(
        "4g",
        description="Memory of the Spark driver's JVM, e.g. '2g'. With a local master the "
        "driver also runs every task, so this is all the memory Spark has.",
    )
    executor_memory: str | None = Field(
        None, description="Memory of each executor on a cluster (None: Spark's default)."
    )
    shuffle_partitions: int = Field(
        8,
        ge=1,
        description="spark.sql.shuffle.partitions: about two to four per core of the cluster. "
        "Spark's default of 200 makes a run on one machine several times slower.",
    )
    checkpoint_dir: str | None = Field(
        None,
        description="Folder for the records gbo stages for Spark as Parquet and for "
        "Splink's intermediate tables (both hold identifiers). None: a private temporary "
        "folder, removed when gbo exits. On a cluster: a folder on the cluster's protected "
        "shared storage that every executor can read, as Spark names it: a path on a shared "
        "mount, or a URI such as hdfs://namenode/gbo/checkpoints.",
    )
    break_lineage: Literal["parquet", "persist", "checkpoint"] = Field(
        "parquet",
        description="How Splink cuts Spark's lineage between steps: parquet (write each "
        "intermediate table to checkpoint_dir and read it back; Splink's default, suits "
        "large data), persist (keep it in executor memory; quicker for small data on one "
        "machine) or checkpoint (Spark's own checkpoints in checkpoint_dir).",
    )
    extra_config: dict[str, str] = Field(
        default_factory=dict,
        description="Further Spark settings passed as they are (e.g. spark.executor.cores).",
    )
