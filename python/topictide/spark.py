"""topictide on Spark: a corpus in a Spark DataFrame counted by the executors.

    from topictide import spark
    tables = spark.count_tables(df, "merged", text="text", date="date", id="id")

``count_tables`` gives the counting tables a run writes (terms, variants, phrases, periods,
terms_by_period), byte for byte as ``topictide run`` writes them:

1. **learn** keeps what crosses documents (the state), in passes over the partitions
   (:class:`topictide.Learning`): in each pass ``mapInArrow`` counts every partition's
   summary, ``treeReduce`` adds the summaries in Rust, and the driver decides from the sum.
   No machine reads the whole corpus; the state is the one ``topictide learn`` makes from the
   corpus in partition order. A state learnt elsewhere can be given instead.
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

import hashlib
import itertools
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Union

import pyarrow as pa
from pyspark import StorageLevel

import topictide

__all__ = [
    "run",
    "learn",
    "partials",
    "merge",
    "count_tables",
    "count_batches",
    "summarize_batches",
    "PARTIALS",
]

# The states (and learnings) this Python worker has read, by digest: a worker counts every
# partition it is handed with one read of the state.
_STATES: dict = {}
_LEARNINGS: dict = {}
# The shards this Python worker has read for the passes after counting, by (run, partition),
# and the request it read last, by digest: a worker reads each partition it is handed once a
# run, and each pass' request once.
_WORKS: dict = {}
_REQUESTS: dict = {}


def _state(broadcast, digest: str) -> "topictide.State":
    state = _STATES.get(digest)
    if state is None:
        _STATES.clear()
        state = _STATES[digest] = topictide.State(broadcast.value)
    return state


def _input_error(message: str, hint: str, column: Optional[str] = None) -> Exception:
    """The package's InputError for a DataFrame, as the command line words its errors."""
    e = topictide.InputError(f"DataFrame: {message}\n  hint: {hint}")
    e.kind, e.exit_code, e.file, e.line = "input", 3, "DataFrame", None
    e.column, e.hint = column, hint
    return e


def _columns(df, text: str, date: str, id: str, year: str = "year", source: str = "source") -> list:
    """The columns a pass reads: id, date (or year), text, and the source when there is one
    (page furniture is counted per source)."""
    missing = [c for c in (id, text) if c not in df.columns]
    if date not in df.columns and year not in df.columns:
        missing.append(f"{date} (or {year})")
    if missing:
        raise _input_error(
            f"no column {', '.join(missing)} (columns: {', '.join(df.columns)})",
            "name the columns with text=, date= and id=",
            column=missing[0],
        )
    return [c for c in (id, date, year, source, text) if c in df.columns]


def _learning(broadcast, digest: str) -> "topictide.Learning":
    learning = _LEARNINGS.get(digest)
    if learning is None:
        _LEARNINGS.clear()
        learning = _LEARNINGS[digest] = topictide.Learning.from_bytes(broadcast.value)
    return learning


