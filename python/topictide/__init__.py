"""topictide: topic modeling and term-trend analytics over dated documents.

The pipeline is Rust (the ``topictide`` command); this package calls it in-process::

    import topictide
    r = topictide.run("seeds")                      # a corpus folder or a table file
    r.tables["terms"]                               # a pyarrow Table
    r.report                                        # the path of report.html

    r = topictide.run(table, out="report", k=8)     # a pyarrow Table or a polars DataFrame

Options are the command line's flags by name (``k``, ``period``, ``track``, ``language``,
``text``, ``date``, ``id`` …), ``seed`` and ``threads``, or whole tables of the config file as
dicts (``topics={"n_init": 4}``). A run that stops raises a :class:`TopictideError` whose
message is the command line's, with ``kind``, ``exit_code``, ``hint``, ``file``, ``line`` (the
row, for a table) and ``column``.

Counting in shards, for engines that split a corpus (``learn`` → ``count`` per shard →
``merge`` → ``tables``), takes and gives bytes: the state as JSON, partial counts as the
Parquet files ``topictide merge`` reads.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Union

from . import _native
from ._native import (
    ConfigError,
    InputError,
    InternalError,
    State,
    TopictideError,
    WriteError,
)

__version__ = _native.__version__
__all__ = [
    "run",
    "Run",
    "Tables",
    "learn",
    "Learning",
    "count",
    "merge",
    "tables",
    "State",
    "TopictideError",
    "InputError",
    "ConfigError",
    "WriteError",
    "InternalError",
]

Corpus = Union[str, "os.PathLike[str]", Any]


class Tables(Mapping):
    """A run's tables by name (``terms``, ``topics``, ``terms_by_period`` …), each read from
    its Parquet file when first asked for: ``tables["terms"]`` is a pyarrow Table,
    ``tables.polars("terms")`` a polars DataFrame."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._read: dict = {}

    def _path(self, name: str) -> Path:
        path = self.folder / f"{name}.parquet"
        if not path.is_file():
            raise KeyError(f"no table {name!r}; the run wrote {sorted(self)}")
        return path

    def __getitem__(self, name: str):
        if name not in self._read:
            import pyarrow.parquet as pq

            self._read[name] = pq.read_table(self._path(name))
        return self._read[name]

    def polars(self, name: str):
        """The table ``name`` as a polars DataFrame."""
        import polars as pl

        return pl.read_parquet(self._path(name))

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(p.stem for p in self.folder.glob("*.parquet")))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __repr__(self) -> str:
        return f"Tables({', '.join(self)})"


