"""The whole run on Spark against the command line, on one machine (benches/spark).

Times, side by side and alternated, median of --runs:
- `topictide run` on the corpus (UNGD as Parquet);
- `topictide.spark.run` on Spark local[2] with --partitions partitions in corpus order (the
  state learnt in passes, each partition stored once, counted, and answering every later pass
  from what its Python worker read), in a Spark session started once. The DataFrame is the
  Parquet file as `spark.read.parquet` splits it: the file is written in row groups of 128
  rows, and `spark.sql.files.maxPartitionBytes` cuts it into --partitions splits of its bytes,
  which Spark reads in file order. (Until 2026-12-06 the bench shuffled the rows into ranges
  with `repartitionByRange` instead: some 2 s more for Spark, in every run, and partitions
  whose texts weighed 35 to 63 MB, drawn anew each run.)
Checks that every table Spark writes is the command's, byte for byte (CSV and Parquet), and
prints each pass of the last Spark run: its seconds and the bytes that came back to the driver.
"""

import argparse
import filecmp
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
# Rows per Parquet row group: Spark splits a file between row groups.
ROW_GROUP = 128


def corpus_parquet(source: Path, work: Path) -> Path:
    out = work / (source.name.split(".")[0] + ".rows-128.parquet")
    if not out.exists():
        ids, years, texts = [], [], []
        with gzip.open(source, "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                ids.append(d["id"])
                years.append(d.get("year") or int(str(d["date"])[:4]))
                texts.append(d["text"])
        table = pa.table({"id": ids, "year": years, "text": texts})
        pq.write_table(table, out, row_group_size=ROW_GROUP)
    return out


def timed(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def alternated(runs: dict, times: int) -> dict:
    """Each of ``runs`` (name → function) timed ``times`` times, alternated: name → seconds."""
    seconds: dict = {name: [] for name in runs}
    for r in range(times):
        for name, f in runs.items():
            seconds[name].append(timed(f))
            print(f"run {r + 1}: {name} {seconds[name][-1]:.1f} s", flush=True)
    return seconds


def compared(times: dict, corpus: tuple, work: Path, name: str, passes: list) -> None:
    """Prints the medians and their ratio (the engine's run second in ``times``), whether every
    table the engine wrote (into ``work``/name in lower case) is the command's (``work``/run),
    byte for byte, and the engine's last run, pass by pass (name, seconds, bytes back to the
    driver). ``corpus``: the source, its Parquet file, and how the engine split it."""
    source, parquet, split = corpus
    command, engine = work / "run", work / name.lower()
    tables = filecmp.dircmp(command / "tables", engine / "tables")
    same = not (tables.diff_files or tables.left_only or tables.right_only)
    count = len(list((command / "tables").iterdir()))
    runs = len(next(iter(times.values())))
    print(f"\n{Path(source).name.split('.')[0]} as Parquet ({parquet.stat().st_size / 1e6:.0f} "
          f"MB), {split}, median of {runs}, alternated:")
    print("| what | median (s) | runs (s) |\n|---|---|---|")
    for what, ts in times.items():
        print(f"| {what} | {statistics.median(ts):.1f} | {', '.join(f'{t:.1f}' for t in ts)} |")
    plain, other = (statistics.median(ts) for ts in times.values())
    print(f"\n{' / '.join(reversed(list(times)))}: {other / plain:.2f}")
    print(f"{name}'s {count} table files are topictide run's, byte for byte: {same}")
    print(f"\nthe last {name} run, pass by pass:")
    print("| pass | seconds | bytes back to the driver |\n|---|---|---|")
    for what, s, size in passes:
        print(f"| {what} | {s:.2f} | {size:,} |")


def arguments(split: str) -> tuple:
    """The options of a bench (--corpus, --runs, --bin, and --``split``: how many pieces the
    engine reads the corpus in), its folder under target/ and the corpus as Parquet."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/corpora/ungd.jsonl.gz"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(f"--{split}", type=int, default=4)
    ap.add_argument("--bin", default=str(ROOT / "target/release/topictide"))
    a = ap.parse_args()
    work = ROOT / f"target/{Path(sys.argv[0]).stem.split('_')[0]}-bench"
    work.mkdir(parents=True, exist_ok=True)
    return a, work, corpus_parquet(Path(a.corpus), ROOT / "target/spark-bench")


def main():
    a, work, corpus = arguments("partitions")
    n = a.partitions

    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    from topictide import spark as tspark

    started = time.perf_counter()
    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "8g")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    print(f"Spark session started in {time.perf_counter() - started:.1f} s")

    def run():
        subprocess.run([a.bin, "run", "--corpus", str(corpus), "--out", str(work / "run"),
                        "--quiet"], check=True, stdout=subprocess.DEVNULL)

    passes: list = []

    # n splits of the file's bytes, in file order (partition 0 first): Spark sorts a scan's
    # splits by size, and a file's are all one size but the last.
    session.conf.set("spark.sql.files.maxPartitionBytes", str(corpus.stat().st_size // n + 1))
    split = session.read.parquet(str(corpus)).rdd.getNumPartitions()
    if split != n:
        sys.exit(f"Spark splits {corpus} into {split} partitions, not {n}")

    def on_spark():
        df = session.read.parquet(str(corpus))
        passes.clear()
        tspark.run(df, work / "spark", name=str(corpus),
                   on_pass=lambda name, s, size: passes.append((name, s, size)))

    times = alternated({"topictide run": run, "spark.run": on_spark}, a.runs)
    compared(times, (a.corpus, corpus, f"{n} partitions"), work, "Spark", passes)
    session.stop()


if __name__ == "__main__":
    main()
