"""topictide on Spark: a corpus in a Spark DataFrame counted by the executors.

    from topictide import spark
    tables = spark.count_tables(df, "merged", text="text", date="date", id="id")

``count_tables`` gives the counting tables a run writes (terms, variants, phrases, periods,
terms_by_period), byte for byte as ``topictide run`` writes them:

1. **learn** reads the corpus once and keeps what crosses documents (the state). It runs on the
   driver, over the selected columns collected as Arrow: until learning runs in shards, the
   corpus passes through the driver once. A state learnt elsewhere (``topictide learn``, or
   :func:`topictide.learn`) can be given instead.
2. **count** is ``mapInArrow``: each partition's Arrow batches are counted with the state by the
   Rust map, and the partition gives one row, its partial counts as the Parquet bytes
   ``topictide merge`` reads. The state goes to each executor once, as a broadcast, and each
   Python worker reads it once and keeps it by its digest.
3. **merge** adds the partials in Rust (``treeReduce`` over ``topictide.merge``), never by
   Spark's SQL sums, and the driver writes the tables. A partial carries the sum of its
   documents' fingerprints: a partition counted twice, or missing, is refused. A partition
   whose documents cannot be counted sends its error back as data, and merge raises it as the
   package's exception (``InputError`` with the partition's row and the column).

The DataFrame needs an id column (a document's fingerprint is its id and text; row numbers are
not stable across partitions), a text column and a date or year column.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterator, Optional, Union

import pyarrow as pa

import topictide

__all__ = ["learn", "partials", "merge", "count_tables", "count_batches", "PARTIALS"]

# The states this Python worker has read, by digest: a worker counts every partition it is
# handed with one read of the state.
_STATES: dict = {}


def _state(broadcast, digest: str) -> "topictide.State":
    state = _STATES.get(digest)
    if state is None:
        _STATES.clear()
        state = _STATES[digest] = topictide.State(broadcast.value)
    return state


def _columns(df, text: str, date: str, id: str, year: str = "year") -> list:
    missing = [c for c in (id, text) if c not in df.columns]
    if date not in df.columns and year not in df.columns:
        missing.append(f"{date} (or {year})")
    if missing:
        e = topictide.InputError(
            f"DataFrame: no column {', '.join(missing)} (columns: {', '.join(df.columns)})\n"
            f"  hint: name the columns with text=, date= and id="
        )
        e.kind, e.exit_code, e.file, e.line = "input", 3, "DataFrame", None
        e.column, e.hint = missing[0], "name the columns with text=, date= and id="
        raise e
    return [c for c in (id, date, year, text) if c in df.columns]


def learn(
    df,
    *,
    text: str = "text",
    date: str = "date",
    id: str = "id",
    config: Union[str, "os.PathLike[str]", None] = None,
    **options: Any,
) -> bytes:
    """Step 1 on the driver: the state of the DataFrame's corpus (JSON bytes)."""
    columns = _columns(df, text, date, id)
    table = df.select(*columns).toArrow()
    return topictide.learn(table, config=config, text=text, date=date, id=id, **options)


def count_batches(broadcast, digest: str):
    """The function ``mapInArrow`` runs: a partition's Arrow batches → one row (schema
    :data:`PARTIALS`): the partition's number and its partial counts, or, when its documents
    cannot be counted, the error as data (retrying a task cannot mend its input), which
    :func:`merge` raises on the driver. ``broadcast`` holds the state's bytes, ``digest`` its
    digest."""

    def count(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        batches = [b for b in batches if b.num_rows]
        if not batches:
            return
        from pyspark import TaskContext

        context = TaskContext.get()
        partition = context.partitionId() if context else 0
        table = pa.Table.from_batches(batches)
        partial, error = None, None
        try:
            partial = topictide.count(
                _state(broadcast, digest), table, name=f"partition {partition}"
            )
        except topictide.TopictideError as e:
            error = json.dumps({k: getattr(e, k, None) for k in _ERROR_FIELDS} | {"message": str(e)})
        yield pa.RecordBatch.from_pydict(
            {"partition": [partition], "partial": [partial], "error": [error]}, schema=PARTIALS
        )

    return count


# What a partition gives back: one row, its number and its partial counts as Parquet bytes, or
# the error that stopped it.
PARTIALS = pa.schema(
    [
        pa.field("partition", pa.int32(), nullable=False),
        pa.field("partial", pa.binary()),
        pa.field("error", pa.string()),
    ]
)
PARTIALS_DDL = "partition int, partial binary, error string"
_ERROR_FIELDS = ("kind", "exit_code", "hint", "file", "line", "column")
_ERRORS = {
    "input": topictide.InputError,
    "config": topictide.ConfigError,
    "io": topictide.WriteError,
    "internal": topictide.InternalError,
}


def partials(df, state: bytes, *, text: str = "text", date: str = "date", id: str = "id"):
    """Step 2: a DataFrame of one row a non-empty partition (:data:`PARTIALS`)."""
    columns = _columns(df, text, date, id)
    digest = topictide.State(state).digest
    broadcast = df.sparkSession.sparkContext.broadcast(state)
    return df.select(*columns).mapInArrow(count_batches(broadcast, digest), PARTIALS_DDL)


def _combine(a: tuple, b: tuple) -> tuple:
    """(partition, partial, error) of two sets of partitions: their merged partial, or the error
    of the lowest partition that failed (associative and commutative, so any tree gives it)."""
    failed = [x for x in (a, b) if x[2] is not None]
    if failed:
        return min(failed, key=lambda x: x[0])
    return (min(a[0], b[0]), topictide.merge([a[1], b[1]]), None)


def merge(partials_df) -> bytes:
    """Step 3: every partition's partial counts added in Rust, as a tree over the executors.
    A partition that could not be counted raises its error here, as the exception the
    package raises for it (:class:`topictide.InputError` for a bad row)."""
    _, merged, error = partials_df.rdd.map(
        lambda row: (row.partition, None if row.partial is None else bytes(row.partial), row.error)
    ).treeReduce(_combine)
    if error is not None:
        fields = json.loads(error)
        e = _ERRORS.get(fields["kind"], topictide.TopictideError)(fields["message"])
        for k in _ERROR_FIELDS:
            setattr(e, k, fields.get(k))
        raise e
    return merged


def count_tables(
    df,
    out: Union[str, "os.PathLike[str]"],
    *,
    text: str = "text",
    date: str = "date",
    id: str = "id",
    state: Optional[bytes] = None,
    config: Union[str, "os.PathLike[str]", None] = None,
    **options: Any,
) -> "topictide.Tables":
    """Counts the DataFrame's corpus on the executors and writes the counting tables into
    ``out`` (tables/ and run.json), as ``topictide learn``, ``count`` and ``merge`` do.
    ``options`` and ``config`` are those of :func:`topictide.run`; they are the state's, so they
    are refused with a ``state`` given."""
    if state is None:
        state = learn(df, text=text, date=date, id=id, config=config, **options)
    elif options or config is not None:
        raise TypeError("options and config are the state's: learn the state with them instead")
    merged = merge(partials(df, state, text=text, date=date, id=id))
    return topictide.tables(state, merged, out)
