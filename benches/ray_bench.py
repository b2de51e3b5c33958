"""The whole run on Ray against the command line, on one machine (benches/ray).

Times, side by side and alternated, median of --runs:
- `topictide run` on the corpus' rows in the Dataset's order (UNGD as Parquet);
- `topictide.ray.run` on a Dataset `ray.data.read_parquet` reads in about --blocks blocks, on a
  local Ray of two CPUs started once.
`read_parquet` orders a file's rows as its read tasks do, not always as the file does, so the
rows are first written out in the Dataset's order (untimed), and the command reads that file.
Checks that every table Ray writes is the command's, byte for byte, and prints each pass of the
last Ray run: its seconds and the bytes that came back to the driver.
"""

import argparse
import filecmp
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spark_bench import ROOT, ROW_GROUP, corpus_parquet, timed  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/corpora/ungd.jsonl.gz"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--blocks", type=int, default=4)
    ap.add_argument("--bin", default=str(ROOT / "target/release/topictide"))
    a = ap.parse_args()
    work = ROOT / "target/ray-bench"
    work.mkdir(parents=True, exist_ok=True)
    corpus = corpus_parquet(Path(a.corpus), ROOT / "target/spark-bench")

    import ray
    import ray.data

    import topictide.ray as tray

    started = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    ray.data.DataContext.get_current().enable_progress_bars = False
    print(f"Ray started in {time.perf_counter() - started:.1f} s")

    def dataset():
        ds = ray.data.read_parquet(str(corpus), override_num_blocks=a.blocks)
        ds.context.execution_options.preserve_order = True
        return ds

    # The rows in the Dataset's order, for the command.
    blocks = dataset().to_arrow_refs()
    ordered = work / "in-dataset-order.parquet"
    pq.write_table(pa.concat_tables([ray.get(b) for b in blocks]), ordered,
                   row_group_size=ROW_GROUP)

    def run():
        subprocess.run([a.bin, "run", "--corpus", str(ordered), "--out", str(work / "run"),
                        "--quiet"], check=True, stdout=subprocess.DEVNULL)

    passes: list = []

    def on_ray():
        passes.clear()
        tray.run(dataset(), work / "ray", name=str(ordered),
                 on_pass=lambda name, s, size: passes.append((name, s, size)))

    times = {"topictide run": [], "ray.run": []}
    for r in range(a.runs):
        for name, f in zip(times, (run, on_ray)):
            times[name].append(timed(f))
            print(f"run {r + 1}: {name} {times[name][-1]:.1f} s", flush=True)

    tables = filecmp.dircmp(work / "run/tables", work / "ray/tables")
    same = not (tables.diff_files or tables.left_only or tables.right_only)
    count = len(list((work / "run/tables").iterdir()))
    print(f"\nUNGD as Parquet ({corpus.stat().st_size / 1e6:.0f} MB), {len(blocks)} blocks, "
          f"median of {a.runs}, alternated:")
    print("| what | median (s) | runs (s) |\n|---|---|---|")
    for name, ts in times.items():
        print(f"| {name} | {statistics.median(ts):.1f} | {', '.join(f'{t:.1f}' for t in ts)} |")
    ratio = statistics.median(times["ray.run"]) / statistics.median(times["topictide run"])
    print(f"\nray.run / topictide run: {ratio:.2f}")
    print(f"Ray's {count} table files are topictide run's, byte for byte: {same}")
    print("\nthe last Ray run, pass by pass:")
    print("| pass | seconds | bytes back to the driver |\n|---|---|---|")
    for name, s, size in passes:
        print(f"| {name} | {s:.2f} | {size:,} |")
    ray.shutdown()


if __name__ == "__main__":
    main()
