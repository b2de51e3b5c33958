"""topictide on Ray, with the real engine (a local Ray of two CPUs, from the Ray that
scripts/python-package installs): the whole run through a Ray Dataset is the command's,
byte for byte, for any number of blocks, and a bad row is named as the command names it."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import ray

import topictide
import topictide.ray as tray

from test_api import SEEDS, seeds_table
from test_spark import same_folder, seeds_file  # noqa: F401 (a fixture)


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             object_store_memory=200 << 20)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


def in_blocks(table: pa.Table, blocks: int):
    """The table as a Dataset of ``blocks`` blocks that hold its rows in order (with more
    blocks than rows, some are empty)."""
    rows, parts = table.num_rows, []
    for b in range(blocks):
        start, end = rows * b // blocks, rows * (b + 1) // blocks
        parts.append(table.slice(start, end - start))
    return ray.data.from_arrow(parts)


@pytest.mark.parametrize("blocks", [1, 3, 7])
def test_the_whole_run_on_ray_is_the_command_lines(cluster, seeds_file, blocks, tmp_path):
    path, cli = seeds_file
    ds = in_blocks(pq.read_table(path), blocks)
    assert ds.num_blocks() == blocks
    passes = []
    r = tray.run(ds, tmp_path / "out", name=str(path), config=SEEDS / "topictide.toml",
                 on_pass=lambda name, s, size: passes.append(name))
    assert r.report.is_file() and r.info["figures"]["documents"] == 5
    assert passes[:3] == ["store", "words", "folds"] and "count" in passes
    same_folder(tmp_path / "out", cli)


def test_an_actor_dealt_only_empty_blocks_answers_nothing(cluster, seeds_file, tmp_path):
    # Two blocks, two actors: the second holds only an empty block.
    path, cli = seeds_file
    table = pq.read_table(path)
    ds = ray.data.from_arrow([table, table.slice(0, 0)])
    tray.run(ds, tmp_path / "out", name=str(path), config=SEEDS / "topictide.toml")
    same_folder(tmp_path / "out", cli)


def test_a_bad_row_is_named_as_in_the_whole_table(cluster, tmp_path):
    # The fourth row's date is bad: in 3 blocks, the first row of the third (rows 4-5).
    bad = seeds_table().set_column(1, "date", pa.array(["2016", "2017", "2018", "someday", "2020"]))
    with pytest.raises(topictide.InputError) as whole:
        topictide.run(bad, tmp_path / "whole", name="bad.parquet", config=SEEDS / "topictide.toml")
    with pytest.raises(topictide.InputError) as e:
        tray.run(in_blocks(bad, 3), tmp_path / "out", name="bad.parquet",
                 config=SEEDS / "topictide.toml")
    assert (e.value.file, e.value.line, e.value.column) == (whole.value.file, whole.value.line, "date")
    assert str(e.value) == str(whole.value)
    assert not (tmp_path / "out").exists()


def test_a_dataset_without_ids_is_refused(cluster, tmp_path):
    ds = ray.data.from_arrow(seeds_table().drop_columns(["id"]))
    with pytest.raises(topictide.InputError, match="no column id") as e:
        tray.run(ds, tmp_path / "out")
    assert e.value.column == "id"
    assert not (tmp_path / "out").exists()