def learn(
    df,
    *,
    text: str = "text",
    date: str = "date",
    id: str = "id",
    config: Union[str, "os.PathLike[str]", None] = None,
    on_pass: Optional[Callable[[str, float, int], None]] = None,
    **options: Any,
) -> bytes:
    """Step 1, in passes over the partitions: the state of the DataFrame's corpus (JSON
    bytes). The first pass counts the lines of the texts; then each partition is read once
    (its passages' words, kept by Spark in memory or on disk) and every later pass counts from
    what was read. Each pass sends the learning to the executors once, as a broadcast.
    ``on_pass``, if given, is called after each pass with its name, its seconds and the size in
    bytes of the summed summary the driver decided from."""
    selected = df.select(*_columns(df, text, date, id, source=options.get("source", "source")))
    learning = topictide.Learning(config=config, text=text, date=date, id=id, **options)
    context = df.sparkSession.sparkContext

    def broadcast():
        data = learning.to_bytes()
        return context.broadcast(data), hashlib.blake2b(data, digest_size=16).hexdigest()

    def decide(rows, started: float, shared, digest: str) -> None:
        name = learning.pass_name
        summary = _reduce(rows, lambda a, b: _learning(shared, digest).merge(a, b))
        learning.decide(summary)
        if on_pass is not None:
            on_pass(name, time.perf_counter() - started, len(summary))

    started = time.perf_counter()
    shared, digest = broadcast()
    lines = selected.mapInArrow(summarize_batches(shared, digest), PARTIALS_DDL)
    decide(_rows(lines), started, shared, digest)
    shared.unpersist()
    # Read once with the furniture the lines decided; the broadcast stays while the reads are
    # kept (Spark may read a lost partition again).
    reading, reading_digest = broadcast()
    reads = selected.mapInArrow(read_batches(reading, reading_digest), PARTIALS_DDL)
    reads = reads.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        while learning.pass_name is not None:
            started = time.perf_counter()
            shared, digest = broadcast()
            decide(_rows(reads).map(_count_read(shared, digest)), started, shared, digest)
            shared.unpersist()
    finally:
        reads.unpersist()
        reading.unpersist()
    return learning.state()


def _count_read(shared, digest: str):
    """Counts a pass over a read partition's row (partition, read, error): the row of its
    summary, or its error as data."""

    def count(row: tuple) -> tuple:
        partition, read, error = row
        if error is not None:
            return row
        return _guarded(partition, lambda: _learning(shared, digest).count_read(read))

    return count


def _guarded(partition: int, work) -> tuple:
    """(partition, what ``work()`` gives, None), or (partition, None, the error as JSON)."""
    try:
        return (partition, work(), None)
    except topictide.TopictideError as e:
        error = json.dumps({k: getattr(e, k, None) for k in _ERROR_FIELDS} | {"message": str(e)})
        return (partition, None, error)


def _per_partition(work):
    """The function ``mapInArrow`` runs: a partition's Arrow batches → one row (schema
    :data:`PARTIALS`): the partition's number and what ``work(table, partition)`` gives for
    them, or, when its documents cannot be read, the error as data (retrying a task cannot
    mend its input), which the driver raises."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        batches = [b for b in batches if b.num_rows]
        if not batches:
            return
        from pyspark import TaskContext

        context = TaskContext.get()
        partition = context.partitionId() if context else 0
        table = pa.Table.from_batches(batches)
        _, result, error = _guarded(partition, lambda: work(table, partition))
        yield pa.RecordBatch.from_pydict(
            {"partition": [partition], "partial": [result], "error": [error]}, schema=PARTIALS
        )

    return run


def summarize_batches(broadcast, digest: str):
    """A learning pass on a partition (see :func:`_per_partition`): its summary's bytes.
    ``broadcast`` holds the learning's bytes, ``digest`` their digest."""
    return _per_partition(
        lambda table, partition: _learning(broadcast, digest).count(
            table, partition, name=f"partition {partition}"
        )
    )


def read_batches(broadcast, digest: str):
    """Reading a partition once for the learning passes after the lines (see
    :func:`_per_partition`): the read partition's bytes."""
    return _per_partition(
        lambda table, partition: _learning(broadcast, digest).read(
            table, partition, name=f"partition {partition}"
        )
    )


def count_batches(broadcast, digest: str):
    """Counting a partition with the state (see :func:`_per_partition`): its partial counts as
    Parquet bytes. ``broadcast`` holds the state's bytes, ``digest`` its digest."""
    return _per_partition(
        lambda table, partition: topictide.count(
            _state(broadcast, digest), table, name=f"partition {partition}"
        )
    )


# What a partition gives back: one row, its number and its partial counts as Parquet bytes (or
# a learning pass' summary), or the error that stopped it.
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


