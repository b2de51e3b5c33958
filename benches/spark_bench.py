"""Counting in shards on Spark against the command line, on one machine (benches/spark).

Times, side by side and alternated, median of --runs:
- `topictide run` on the corpus (the whole pipeline, for scale);
- `topictide learn`, `count --shard i/n` for each shard in turn, and `merge` (the counting
  tables on one machine, from the shell);
- `topictide.spark.count_tables` on Spark local[2] with --partitions partitions (learn in
  passes, count by mapInArrow, merge by treeReduce), in a Spark session started once.
Checks that the Spark tables are the command's, byte for byte, and that learning in passes over
partitions in corpus order gives the command's state; prints what travels: each pass' summed
summary, the state's size and each partition's partial.
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
COUNTING = ["terms", "variants", "phrases", "periods", "terms_by_period"]


def corpus_parquet(source: Path, work: Path) -> Path:
    out = work / (source.name.split(".")[0] + ".parquet")
    if not out.exists():
        ids, years, texts = [], [], []
        with gzip.open(source, "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                ids.append(d["id"])
                years.append(d.get("year") or int(str(d["date"])[:4]))
                texts.append(d["text"])
        pq.write_table(pa.table({"id": ids, "year": years, "text": texts}), out)
    return out


def timed(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/corpora/ungd.jsonl.gz"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--bin", default=str(ROOT / "target/release/topictide"))
    a = ap.parse_args()
    work = ROOT / "target/spark-bench"
    work.mkdir(parents=True, exist_ok=True)
    corpus = corpus_parquet(Path(a.corpus), work)
    n = a.partitions

    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    import topictide
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

    def cli(*args):
        subprocess.run([a.bin, *args], check=True, stdout=subprocess.DEVNULL)

    def run():
        cli("run", "--corpus", str(corpus), "--out", str(work / "run"), "--quiet")

    def shell():
        cli("learn", "--corpus", str(corpus), "--state", str(work / "state.json"))
        for i in range(n):
            cli("count", "--corpus", str(corpus), "--state", str(work / "state.json"),
                "--shard", f"{i}/{n}", "--out", str(work / f"part-{i}.parquet"))
        cli("merge", "--state", str(work / "state.json"),
            *[str(work / f"part-{i}.parquet") for i in range(n)], "--out", str(work / "merged"))

    def on_spark():
        df = session.read.parquet(str(corpus)).repartition(n)
        tspark.count_tables(df, work / "spark", date="date")

    times = {"run": [], "learn + count + merge": [], "spark.count_tables": []}
    for r in range(a.runs):
        for name, f in zip(times, (run, shell, on_spark)):
            times[name].append(timed(f))
            print(f"run {r + 1}: {name} {times[name][-1]:.1f} s", flush=True)

    same = all(
        (work / "spark/tables" / f"{t}.csv").read_bytes()
        == (work / "run/tables" / f"{t}.csv").read_bytes()
        for t in COUNTING
    )
    print(f"\nUNGD as Parquet ({corpus.stat().st_size / 1e6:.0f} MB), {n} shards/partitions, "
          f"median of {a.runs}, alternated:")
    print("| what | median (s) | runs (s) |\n|---|---|---|")
    for name, ts in times.items():
        print(f"| {name} | {statistics.median(ts):.1f} | {', '.join(f'{t:.1f}' for t in ts)} |")
    print(f"\nSpark's counting tables are topictide run's, byte for byte: {same}")

    # Learning in passes over partitions in corpus order gives the command's state.
    from pyspark.sql import functions as F

    df = (
        session.read.parquet(str(corpus))
        .withColumn("row", F.monotonically_increasing_id())
        .repartitionByRange(n, "row")
        .sortWithinPartitions("row")
    )
    print("\nlearning in passes (partitions in corpus order):")
    print("| pass | seconds | summed summary (MB) |\n|---|---|---|")
    state = tspark.learn(
        df,
        on_pass=lambda name, s, size: print(f"| {name} | {s:.1f} | {size / 1e6:.2f} |", flush=True),
    )
    print(f"the state is `topictide learn`'s, byte for byte: "
          f"{state == (work / 'state.json').read_bytes()}")
    partials = [bytes(r.partial) for r in tspark.partials(df, state).collect()]
    print(f"state: {len(state) / 1e6:.1f} MB of JSON, broadcast once per executor")
    print("partials: " + ", ".join(f"{len(p) / 1e6:.2f} MB" for p in partials))
    session.stop()


if __name__ == "__main__":
    main()
