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

import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spark_bench import ROW_GROUP, alternated, arguments, compared  # noqa: E402


def main():
    a, work, corpus = arguments("blocks")

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

    times = alternated({"topictide run": run, "ray.run": on_ray}, a.runs)
    compared(times, (a.corpus, corpus, f"{len(blocks)} blocks"), work, "Ray", passes)
    ray.shutdown()


if __name__ == "__main__":
    main()