def partials(
    df,
    state: bytes,
    *,
    text: str = "text",
    date: str = "date",
    id: str = "id",
    source: str = "source",
):
    """Step 2: a DataFrame of one row a non-empty partition (:data:`PARTIALS`)."""
    columns = _columns(df, text, date, id, source=source)
    digest = topictide.State(state).digest
    broadcast = df.sparkSession.sparkContext.broadcast(state)
    return df.select(*columns).mapInArrow(count_batches(broadcast, digest), PARTIALS_DDL)


def _combiner(add):
    """Combines (partition, bytes, error) of two sets of partitions: their sum by ``add``, or
    the error of the lowest partition that failed (associative and commutative, so any tree
    gives it)."""

    def combine(a: tuple, b: tuple) -> tuple:
        failed = [x for x in (a, b) if x[2] is not None]
        if failed:
            return min(failed, key=lambda x: x[0])
        return (min(a[0], b[0]), add(a[1], b[1]), None)

    return combine


def _rows(rows_df):
    """The (partition, bytes, error) tuples of a DataFrame of :data:`PARTIALS` rows."""
    return rows_df.rdd.map(
        lambda row: (row.partition, None if row.partial is None else bytes(row.partial), row.error)
    )


def _reduce(rows, add) -> bytes:
    """Every partition's bytes (an RDD of (partition, bytes, error)) added by ``add`` in Rust,
    as a tree over the executors. A partition that failed raises its error here, as the
    exception the package raises for it (:class:`topictide.InputError` for a bad row)."""
    try:
        _, total, error = rows.treeReduce(_combiner(add))
    except ValueError as e:
        if "empty" not in str(e):
            raise
        raise _input_error("no documents", "give a DataFrame with rows") from None
    if error is not None:
        fields = json.loads(error)
        e = _ERRORS.get(fields["kind"], topictide.TopictideError)(fields["message"])
        for k in _ERROR_FIELDS:
            setattr(e, k, fields.get(k))
        raise e
    return total


def merge(partials_df) -> bytes:
    """Step 3: every partition's partial counts added in Rust, as a tree over the executors.
    A partition that could not be counted raises its error here, as the exception the
    package raises for it (:class:`topictide.InputError` for a bad row)."""
    return _reduce(_rows(partials_df), lambda a, b: topictide.merge([a, b]))


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
    source = options.get("source", "source")
    merged = merge(partials(df, state, text=text, date=date, id=id, source=source))
    return topictide.tables(state, merged, out)


