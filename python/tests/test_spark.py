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


# The whole run: every file `topictide run` writes, but for the timings (run.json's stages and
# total, the stage timings chart).
UNTIMED = {"stage_timings.svg"}


def folder(out: Path) -> dict:
    import json

    files = {}
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if path.is_dir() or path.name in UNTIMED or name.startswith(".topictide"):
            continue
        data = path.read_bytes()
        if name == "run.json":
            info = json.loads(data)
            del info["stages"], info["total_seconds"]
            data = json.dumps(info, sort_keys=True).encode()
        files[name] = data
    return files


def same_folder(got: Path, want: Path) -> None:
    got, want = folder(got), folder(want)
    assert sorted(got) == sorted(want)
    assert sum(n.startswith("tables/") and n.endswith(".parquet") for n in want) > 10
    assert sum(n.startswith("tables/") and n.endswith(".csv") for n in want) > 10
    differ = [n for n in want if got[n] != want[n]]
    assert not differ, differ


def in_order(session, table_file: Path, partitions: int):
    """The table as a DataFrame of ``partitions`` partitions that hold its rows in order, as
    ``parallelize`` slices a list (with more partitions than rows, some are empty)."""
    import pyarrow.parquet as pq

    df = session.read.parquet(str(table_file))
    rows = pq.read_table(table_file).to_pylist()
    rdd = session.sparkContext.parallelize([tuple(r.values()) for r in rows], partitions)
    return session.createDataFrame(rdd, df.schema)


@pytest.fixture(scope="module")
def seeds_file(tmp_path_factory) -> tuple:
    """The seeds as a Parquet table in id order, and the command's run of it."""
    import pyarrow.parquet as pq

    folder_ = tmp_path_factory.mktemp("seeds-file")
    path = folder_ / "seeds.parquet"
    pq.write_table(seeds_table().sort_by("id"), path)
    cli_run(path, folder_ / "cli", "--config", str(SEEDS / "topictide.toml"))
    return path, folder_ / "cli"


@pytest.mark.parametrize("partitions", [1, 3, 7])
def test_the_whole_run_on_spark_is_the_command_lines(session, seeds_file, partitions, tmp_path):
    path, cli = seeds_file
    df = in_order(session, path, partitions)
    assert df.rdd.getNumPartitions() == partitions
    r = tspark.run(df, tmp_path / "out", name=str(path), config=SEEDS / "topictide.toml")
    assert r.report.is_file() and r.info["figures"]["documents"] == 5
    same_folder(tmp_path / "out", cli)


UNGD = Path(__file__).resolve().parents[3] / "shared/corpora/ungd.jsonl.gz"