class Run:
    """A finished run: its folder (``out``), ``report`` (report.html), ``info`` (run.json as a
    dict) and ``tables``."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.report = self.out / "report.html"
        self.info: dict = json.loads((self.out / "run.json").read_text(encoding="utf-8"))
        self.tables = Tables(self.out / "tables")

    @property
    def charts(self) -> list:
        """The charts the report shows, as paths of SVG files."""
        return sorted((self.out / "charts").glob("*.svg"))

    def __repr__(self) -> str:
        figures = self.info.get("figures", {})
        return (
            f"<topictide.Run {self.out}: {figures.get('documents', '?')} documents, "
            f"{len(self.tables)} tables>"
        )


def _corpus(corpus: Corpus):
    """A path as a string; a table as an object with ``__arrow_c_stream__`` (a pandas
    DataFrame goes through pyarrow)."""
    if hasattr(corpus, "__arrow_c_stream__"):
        return corpus
    if isinstance(corpus, (str, os.PathLike)):
        return os.fspath(corpus)
    if type(corpus).__module__.startswith("pandas"):
        import pyarrow as pa

        return pa.Table.from_pandas(corpus, preserve_index=False)
    raise TypeError(
        f"a corpus is a path, or a table with __arrow_c_stream__ (a pyarrow Table, a polars "
        f"DataFrame); got {type(corpus).__name__}"
    )


def _options(options: dict) -> str:
    return json.dumps(options, default=os.fspath)


def _path(p) -> Optional[str]:
    return None if p is None else os.fspath(p)


def run(
    corpus: Corpus,
    out: Union[str, "os.PathLike[str]", None] = None,
    *,
    config: Union[str, "os.PathLike[str]", None] = None,
    name: Optional[str] = None,
    progress: bool = False,
    **options: Any,
) -> Run:
    """Runs the whole pipeline on ``corpus`` and returns the finished :class:`Run`.

    ``corpus`` is a corpus folder or table file (as ``--corpus`` takes), or a table in memory:
    a pyarrow Table or RecordBatchReader, a polars or pandas DataFrame, with a text column and
    a date or year column. ``out`` is the report's folder (a new temporary folder when None);
    as on the command line, a run replaces only files it wrote there. ``config`` is a TOML
    config file (for a folder, its own ``topictide.toml`` is read when none is given);
    ``name`` is what a table is called in messages and the report; ``progress`` prints a line
    per stage on stderr. ``options`` are laid over the configuration (see the module's doc)."""
    if out is None:
        out = tempfile.mkdtemp(prefix="topictide-")
    _native.run(
        _corpus(corpus),
        os.fspath(out),
        _options(options),
        _path(config),
        name,
        progress,
    )
    return Run(Path(out))


def learn(
    corpus: Corpus,
    *,
    config: Union[str, "os.PathLike[str]", None] = None,
    name: Optional[str] = None,
    **options: Any,
) -> bytes:
    """Counting in shards, step 1: reads the whole corpus and returns the state (JSON bytes)
    every shard is counted with."""
    return _native.learn(_corpus(corpus), _options(options), _path(config), name)


class Learning:
    """Learning the state in shards, so that no machine reads the whole corpus: in each pass
    every shard is counted (:meth:`count`), the summaries are added in any order
    (:meth:`merge`), and :meth:`decide` takes the sum. When :attr:`pass_name` is None,
    :meth:`state` is the state :func:`learn` gives for the corpus the shards make up, in shard
    order, byte for byte. An engine sends :meth:`to_bytes` to its workers each pass
    (``topictide.spark.learn`` drives it on Spark). Options are :func:`learn`'s; the language
    must be named."""

    def __init__(self, *, config: Union[str, "os.PathLike[str]", None] = None, **options: Any):
        self._learning = _native.Learning(_options(options), _path(config))

    @classmethod
    def from_bytes(cls, data: bytes) -> "Learning":
        """The learning :meth:`to_bytes` gave, as a worker reads it."""
        learning = cls.__new__(cls)
        learning._learning = _native.Learning.from_bytes(data)
        return learning

    def to_bytes(self) -> bytes:
        return self._learning.to_bytes()

    @property
    def pass_name(self) -> Optional[str]:
        """The pass the shards count next ("lines", "words", "folds", "streams", "phrases of 3
        words", "forms"), or None once the state is made."""
        return self._learning.pass_name

    def count(
        self, shard: Corpus, index: int, *, name: Optional[str] = None,
        rows_before: Optional[int] = None,
    ) -> bytes:
        """Counts this pass over a shard (a table or file of some of the corpus' documents);
        ``index`` is the shard's place among the shards, in corpus order. Given
        ``rows_before`` (the rows of the table ``name`` before this shard's), a table's rows
        are numbered as the whole table's, in messages too."""
        return self._learning.count(_corpus(shard), index, name, rows_before)

    def read(self, shard: Corpus, index: int, *, name: Optional[str] = None) -> bytes:
        """Reads a shard once the lines are counted (the first pass), for every later pass to
        count from (:meth:`count_read`) without reading its texts again: an engine keeps the
        bytes between passes."""
        return self._learning.read(_corpus(shard), index, name)

    def read_kept(
        self, shard: Corpus, index: int, *, name: Optional[str] = None,
        rows_before: Optional[int] = None,
    ):
        """:meth:`read`, kept in this process as an object (no bytes): an engine's worker that
        keeps it between passes counts each later pass from it with :meth:`count_kept`. Given
        ``rows_before`` (the rows of the table ``name`` before this shard's, which number its
        rows as the whole table's), a table's read also keeps its documents and passages,
        which ``topictide._native.Work.from_read`` starts from."""
        return self._learning.read_kept(_corpus(shard), index, name, rows_before)

    def count_kept(self, *reads) -> bytes:
        """Counts this pass over shards :meth:`read_kept` gave: the sum of their summaries
        (the same as :meth:`count` for one), encoded once."""
        return self._learning.count_kept(*reads)

    def count_read(self, read: bytes) -> bytes:
        """Counts this pass over a shard :meth:`read` gave; the same as :meth:`count`."""
        return self._learning.count_read(read)

    def merge(self, *summaries: bytes) -> bytes:
        """The sum of summaries of this pass (any order, any grouping)."""
        return self._learning.merge(*summaries)

    def decide(self, *summaries: bytes) -> None:
        """Decides from the sum of every shard's summary of this pass, given summed or in
        groups of shards (every shard once)."""
        self._learning.decide(*summaries)

    def state(self) -> bytes:
        """The state (JSON bytes), once every pass is done."""
        return self._learning.state()


def count(state: Union[bytes, State], shard: Corpus, *, name: Optional[str] = None) -> bytes:
    """Step 2, the map: counts a shard of the corpus (a table or a file of some of its
    documents) with the state (its bytes, or a :class:`State` read once for many shards);
    returns its partial counts as Parquet bytes."""
    return _native.count(state, _corpus(shard), name)


def merge(partials: Iterable[bytes]) -> bytes:
    """Step 3: sums partial counts, in any order and grouping, into one partial."""
    return _native.merge(list(partials))


def tables(state: bytes, partial: bytes, out: Union[str, "os.PathLike[str]"]) -> Tables:
    """Writes the counting tables (terms, variants, phrases, periods, terms_by_period) of the
    merged partial counts of every shard into ``out``, as ``topictide merge`` does."""
    _native.tables(state, partial, os.fspath(out))
    return Tables(Path(out) / "tables")
