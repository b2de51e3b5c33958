"""The Python package against the command line: the same corpus gives the same tables, a
table in memory reads as the same table in a file, errors carry the command line's message
and place, and counting in shards adds up to the whole run.

Needs TOPICTIDE_BIN, the topictide binary (tests/python.rs sets it to the one cargo built)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import topictide

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
BIN = os.environ["TOPICTIDE_BIN"]
# Tables that name where each document was read from (a file's path and line, or a table's
# name and row): the same documents, read from two places, differ there and only there.
NAMING_ORIGINS = {"documents"}


def cli_run(corpus: Path, out: Path, *flags: str) -> None:
    subprocess.run(
        [BIN, "run", "--corpus", str(corpus), "--out", str(out), "--quiet", *flags],
        check=True,
    )


def csv_tables(out: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted((out / "tables").glob("*.csv"))}


def seeds_table() -> pa.Table:
    """The seed documents as a table: id, date, title, source, text."""
    import pyarrow.csv as pcsv

    manifest = pcsv.read_csv(SEEDS / "manifest.csv", convert_options=pcsv.ConvertOptions(
        column_types={"date": pa.string()}))
    rows = manifest.to_pylist()
    return pa.table({
        "id": [r["file"] for r in rows],
        "date": [r["date"] for r in rows],
        "title": [r["title"] for r in rows],
        "source": [r["source"] for r in rows],
        "text": [(SEEDS / r["file"]).read_text(encoding="utf-8") for r in rows],
    })


@pytest.fixture(scope="module")
def cli_seeds(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "seeds"
    cli_run(SEEDS, out)
    return out


def test_run_on_seeds_is_the_command_lines_run(cli_seeds, tmp_path):
    r = topictide.run(SEEDS, tmp_path / "py")
    assert csv_tables(r.out) == csv_tables(cli_seeds)
    for chart in (cli_seeds / "charts").glob("*.svg"):
        assert (r.out / "charts" / chart.name).read_bytes() == chart.read_bytes(), chart.name
    assert r.report.is_file()
    assert r.info["figures"]["documents"] == 5
    terms = r.tables["terms"]
    assert isinstance(terms, pa.Table) and terms.num_rows > 100
    assert r.tables.polars("terms").height == terms.num_rows
    assert "topics" in r.tables and "terms_by_period" in set(r.tables)


def test_run_with_no_out_writes_a_folder_of_its_own(monkeypatch):
    monkeypatch.chdir(ROOT)
    r = topictide.run("seeds")
    assert r.out.is_dir() and not r.out.is_relative_to(ROOT)
    assert (r.out / "tables" / "terms.parquet").is_file()
    shutil.rmtree(r.out)


def test_options_are_the_flags(cli_seeds, tmp_path):
    r = topictide.run(SEEDS, tmp_path / "k3", k=3, period="month", track=["data security"])
    cli_run(SEEDS, tmp_path / "cli-k3", "--k", "3", "--period", "month", "--track", "data security")
    assert csv_tables(r.out) == csv_tables(tmp_path / "cli-k3")
    assert csv_tables(r.out) != csv_tables(cli_seeds)


@pytest.mark.parametrize("kind", ["pyarrow", "polars", "batches"])
def test_a_table_in_memory_reads_as_the_same_table_in_a_file(kind, tmp_path):
    table = seeds_table()
    pq.write_table(table, tmp_path / "seeds.parquet")
    cli_run(tmp_path / "seeds.parquet", tmp_path / "cli")
    corpus = {
        "pyarrow": table,
        "polars": pl.from_arrow(table),
        "batches": pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=2)),
    }[kind]
    r = topictide.run(corpus, tmp_path / "py", name="seeds.parquet")
    ours, theirs = csv_tables(r.out), csv_tables(tmp_path / "cli")
    assert ours.keys() == theirs.keys()
    for name in ours:
        if name.removesuffix(".csv") not in NAMING_ORIGINS:
            assert ours[name] == theirs[name], name
    # The charts name the corpus by its file's name, which the table was given.
    for chart in (tmp_path / "cli" / "charts").glob("*.svg"):
        assert (r.out / "charts" / chart.name).read_bytes() == chart.read_bytes(), chart.name
    documents = r.tables["documents"].to_pylist()
    assert [d["document"] for d in documents] == table["id"].to_pylist()


def raises(corpus, **options) -> topictide.TopictideError:
    with pytest.raises(topictide.TopictideError) as e:
        topictide.run(corpus, options.pop("out"), **options)
    return e.value


@pytest.mark.parametrize(
    "edit, line, column, words",
    [
        (lambda t: t.set_column(4, "text", pa.array(["a text"] * 4 + [None])), 5, "text", "empty or null"),
        (lambda t: t.set_column(1, "date", pa.array(["2016", "2017", "someday", "2019", "2020"])), 3, "date", "not a date"),
        (lambda t: t.drop_columns(["text"]), None, "text", "no text column"),
    ],
)
def test_bad_input_names_the_row_and_column_and_writes_nothing(edit, line, column, words, tmp_path):
    e = raises(edit(seeds_table()), out=tmp_path / "out")
    assert isinstance(e, topictide.InputError)
    assert (e.kind, e.exit_code, e.line, e.column) == ("input", 3, line, column)
    assert words in str(e) and e.hint
    assert not (tmp_path / "out" / "report.html").exists()
    assert not (tmp_path / "out" / "tables").exists()


def test_the_same_error_as_the_command_line(tmp_path):
    bad = seeds_table().set_column(1, "date", pa.array(["2016", "2017", "someday", "2019", "2020"]))
    pq.write_table(bad, tmp_path / "bad.parquet")
    cli = subprocess.run(
        [BIN, "run", "--corpus", str(tmp_path / "bad.parquet"), "--out", str(tmp_path / "cli")],
        capture_output=True, text=True,
    )
    assert cli.returncode == 3
    e = raises(tmp_path / "bad.parquet", out=tmp_path / "py")
    assert e.exit_code == 3 and str(e) in cli.stderr


def test_a_misspelt_option_is_a_config_error_that_names_it(tmp_path):
    e = raises(SEEDS, out=tmp_path / "o", topics={"kk": 2})
    assert e.kind == "input" and "option topics" in str(e) and "kk" in str(e)
    e = raises(SEEDS, out=tmp_path / "o", threads=0)
    assert isinstance(e, topictide.ConfigError) and e.exit_code == 3


def test_shards_add_up_to_the_whole_run(cli_seeds, tmp_path):
    table = seeds_table()
    state = topictide.learn(table, config=SEEDS / "topictide.toml")
    assert json.loads(state)["format"].startswith("topictide-state")
    partials = [topictide.count(state, table.slice(i, n)) for i, n in [(0, 2), (2, 1), (3, 2)]]
    merged = topictide.merge(reversed(partials))
    tables = topictide.tables(state, merged, tmp_path / "merged")
    assert set(tables) == {"terms", "variants", "phrases", "periods", "terms_by_period"}
    whole = csv_tables(cli_seeds)
    for name in tables:
        assert (tmp_path / "merged" / "tables" / f"{name}.csv").read_bytes() == whole[f"{name}.csv"], name


def test_a_shard_counted_twice_is_refused(tmp_path):
    table = seeds_table()
    state = topictide.learn(table)
    first, rest = topictide.count(state, table.slice(0, 2)), topictide.count(state, table.slice(2))
    with pytest.raises(topictide.InputError, match="each once"):
        topictide.tables(state, topictide.merge([first, first, rest]), tmp_path / "o")
    other = topictide.learn(table, k=3, period="month")
    with pytest.raises(topictide.InputError, match="different states"):
        topictide.merge([first, topictide.count(other, table.slice(2))])


def test_language_auto_reads_the_corpus_language(cli_seeds, tmp_path):
    r = topictide.run(SEEDS, tmp_path / "auto", language="auto")
    assert r.info["config"]["tokenize"]["language"] == "english"
    assert csv_tables(r.out) == csv_tables(cli_seeds)
    mixed = seeds_table().set_column(
        4, "text", pa.array(["这是一个关于网络安全和数据安全的中文文件。" * 20] * 2 + seeds_table()["text"].to_pylist()[2:])
    )
    with pytest.raises(topictide.InputError, match="languages") as e:
        topictide.run(mixed, tmp_path / "mixed", language="auto")
    assert "--language" in e.value.hint


def test_a_pandas_dataframe_is_a_table_too(tmp_path):
    table = seeds_table()
    r = topictide.run(table.to_pandas(), tmp_path / "pandas", name="seeds.parquet")
    theirs = topictide.run(table, tmp_path / "arrow", name="seeds.parquet")
    assert csv_tables(r.out) == csv_tables(theirs.out)


def test_learning_in_shards_gives_the_state_learn_gives():
    table = seeds_table()
    config = SEEDS / "topictide.toml"
    whole = topictide.learn(table, config=config)
    shards = [table.slice(0, 2), table.slice(2, 1), table.slice(3)]
    learning = topictide.Learning(config=config)
    passes, read = [], None
    while learning.pass_name is not None:
        passes.append(learning.pass_name)
        if len(passes) == 2:
            # Read once after the lines; the later passes count from what was read, except the
            # middle shard, which reads its texts again each pass.
            read = [learning.read(s, i) for i, s in enumerate(shards)]
        summaries = [
            learning.count_read(read[i]) if read and i != 1 else learning.count(s, i)
            for i, s in enumerate(shards)
        ]
        total = learning.merge(summaries[2], learning.merge(summaries[1], summaries[0]))
        learning.decide(total)
        learning = topictide.Learning.from_bytes(learning.to_bytes())
    assert passes[:4] == ["lines", "words", "folds", "streams"] and passes[-1] == "forms"
    assert learning.state() == whole


def test_learning_in_shards_needs_the_language_named():
    with pytest.raises(topictide.InputError, match="language") as e:
        topictide.Learning(language="auto")
    assert e.value.exit_code == 3 and e.value.hint
