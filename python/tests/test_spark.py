"""topictide on Spark, with the real engine (local[2], pyspark and a Java runtime that
scripts/python-package installs): the counting tables through mapInArrow are the command's,
byte for byte, for any number of partitions, and a retried task counts nothing twice."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from pyspark.sql import SparkSession

import topictide
from topictide import spark as tspark

from test_api import SEEDS, cli_run, csv_tables, seeds_table

COUNTING = ["terms", "variants", "phrases", "periods", "terms_by_period"]


@pytest.fixture(scope="module")
def session():
    # Workers run this interpreter (the environment the package is installed in). Every
    # address is loopback. local[2,3]: two cores, a task tried up to three times.
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master("local[2,3]")
        .appName("topictide-tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("cli") / "seeds"
    cli_run(SEEDS, out)
    return csv_tables(out)


def counted(out: Path) -> dict:
    return {n: (out / "tables" / f"{n}.csv").read_bytes() for n in COUNTING}


@pytest.mark.parametrize("partitions", [1, 3, 7])
def test_spark_gives_the_command_lines_counting_tables(session, whole, partitions, tmp_path):
    df = session.createDataFrame(seeds_table()).repartition(partitions)
    assert df.rdd.getNumPartitions() == partitions
    tables = tspark.count_tables(df, tmp_path / "out", config=SEEDS / "topictide.toml")
    assert sorted(tables) == sorted(COUNTING)
    assert counted(tmp_path / "out") == {n: whole[f"{n}.csv"] for n in COUNTING}


@pytest.mark.parametrize("partitions", [1, 3, 7])
def test_spark_learns_the_state_the_command_learns(session, partitions):
    # Partitions in corpus order (by id, which follows the manifest): the state is the one
    # learnt from the whole table, byte for byte; seven partitions leave some empty.
    config = SEEDS / "topictide.toml"
    df = (
        session.createDataFrame(seeds_table())
        .repartitionByRange(partitions, "id")
        .sortWithinPartitions("id")
    )
    assert tspark.learn(df, config=config) == topictide.learn(seeds_table(), config=config)


def test_a_retried_task_counts_nothing_twice(session, whole, tmp_path):
    df = session.createDataFrame(seeds_table()).repartition(3)
    state = tspark.learn(df, config=SEEDS / "topictide.toml")
    digest = topictide.State(state).digest
    broadcast = session.sparkContext.broadcast(state)
    count = tspark.count_batches(broadcast, digest)
    failed = tmp_path / "failed-once"

    def fails_once(batches):
        from pyspark import TaskContext

        context = TaskContext.get()
        out = list(count(batches))
        # The partition was counted; its first attempt dies before Spark takes the result.
        if context.partitionId() == 1 and context.attemptNumber() == 0:
            failed.touch()
            raise RuntimeError("a worker lost after counting")
        yield from out

    partials = df.select("id", "date", "text").mapInArrow(fails_once, tspark.PARTIALS_DDL)
    rows = partials.collect()
    assert len(rows) == 3 and failed.exists() and all(r.error is None for r in rows)
    tables = topictide.tables(state, tspark.merge(partials), tmp_path / "out")
    assert counted(tmp_path / "out") == {n: whole[f"{n}.csv"] for n in COUNTING}
    # Had a retry's partial been kept beside the first, the fingerprints would refuse it.
    doubled = topictide.merge([bytes(r.partial) for r in rows] + [bytes(rows[1].partial)])
    with pytest.raises(topictide.InputError, match="each once"):
        topictide.tables(state, doubled, tmp_path / "doubled")


def test_a_dataframe_without_ids_is_refused(session, tmp_path):
    df = session.createDataFrame(seeds_table().drop_columns(["id"]))
    with pytest.raises(topictide.InputError, match="no column id") as e:
        tspark.count_tables(df, tmp_path / "out")
    assert e.value.column == "id"


def test_a_bad_row_stops_the_run_with_its_column_before_any_counting(session, tmp_path):
    table = seeds_table()
    bad = table.set_column(4, "text", pa.array(table["text"].to_pylist()[:3] + [None] + table["text"].to_pylist()[4:]))
    df = session.createDataFrame(bad).repartition(2)
    with pytest.raises(topictide.InputError, match="empty or null") as e:
        tspark.count_tables(df, tmp_path / "out")
    assert (e.value.column, e.value.exit_code) == ("text", 3) and e.value.line is not None
    assert not (tmp_path / "out" / "tables").exists()


def test_a_bad_row_in_a_partition_counted_with_a_given_state_is_the_packages_error(session, tmp_path):
    table = seeds_table()
    state = topictide.learn(table, config=SEEDS / "topictide.toml")
    bad = table.set_column(1, "date", pa.array(["2016", "2017", "someday", "2019", "2020"]))
    df = session.createDataFrame(bad).repartition(1)
    with pytest.raises(topictide.InputError, match="not a date") as e:
        tspark.count_tables(df, tmp_path / "out", state=state)
    assert (e.value.kind, e.value.exit_code, e.value.column) == ("input", 3, "date")
    assert e.value.file == "partition 0" and e.value.line is not None and e.value.hint
    assert not (tmp_path / "out" / "tables").exists()