def _row_counts(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """A partition's rows, as one row (partition, rows)."""
    from pyspark import TaskContext

    rows = sum(b.num_rows for b in batches)
    partition = TaskContext.get().partitionId()
    yield pa.RecordBatch.from_pydict({"partition": [partition], "rows": [rows]}, schema=_ROWS)


_ROWS = pa.schema([pa.field("partition", pa.int32()), pa.field("rows", pa.int64())])


def _work(spec, state, digest: str, table, partition: int) -> "topictide._native.Work":
    """The partition read for the passes after counting, kept by this worker for the run."""
    run_id, name, places = spec.value
    work = _WORKS.get((run_id, partition))
    if work is None:
        for key in [k for k in _WORKS if k[0] != run_id]:
            del _WORKS[key]
        first_doc, first_passage, rows_before = places[partition]
        work = _WORKS[(run_id, partition)] = topictide._native.Work(
            _state(state, digest), table, partition, first_doc, first_passage, rows_before, name
        )
    return work


def answer_batches(spec, state, digest: str, request, request_digest: str):
    """A pass over a partition (see :func:`_per_partition`): its answer's bytes to the request
    ``request`` holds. ``spec`` holds the run's id, the corpus' name and where each partition
    stands (its first document, first passage and rows before it); ``state`` the state."""

    def answer(table, partition: int) -> bytes:
        work = _work(spec, state, digest, table, partition)
        asked = _REQUESTS.get(request_digest)
        if asked is None:
            _REQUESTS.clear()
            asked = _REQUESTS[request_digest] = topictide._native.Request(request.value)
        return work.answer(asked)

    return _per_partition(answer)


def _places(sizes: dict, rows: dict, partitions: int) -> dict:
    """Where each partition that counted documents stands in the corpus, in partition order:
    (its first document, its first passage, the rows before it), from each partition's
    (documents, passages) and rows."""
    places, documents, passages, before = {}, 0, 0, 0
    for p in range(partitions):
        if p in sizes:
            places[p] = (documents, passages, before)
            documents += sizes[p][0]
            passages += sizes[p][1]
        before += rows.get(p, 0)
    return places


def run(
    df,
    out: Union[str, "os.PathLike[str]"],
    *,
    text: str = "text",
    date: str = "date",
    id: str = "id",
    name: str = "DataFrame",
    config: Union[str, "os.PathLike[str]", None] = None,
    on_pass: Optional[Callable[[str, float, int], None]] = None,
    **options: Any,
) -> "topictide.Run":
    """The whole run on the DataFrame's corpus, on the executors: writes into ``out`` what
    ``topictide run`` writes for the same rows read as one table called ``name`` (every table,
    chart and the report), and returns the finished :class:`topictide.Run`.

    1. :func:`learn` the state in passes; count every partition with it (:func:`partials`),
       and add the counts in Rust.
    2. The driver decides topics and trends with the code a plain run uses, between passes
       over the partitions (``topictide._native.report``). Each pass is a request (bytes,
       sent once as a broadcast) that ``mapInArrow`` answers on every partition from the
       partition read once by the Python worker (the state's segmentation and tokens, kept
       for the run), and ``treeReduce`` merges the answers in Rust.

    The partitions are the corpus in order: partition 0's rows first. The DataFrame is
    persisted for the run (and unpersisted after), so every pass reads the same rows in the
    same order. ``options`` and ``config`` are :func:`topictide.run`'s; the language must be
    named. ``on_pass`` is called after each pass with its name, seconds and the bytes that
    came back to the driver."""
    _columns(df, text, date, id, source=options.get("source", "source"))
    out = Path(out)
    df = df.persist(StorageLevel.MEMORY_AND_DISK)
    context = df.sparkSession.sparkContext
    shared = []

    def broadcast(value):
        shared.append(context.broadcast(value))
        return shared[-1]

    try:
        state = learn(df, text=text, date=date, id=id, config=config, on_pass=on_pass, **options)
        loaded = topictide.State(state)
        digest = loaded.digest
        state_bc = broadcast(state)
        started = time.perf_counter()
        counted = _rows(df.mapInArrow(count_batches(state_bc, digest), PARTIALS_DDL))
        counted = counted.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            merged = _reduce(counted, lambda a, b: topictide.merge([a, b]))
            sizes = dict(
                counted.map(lambda r: (r[0], topictide._native.partial_sizes(r[1]))).collect()
            )
        finally:
            counted.unpersist()
        rows = dict(df.select(id).mapInArrow(_row_counts, "partition int, rows long").collect())
        if on_pass is not None:
            on_pass("count", time.perf_counter() - started, len(merged))
        places = _places(sizes, rows, df.rdd.getNumPartitions())
        spec = broadcast((uuid.uuid4().hex, name, places))
        passes = itertools.count(1)

        def engine(request: bytes) -> bytes:
            started = time.perf_counter()
            asked = context.broadcast(request)
            try:
                answer = answer_batches(
                    spec, state_bc, digest, asked, hashlib.blake2b(request, digest_size=16).hexdigest()
                )
                answers = _rows(df.mapInArrow(answer, PARTIALS_DDL))
                merged = _reduce(answers, topictide._native.merge_answers)
            finally:
                asked.unpersist()
            if on_pass is not None:
                on_pass(f"pass {next(passes)}", time.perf_counter() - started, len(merged))
            return merged

        topictide._native.report(loaded, merged, engine, name, os.fspath(out))
    finally:
        for b in shared:
            b.unpersist()
        df.unpersist()
    return topictide.Run(out)
