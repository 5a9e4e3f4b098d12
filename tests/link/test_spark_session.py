"""The Spark session's settings: what gbo passes to Spark before it starts."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from gbo.errors import LinkageError
from gbo.link import spark_session
from gbo.link.spark_settings import SparkSettings

needs_pyspark = pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None, reason="needs pyspark"
)


@needs_pyspark
def test_the_config_carries_the_bundled_jar_and_the_declared_sizes() -> None:
    settings = SparkSettings(
        master="spark://cluster:7077",
        shuffle_partitions=24,
        executor_memory="8g",
        extra_config={"spark.io.encryption.enabled": "true"},
    )
    config = spark_session.spark_config(settings)
    jar = Path(config["spark.jars"])
    assert jar.is_file() and jar.name.startswith("scala-udf-similarity")
    assert config["spark.master"] == "spark://cluster:7077"
    assert config["spark.sql.shuffle.partitions"] == "24"
    assert config["spark.executor.memory"] == "8g"
    assert config["spark.ui.enabled"] == "false"
    assert config["spark.io.encryption.enabled"] == "true"


def test_without_java_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spark_session, "spark_available", lambda: True)
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(LinkageError, match="no Java runtime") as caught:
        spark_session.spark_session(SparkSettings())
    assert "openjdk-17-jre-headless" in (caught.value.hint or "")


def test_without_pyspark_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spark_session, "spark_available", lambda: False)
    with pytest.raises(LinkageError, match="pyspark is not installed") as caught:
        spark_session.spark_session(SparkSettings())
    assert "gbo[spark]" in (caught.value.hint or "")


def test_a_checkpoint_uri_on_cluster_storage_is_kept_as_written() -> None:
    # Read as a file path, "hdfs://namenode/gbo" would lose a slash and name a local folder.
    settings = SparkSettings.model_validate({"checkpoint_dir": "hdfs://namenode/gbo/checkpoints"})
    assert settings.checkpoint_dir == "hdfs://namenode/gbo/checkpoints"