@pytest.fixture(scope="module")
def ungd_slice(tmp_path_factory) -> tuple:
    """The first 20 MB of UNGD's texts (../shared; CI always has it) as a Parquet table in id
    order, and the command's run of it."""
    import gzip
    import json

    import pyarrow.parquet as pq

    if not UNGD.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{UNGD} is missing: CI runs beside ../shared")
        pytest.skip(f"{UNGD} is missing (../shared is not beside the project)")
    rows, size = [], 0
    with gzip.open(UNGD, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            rows.append({k: d[k] for k in ("id", "year", "label", "title", "text")})
            size += len(d["text"].encode())
            if size >= 20_000_000:
                break
    folder_ = tmp_path_factory.mktemp("ungd")
    path = folder_ / "ungd-20mb.parquet"
    pq.write_table(pa.Table.from_pylist(rows).sort_by("id"), path)
    cli_run(path, folder_ / "cli")
    return path, folder_ / "cli"


@pytest.mark.parametrize("partitions", [1, 3, 7])
def test_a_20_mb_slice_of_ungd_on_spark_is_the_command_lines(session, ungd_slice, partitions, tmp_path):
    path, cli = ungd_slice
    r = tspark.run(in_order(session, path, partitions), tmp_path / "out", name=str(path))
    assert r.info["figures"]["documents"] > 800
    same_folder(tmp_path / "out", cli)


def test_a_retried_pass_counts_nothing_twice(session, seeds_file, tmp_path, monkeypatch):
    # Partition 1 is counted and answers every pass (learning's and the later ones), but the
    # first attempt of each dies before Spark takes what it gave; Spark runs it again,
    # perhaps on another worker.
    path, cli = seeds_file
    failed = tmp_path / "failed"
    failed.mkdir()

    def failing_once(make):
        def wrapped(*args):
            work = make(*args)

            def run(partition, rows):
                from pyspark import TaskContext

                context = TaskContext.get()
                out = list(work(partition, rows))
                if partition == 1 and context.attemptNumber() == 0:
                    (failed / str(context.stageId())).touch()
                    raise RuntimeError("a worker lost after answering")
                yield from out

            return run

        return wrapped

    monkeypatch.setattr(tspark, "_over_tasks", failing_once(tspark._over_tasks))
    tspark.run(in_order(session, path, 3), tmp_path / "out", name=str(path),
               config=SEEDS / "topictide.toml")
    assert len(list(failed.iterdir())) > 15
    same_folder(tmp_path / "out", cli)


def test_answers_merged_on_the_driver_as_they_come_give_the_same_run(
    session, seeds_file, tmp_path, monkeypatch
):
    # The driver merges a pass' answers once _ADDED_AT_ONCE have come (many partitions, many
    # workers); at 2, every pass' answers are merged there, in Rust, before the report reads
    # them: learning's summaries, the partial counts and every later pass' answers.
    path, cli = seeds_file
    added, merged = tspark._added, []
    monkeypatch.setattr(tspark, "_ADDED_AT_ONCE", 2)
    monkeypatch.setattr(
        tspark, "_added", lambda answers, merge: merged.append(len(answers)) or added(answers, merge)
    )
    tspark.run(in_order(session, path, 3), tmp_path / "out", name=str(path),
               config=SEEDS / "topictide.toml")
    assert len([n for n in merged if n >= 2]) > 15
    same_folder(tmp_path / "out", cli)


def test_a_bad_row_stops_the_whole_run_before_it_writes(session, tmp_path):
    table = seeds_table()
    bad = table.set_column(1, "date", pa.array(["2016", "2017", "someday", "2019", "2020"]))
    df = session.createDataFrame(bad).repartition(2)
    with pytest.raises(topictide.InputError, match="not a date") as e:
        tspark.run(df, tmp_path / "out", config=SEEDS / "topictide.toml")
    assert (e.value.kind, e.value.exit_code, e.value.column) == ("input", 3, "date")
    assert e.value.line is not None and e.value.hint
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("partitions", [1, 3])
def test_a_bad_row_is_named_as_in_the_whole_table(session, tmp_path, partitions):
    # The fourth row's date is bad: in 3 partitions, the first row of the third (rows 4-5).
    import pyarrow.parquet as pq

    bad = seeds_table().set_column(1, "date", pa.array(["2016", "2017", "2018", "someday", "2020"]))
    path = tmp_path / "bad.parquet"
    pq.write_table(bad, path)
    with pytest.raises(topictide.InputError) as whole:
        topictide.run(bad, tmp_path / "whole", name="bad.parquet", config=SEEDS / "topictide.toml")
    with pytest.raises(topictide.InputError) as e:
        tspark.run(in_order(session, path, partitions), tmp_path / "out", name="bad.parquet",
                   config=SEEDS / "topictide.toml")
    assert (e.value.file, e.value.line, e.value.column) == (whole.value.file, whole.value.line, "date")
    assert str(e.value) == str(whole.value)
    assert not (tmp_path / "out").exists()


def test_a_zip_on_the_workers_path_is_read_again_only_when_it_changed(tmp_path, monkeypatch):
    # PySpark's worker calls importlib.invalidate_caches() before every task; before Python
    # 3.12 that reads every zip archive's directory again (pyspark.zip's: 94 ms a task).
    import importlib
    import zipfile
    import zipimport

    if sys.version_info >= (3, 12):
        assert not hasattr(zipimport.zipimporter, "_steady")  # 3.12 reads lazily itself
        return
    archive = tmp_path / "modules.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("zipped_first.py", "WHO = 'first'\n")
    monkeypatch.syspath_prepend(str(archive))
    import zipped_first

    assert zipped_first.WHO == "first"
    reads = []
    read = zipimport._read_directory
    monkeypatch.setattr(zipimport, "_read_directory", lambda path: reads.append(path) or read(path))
    tspark._steady_zip_imports()
    importlib.invalidate_caches()
    first = len(reads)  # each archive once, as it is first seen
    importlib.invalidate_caches()
    importlib.invalidate_caches()
    assert len(reads) == first

    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("zipped_second.py", "WHO = 'second'\n")
    os.utime(archive, ns=(archive.stat().st_atime_ns, archive.stat().st_mtime_ns + 10**9))
    importlib.invalidate_caches()
    assert reads.count(str(archive)) >= 1 and len(reads) > first
    import zipped_second

    assert zipped_second.WHO == "second"
