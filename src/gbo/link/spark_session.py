"""Starting (or reusing) the Spark session Splink's Spark backend runs on.

Everything Splink needs is set before the session starts, because Spark reads it only then:

* the similarity functions (Jaro-Winkler and others) come from the jar bundled in the
  Splink wheel, passed through ``spark.jars``: nothing is downloaded;
* ``spark.sql.shuffle.partitions`` from ``[link.spark]`` (Spark's default of 200 suits a
  cluster, not one machine);
* ``PYSPARK_PYTHON`` is this interpreter, so Python workers import the same packages;
* ``hamming(a, b)``, the number of places at which two strings differ, is defined as a SQL
  function of the session, so the comparisons count keystrokes exactly as on DuckDB
  (Levenshtein would also count a shifted string as close);
* the checkpoint folder where gbo stages the records (:mod:`gbo.link.spark_api`) and Splink
  writes its intermediate tables. They hold the compared identifiers, so by default it is a
  private temporary folder (mode 0700) removed when the process exits. In a folder given
  as ``link.spark.checkpoint_dir`` (shared cluster storage), Spark makes a subfolder of its
  own for the session; gbo deletes that subfolder, through Spark's file system layer, when
  the process exits.

Spark keeps one session per process: a session started elsewhere with other settings is
reused as it is (Spark's rule), and :func:`spark_session` says so in the log.
"""

from __future__ import annotations

import atexit
import importlib.util
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from gbo.errors import LinkageError
from gbo.link.spark_settings import SparkSettings

log = logging.getLogger(__name__)

# DuckDB's hamming: differing characters at the same places (strings of equal length).
HAMMING_SQL = (
    "CREATE OR REPLACE TEMPORARY FUNCTION hamming(a STRING, b STRING) RETURNS INT RETURN "
    "size(filter(zip_with(split(a, ''), split(b, ''), (x, y) -> x <> y), d -> d))"
)


def spark_available() -> bool:
    return importlib.util.find_spec("pyspark") is not None


def _require_pyspark() -> None:
    if not spark_available():
        raise LinkageError(
            "link.backend is 'spark' but pyspark is not installed",
            hint="install gbo with the spark extra (pip install 'gbo[spark]') and a Java 17 "
            "runtime, or set link.backend = 'duckdb'",
        )
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise LinkageError(
            "link.backend is 'spark' but no Java runtime was found",
            hint="install Java 17 (Debian: openjdk-17-jre-headless) or set JAVA_HOME",
        )


def similarity_jar() -> str:
    """The path of the similarity-function jar inside the installed Splink wheel."""
    from splink.backends.spark import similarity_jar_location

    path = str(similarity_jar_location())
    if not Path(path).is_file():
        raise LinkageError(
            f"Splink's similarity jar is missing at {path}",
            hint="reinstall splink; the jar is part of its wheel",
        )
    return path


def _private_checkpoint_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="gbo-spark-checkpoints-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def session_checkpoint_folder(spark: Any) -> str:
    """The session's checkpoint folder, as Spark names it (a URI such as ``file:/...``)."""
    folder = spark.sparkContext._jsc.sc().getCheckpointDir()
    if folder.isEmpty():
        raise LinkageError(
            "the Spark session has no checkpoint folder",
            hint="start the session with gbo.link.spark_session.spark_session",
        )
    return str(folder.get())


def delete_folder(spark: Any, uri: str) -> bool:
    """Delete ``uri`` and everything in it, on whatever storage Spark reaches it (a local
    or shared folder, HDFS, an object store). False when there was nothing to delete."""
    try:
        path = spark._jvm.org.apache.hadoop.fs.Path(uri)
        return bool(path.getFileSystem(spark._jsc.hadoopConfiguration()).delete(path, True))
    except Exception as exc:  # py4j errors are plain exceptions; the JVM may have gone
        log.warning("could not delete the Spark checkpoint folder %s: %s", uri, exc)
        return False


def spark_config(settings: SparkSettings) -> dict[str, str]:
    """Every Spark setting gbo passes to the session builder."""
    config = {
        "spark.master": settings.master,
        "spark.app.name": "gbo-link",
        "spark.jars": similarity_jar(),
        "spark.driver.memory": settings.driver_memory,
        "spark.sql.shuffle.partitions": str(settings.shuffle_partitions),
        "spark.default.parallelism": str(settings.shuffle_partitions),
        "spark.sql.session.timeZone": "UTC",
        # No web UI: nothing listens on a port, and nothing about the data is shown there.
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
    }
    if settings.executor_memory:
        config["spark.executor.memory"] = settings.executor_memory
    config.update(settings.extra_config)
    return config


def spark_session(settings: SparkSettings) -> Any:
    """A Spark session configured for Splink, with its checkpoint folder set."""
    _require_pyspark()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    if SparkSession.getActiveSession() is not None:
        log.info("reusing the Spark session already running in this process")
    builder = SparkSession.builder
    for key, value in spark_config(settings).items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # py4j/JVM start-up failures are plain exceptions
        raise LinkageError(
            f"Spark could not start ({settings.master}): {exc}",
            hint="check link.spark.master, the Java runtime and link.spark.driver_memory",
        ) from exc
    if settings.checkpoint_dir:
        spark.sparkContext.setCheckpointDir(settings.checkpoint_dir)
        atexit.register(delete_folder, spark, session_checkpoint_folder(spark))
    else:
        spark.sparkContext.setCheckpointDir(str(_private_checkpoint_dir()))
    spark.sparkContext.setLogLevel("ERROR")
    spark.sql(HAMMING_SQL)
    return spark
