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

import contextlib
import hashlib
import json
import os
import socket
import sys
import time
import uuid
import zipimport
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple, Optional, Union

import pyarrow as pa
from pyspark import AccumulatorParam, StorageLevel

import topictide
from topictide._shards import _columns, _guarded, _input_error, _places, _raise

__all__ = [
    "run",
    "learn",
    "partials",
    "merge",
    "count_tables",
    "count_batches",
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
# The partitions this worker has stored (:func:`_store`), as Arrow tables, by (store,
# partition): the worker that stored a partition reads it from there, for learning and to count.
_TABLES: dict = {}
# The partitions this worker has read for learning, by (store, partition).
_READS: dict = {}
# The pass this worker has answered, and the task that carried its answer.
_ANSWERED: dict = {}


def _state(broadcast, digest: str) -> "topictide.State":
    state = _STATES.get(digest)
    if state is None:
        _STATES.clear()
        state = _STATES[digest] = topictide.State(broadcast.value)
    return state


def _learning(broadcast, digest: str) -> "topictide.Learning":
    learning = _LEARNINGS.get(digest)
    if learning is None:
        if len(_LEARNINGS) > 2:  # a pass reads with one learning and counts with another
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
    bytes). The partitions' rows are stored once (:func:`_store`), and the first pass (the
    lines of their texts) is counted as they are; then each partition is read once by a
    Python worker, which keeps what it read, and every later pass counts from that. Each pass sends the learning to the
    executors once, as a broadcast. ``on_pass``, if given, is called after each pass with its
    name, its seconds and the size in bytes of the summed summary the driver decided from."""
    source = options.get("source", "source")
    selected = df.select(*_columns(df.columns, text, date, id, source=source))
    learning = topictide.Learning(config=config, text=text, date=date, id=id, **options)
    stored = _store(selected, learning, on_pass)
    try:
        return _learn(stored, learning, on_pass)
    finally:
        stored.df.unpersist()


class _Stored(NamedTuple):
    """A DataFrame's partitions stored for the passes (:func:`_store`)."""

    #: Names what the workers keep of these partitions (``_TABLES``, ``_READS``, ``_WORKS``).
    id: str
    #: Rows of (partition, rows, Arrow IPC bytes), kept by Spark (in memory, or on disk).
    df: Any
    #: The rows of each partition that has any, by its number.
    rows: dict
    #: The rows of the partitions before each, by its number: a partition's rows are numbered
    #: in the whole table, called ``name``.
    rows_before: dict
    name: str
    #: The lines pass' summaries, of every partition.
    lines: list
    #: The RDD whose tasks reach the Python workers in a pass (:func:`_pass`).
    tasks: Any
    #: The Python worker that answers for each partition (it stored it, or read it since),
    #: by partition; each pass leaves it as it found them.
    owners: dict


def _store(df, learning, on_pass, name: str = "DataFrame") -> _Stored:
    """The DataFrame's partitions stored once for the passes, which never read the DataFrame
    again: ``mapInArrow`` turns each partition's rows into Arrow IPC chunks of 64 MB at most,
    kept by Spark as a cached DataFrame, and counts the lines pass of ``learning`` over them.
    The Python worker that stored a partition keeps its rows as an Arrow table too, and owns
    it: the passes ask it first (:func:`_pass`), in the same pool of workers
    (:func:`_one_pool`). Each partition's rows, lines summary (or error) and owner come back
    through an accumulator. A partition whose rows cannot be read raises its error here, as
    the package's exception."""
    session = df.sparkSession
    context = session.sparkContext
    started = time.perf_counter()
    store_id = uuid.uuid4().hex
    data = learning.to_bytes()
    shared, digest = context.broadcast(data), hashlib.blake2b(data, digest_size=16).hexdigest()
    found = context.accumulator({}, _Found())
    with _one_pool(session):
        stored = df.mapInArrow(_stored(shared, digest, store_id, found), STORED_DDL)
        stored = stored.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            stored.count()
        except BaseException:
            stored.unpersist()
            raise
        finally:
            shared.unpersist()
    partitions = sorted(found.value.items())
    rows = {p: n for p, (n, _, _, _) in partitions}
    rows_before, before = {}, 0
    for p, n in rows.items():
        rows_before[p], before = before, before + n
    owners = {p: worker for p, (_, _, _, worker) in partitions}
    # A pass runs as many tasks as there are cores: they start at once, so every Python worker
    # that keeps partitions is handed one while there are no more workers than cores.
    count = max(len(set(owners.values())), context.defaultParallelism)
    tasks = context.parallelize(range(count), count)
    kept = _Stored(store_id, stored, rows, rows_before, name, None, tasks, owners)
    try:
        failed = {p: error for p, (_, _, error, _) in partitions if error is not None}
        if failed:
            _raise_in_the_table(kept, learning, failed)
        summaries = [summary for _, (_, summary, _, _) in partitions]
        if not summaries:
            raise _input_error("no documents", "give a DataFrame with rows")
        lines = summaries
    except BaseException:
        stored.unpersist()
        raise
    if on_pass is not None:
        on_pass("store", time.perf_counter() - started, sum(rows.values()))
    return kept._replace(lines=lines)


def _raise_in_the_table(stored: _Stored, learning, failed: dict) -> None:
    """Raises the error of the first partition whose rows could not be read, with its rows
    numbered in the whole table called ``stored.name``, as the command line numbers a
    table's: storing could not number them (it did not know the rows before each partition
    yet), so the partitions in ``failed`` (partition → error) are counted again, with those
    numbers, by the workers that stored them."""
    context = stored.tasks.context
    data = learning.to_bytes()
    shared, digest = context.broadcast(data), hashlib.blake2b(data, digest_size=16).hexdigest()
    where, store_id = (stored.name, stored.rows_before, set(failed)), stored.id
    try:
        _pass(
            stored,
            f"{store_id}/rows",
            kept=lambda partition=None, owned=None: _stored_table(store_id, partition, owned),
            read=lambda chunks, partition: _table(chunks),
            answer=_lines_again(shared, digest, where),
            merge=lambda answers: b"",
        )
    finally:
        shared.unpersist()
    _raise(failed[min(failed)])  # if counting again found nothing wrong


def _lines_again(shared, digest: str, where: tuple):
    """Counts the lines of a partition that failed again (see :func:`_raise_in_the_table`)."""
    name, rows_before, failed = where

    def count(held: list) -> bytes:
        for partition, table in held:
            if partition in failed:
                _learning(shared, digest).count(
                    table, partition, name=name, rows_before=rows_before[partition]
                )
        return b""

    return count


@contextlib.contextmanager
def _one_pool(session):
    """Runs what runs inside in the pool of Python workers that runs the passes. Spark pools
    Python workers by their environment, and a SQL job's workers (``mapInArrow``) are told to
    simplify their tracebacks (``SPARK_SIMPLIFIED_TRACEBACK``) unless
    ``spark.sql.execution.pyspark.udf.simplifiedTraceback.enabled`` is off; the passes
    (``mapPartitions`` over an RDD) are not. Off for the job that stores the partitions, so
    the workers that store them answer for them afterwards. Where the pools still differ,
    nothing is wrong: the first pass reads every partition again from the stored rows."""
    key = "spark.sql.execution.pyspark.udf.simplifiedTraceback.enabled"
    before = session.conf.get(key, None)
    session.conf.set(key, "false")
    try:
        yield
    finally:
        if before is None:
            session.conf.unset(key)
        else:
            session.conf.set(key, before)


class _Found(AccumulatorParam):
    """What a job found in each partition, by partition: storing (:func:`_stored`) and
    counting (:func:`_counter_of`) tell the driver through it."""

    def zero(self, value: dict) -> dict:
        return {}

    def addInPlace(self, a: dict, b: dict) -> dict:
        a.update(b)
        return a


def _stored(shared, digest: str, store_id: str, found):
    """The function ``mapInArrow`` runs to store a partition (:func:`_store`): its rows as
    Arrow IPC streams of up to 64 MB, each a row (schema :data:`STORED`) with the
    partition's number and its number of rows. The worker keeps the rows as a table
    (``_TABLES``), and adds the partition's rows, its lines summary (or the error that
    stopped it) and itself into ``found``."""

    def store(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from pyspark import TaskContext

        _steady_zip_imports()
        partition = TaskContext.get().partitionId()
        batches = [b for b in batches if b.num_rows]
        if not batches:
            return
        name = f"partition {partition}"
        table = pa.Table.from_batches(batches)
        _, summary, error = _guarded(
            partition, lambda: _learning(shared, digest).count(table, partition, name=name)
        )
        _keep_table(store_id, partition, table)
        group: list = []
        for batch in batches:
            group.append(batch)
            if sum(b.nbytes for b in group) >= 64 << 20:
                yield _stored_row(partition, group)
                group = []
        if group:
            yield _stored_row(partition, group)
        found.add({partition: (table.num_rows, summary, error, _worker())})

    return store


def _stored_row(partition: int, group: list) -> pa.RecordBatch:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, group[0].schema) as writer:
        for b in group:
            writer.write_batch(b)
    rows = sum(b.num_rows for b in group)
    return pa.RecordBatch.from_pydict(
        {"partition": [partition], "rows": [rows], "ipc": [sink.getvalue().to_pybytes()]},
        schema=STORED,
    )


def _table(chunks: list) -> pa.Table:
    """A partition's rows from its Arrow IPC chunks."""
    return pa.Table.from_batches([b for c in chunks for b in pa.ipc.open_stream(c)])


def _learn(stored: _Stored, learning, on_pass) -> bytes:
    """Learning the state in passes over the stored partitions (:func:`learn`), from the
    lines summary they were stored with."""
    context = stored.tasks.context

    def broadcast():
        data = learning.to_bytes()
        return context.broadcast(data), hashlib.blake2b(data, digest_size=16).hexdigest()

    def decide(summaries: list, name: str, started: float) -> None:
        learning.decide(*summaries)
        if on_pass is not None:
            on_pass(name, time.perf_counter() - started, sum(map(len, summaries)))

    decide(stored.lines, learning.pass_name, time.perf_counter())
    # Each partition is read once, with the furniture the lines decided, by the first pass
    # that finds it unread (from the rows its owner stored, or from Spark's); the broadcast
    # stays for a partition read again.
    reading, reading_digest = broadcast()
    try:
        while learning.pass_name is not None:
            started, name = time.perf_counter(), learning.pass_name
            shared, digest = broadcast()
            summaries = _pass(
                stored,
                f"{stored.id}/{digest}",
                kept=_kept_reads(stored, reading, reading_digest),
                read=_reader(stored, reading, reading_digest),
                answer=_counter(shared, digest),
                merge=_learning_merge(shared, digest),
            )
            decide(summaries, name, started)
            shared.unpersist()
    finally:
        reading.unpersist()
    return learning.state()


def _learning_merge(shared, digest: str):
    """The sum of summaries of a pass, in Rust (sent with the pass' job: no driver object)."""
    return lambda summaries: _learning(shared, digest).merge(*summaries)


def _kept_reads(stored: _Stored, reading, reading_digest: str):
    """A partition as this worker read it for learning, if it has, or read now from the rows
    it stored, if it did (``reading`` and its digest: the learning to read it with); called
    with ``owned`` (a set of partitions), it forgets the others and gives None."""
    where = (stored.id, stored.name, stored.rows_before)
    return lambda partition=None, owned=None: _kept_read(
        where, partition, owned, reading, reading_digest
    )


def _reader(stored: _Stored, reading, reading_digest: str):
    """Reads a partition from Spark's stored rows for learning, and keeps it."""
    where = (stored.id, stored.name, stored.rows_before)
    return lambda chunks, partition: _read_learning(
        where, reading, reading_digest, _table(chunks), partition
    )


def _counter(shared, digest: str):
    """Counts a learning pass over a partition read and kept."""
    return lambda held: _learning(shared, digest).count_kept(*[read for _, read in held])


def _pass(stored: _Stored, pass_id: str, *, kept, read, answer, merge) -> list:
    """A pass over the partitions that Python workers keep read: the answers, each of some
    partitions (every partition once), whose merge is the pass' answer; ``merge`` merges a
    list of them in Rust once :data:`_ADDED_AT_ONCE` have come (:func:`_added`), and the
    caller merges the rest where it reads them, without writing their merge.

    A Python worker is handed tasks by Spark in no order of ours, so a partition is answered
    by the worker that owns it: ``stored.owners`` (partition → worker, from the pass before)
    goes with the job over ``stored.tasks``, and the first of its tasks that a worker is handed
    answers for every partition it owns at once (``answer([(partition, kept(partition)),
    …])``, one answer for them all, merged in Rust); its other tasks give nothing. Each partition is answered once: the driver refuses answers that
    cover a partition twice. Then ``runJob`` on the stored partitions that no worker
    answered, which are read (``read(chunks, partition)``, which keeps them) unless the
    worker keeps them already, and answered. ``stored.owners`` is left as this pass found
    them; ``pass_id`` names the pass."""

    def from_stored(rows) -> list:
        _steady_zip_imports()
        rows = [r for r in rows if r.rows > 0]
        if not rows:
            return []
        partition, chunks = rows[0].partition, [r.ipc for r in rows]

        def work():
            k = kept(partition)
            return answer([(partition, read(chunks, partition) if k is None else k)])

        p, result, error = _guarded(partition, work)
        return [(p, ((p, _worker()),), [] if result is None else [result], error)]

    answers, covered = [], {}
    if stored.owners:
        run = _over_tasks(dict(stored.owners), pass_id, kept, answer)
        answers, covered = _answers(stored.tasks.mapPartitionsWithIndex(run), merge)
    missed = [p for p, n in sorted(stored.rows.items()) if n and p not in covered]
    context = stored.tasks.context
    for _, answered, more, error in context.runJob(stored.df.rdd, from_stored, missed) if missed else []:
        _raise(error)
        covered.update(answered)
        answers = _added(answers + more, merge)
    stored.owners.clear()
    stored.owners.update(covered)
    return answers


def _over_tasks(owners: dict, pass_id: str, kept, answer):
    """The function a pass' tasks run (:func:`_pass`): from the first task a worker
    is handed (or that task run again), (task, ((partition, worker), …), [the answer of
    the partitions it owns and keeps], None), or its error; nothing from its other tasks, or
    when it owns none."""

    def run(task: int, rows) -> Iterator[tuple]:
        _steady_zip_imports()
        # Read to the end: a worker whose input is left unread is not used again.
        for _ in rows:
            pass
        if not _answering(pass_id, task):
            return
        me = _worker()
        owned = sorted(p for p, w in owners.items() if w == me)
        kept(owned=set(owned))
        answered: list = []

        def work():
            # Keeping a partition may mean reading it now, which may fail on its rows. The
            # partitions it keeps are answered at once, in one answer.
            held = [(p, k) for p in owned if (k := kept(p)) is not None]
            answered.extend((p, me) for p, _ in held)
            return answer(held) if held else None

        if owned:
            _, result, error = _guarded(owned[0], work)
            if answered or error is not None:
                yield (task, tuple(answered), [] if result is None else [result], error)

    return run


def _answering(pass_id: str, task: int) -> bool:
    """Whether this worker answers the pass in this task: in the first of the pass' tasks it
    is handed, and in that task run again (its answer was lost with it), never in another."""
    carried = _ANSWERED.get(pass_id)
    if carried is None:
        _ANSWERED.clear()
        _ANSWERED[pass_id] = carried = task
    return carried == task


def _worker() -> str:
    """This Python worker, among every executor's."""
    return f"{socket.gethostname()}/{os.getpid()}"


def _steady_zip_imports() -> None:
    """Before Python 3.12, ``importlib.invalidate_caches()`` reads the directory of every zip
    archive imported from again, and PySpark's worker calls it before each task: with
    ``pyspark.zip`` and py4j's on the workers' path, 94 ms of every task here, some 9 s of the
    workers' time in a run on UNGD. In a worker, an archive is read again only when it has
    changed on disk, as Python 3.12 does (python/cpython#103200)."""
    if sys.version_info >= (3, 12) or getattr(zipimport.zipimporter, "_steady", False):
        return
    read_again = zipimport.zipimporter.invalidate_caches

    def invalidate_caches(self) -> None:
        try:
            stat = os.stat(self.archive)
            seen = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            seen = None
        if seen is None or getattr(self, "_seen", None) != seen:
            read_again(self)
            self._seen = seen

    zipimport.zipimporter.invalidate_caches = invalidate_caches
    zipimport.zipimporter._steady = True


# The closures Spark sends are pickled by value, with copies of the globals they name: the
# worker's caches are reached through functions of the module, which are pickled by reference.
def _kept_read(where: tuple, partition: Optional[int], owned: Optional[set], reading,
               reading_digest: str):
    """The partition as this worker read it for learning, or read now from the rows it stored
    (see :func:`_kept_reads`)."""
    store_id = where[0]
    if owned is not None:
        _kept(_TABLES, store_id, None, owned)
        return _kept(_READS, store_id, None, owned)
    read = _READS.get((store_id, partition))
    if read is None and (table := _TABLES.get((store_id, partition))) is not None:
        read = _read_learning(where, reading, reading_digest, table, partition)
    return read


def _stored_table(store_id: str, partition: Optional[int], owned: Optional[set]):
    """The rows this worker stored of the partition, if it did (see :func:`_kept`)."""
    return _kept(_TABLES, store_id, partition, owned)


def _keep_table(store_id: str, partition: int, table) -> None:
    _keep(_TABLES, store_id, partition, table)


def _read_learning(where: tuple, reading, reading_digest: str, table, partition: int):
    """Reads a partition's rows for learning with ``reading``, and keeps what it read, with
    the documents and passages that counting starts from (``where``: the store, the table's
    name and the rows before each partition, which number the rows as the whole table's)."""
    store_id, name, rows_before = where
    learning = _learning(reading, reading_digest)
    read = learning.read_kept(table, partition, name=name, rows_before=rows_before[partition])
    _keep(_READS, store_id, partition, read)
    return read


def _kept(cache: dict, run_id: str, partition: Optional[int], owned: Optional[set]):
    """The partition as this worker keeps it in ``cache`` for ``run_id``, if it does; with
    ``owned``, forgets every partition of the cache but those, and gives None."""
    if owned is not None:
        for key in [k for k in cache if k[0] != run_id or k[1] not in owned]:
            del cache[key]
        return None
    return cache.get((run_id, partition))


def _keep(cache: dict, run_id: str, partition: int, kept) -> None:
    for key in [k for k in cache if k[0] != run_id]:
        del cache[key]
    cache[(run_id, partition)] = kept


def _per_partition(work):
    """The function ``mapInArrow`` runs: a partition's Arrow batches → one row (schema
    :data:`PARTIALS`): the partition's number and what ``work(table, partition)`` gives for
    them, or, when its documents cannot be read, the error as data (retrying a task cannot
    mend its input), which the driver raises."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _steady_zip_imports()
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
    columns = _columns(df.columns, text, date, id, source=source)
    digest = topictide.State(state).digest
    broadcast = df.sparkSession.sparkContext.broadcast(state)
    return df.select(*columns).mapInArrow(count_batches(broadcast, digest), PARTIALS_DDL)


# Partials are added this many at a time: each addition reads its partials and writes one,
# and the writing costs as much as a reading (about 0.3 s for a quarter of UNGD).
_ADDED_AT_ONCE = 16


def _combine(a: tuple, b: tuple) -> tuple:
    """Combines (partition, [partial bytes…], error) of two sets of partitions: their partials,
    added in Rust once there are :data:`_ADDED_AT_ONCE` of them, or the error of the lowest
    partition that failed (associative and commutative, so any tree gives it)."""
    failed = [x for x in (a, b) if x[2] is not None]
    if failed:
        return min(failed, key=lambda x: x[0])
    partials = a[1] + b[1]
    if len(partials) >= _ADDED_AT_ONCE:
        partials = [topictide.merge(partials)]
    return (min(a[0], b[0]), partials, None)


def _rows(rows_df):
    """The (partition, bytes, error) tuples of a DataFrame of :data:`PARTIALS` rows."""
    return rows_df.rdd.map(
        lambda row: (row.partition, None if row.partial is None else bytes(row.partial), row.error)
    )


def _reduce(rows) -> bytes:
    """Every partition's partial counts (an RDD of (partition, Parquet bytes, error)) added in
    Rust (:func:`_combine`), as a tree over the executors and then on the driver. A partition
    that failed raises its error here, as the exception the package raises for it
    (:class:`topictide.InputError` for a bad row)."""
    lifted = rows.map(lambda r: (r[0], [] if r[1] is None else [r[1]], r[2]))
    try:
        _, partials, error = lifted.treeReduce(_combine)
    except ValueError as e:
        if "empty" not in str(e):
            raise
        raise _input_error("no documents", "give a DataFrame with rows") from None
    _raise(error)
    return partials[0] if len(partials) == 1 else topictide.merge(partials)


def merge(partials_df) -> bytes:
    """Step 3: every partition's partial counts added in Rust, as a tree over the executors.
    A partition that could not be counted raises its error here, as the exception the
    package raises for it (:class:`topictide.InputError` for a bad row)."""
    return _reduce(_rows(partials_df))


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


# The closures Spark sends are pickled by value, with copies of the globals they name: the
# worker's caches are reached through functions of the module, which are pickled by reference.
def _held(spec, state, digest: str, partition: Optional[int], owned: Optional[set]):
    """The partition as this worker read it for the run, if it has; or read now from what
    it read of it for learning (its documents and passages), or from the rows it stored, if
    it did (see :func:`_kept`)."""
    store_id = spec.value[0]
    if owned is not None:
        _kept(_TABLES, store_id, None, owned)
        _kept(_READS, store_id, None, owned)
        return _kept(_WORKS, store_id, None, owned)
    work = _WORKS.get((store_id, partition))
    if work is None:
        read = _READS.pop((store_id, partition), None)
        table = _TABLES.pop((store_id, partition), None)
        if read is not None:
            work = topictide._native.Work.from_read(_state(state, digest), read)
            _keep(_WORKS, store_id, partition, work)
        elif table is not None:
            work = _read(spec, state, digest, table, partition)
    return work


def _read(spec, state, digest: str, table, partition: int) -> "topictide._native.Work":
    """Reads the partition (its rows as an Arrow table) for the run, and keeps it."""
    store_id, name, rows_before = spec.value
    _READS.pop((store_id, partition), None)  # learning is over
    work = topictide._native.Work(_state(state, digest), table, rows_before[partition], name)
    _keep(_WORKS, store_id, partition, work)
    return work


def _request(request, digest: str) -> "topictide._native.Request":
    """The request a broadcast holds, read once by this worker."""
    asked = _REQUESTS.get(digest)
    if asked is None:
        _REQUESTS.clear()
        asked = _REQUESTS[digest] = topictide._native.Request(request.value)
    return asked


STORED = pa.schema(
    [
        pa.field("partition", pa.int32(), nullable=False),
        pa.field("rows", pa.int64(), nullable=False),
        pa.field("ipc", pa.binary(), nullable=False),
    ]
)
STORED_DDL = "partition int, rows long, ipc binary"


def _counter_of(state, digest: str, sizes):
    """Counts a partition read for the run: its partial counts as Parquet bytes; adds its
    (documents, passages) into ``sizes``."""

    def count(held: list) -> bytes:
        partial = topictide._native.Work.count_all([w for _, w in held], _state(state, digest))
        sizes.add({partition: work.sizes for partition, work in held})
        return partial

    return count


def _answerer(spec, places, request, request_digest: str):
    """Answers the request a broadcast holds from a partition's Work, placed first."""

    def answer(held: list) -> bytes:
        for partition, work in held:
            work.place(partition, *places.value[partition])
        works = [work for _, work in held]
        return topictide._native.Work.answer_all(works, _request(request, request_digest))

    return answer


def _answers(rows, merge) -> tuple:
    """The answers of a pass' tasks (an RDD of (task, ((partition, worker), …),
    [answer], error)), on the driver (a row a worker that answered): (the answers, merged by
    ``merge`` once :data:`_ADDED_AT_ONCE` have come, the worker that answered each
    partition). A partition answered twice is refused, and an error raised as the package's
    exception."""

    def combine(a: tuple, b: tuple) -> tuple:
        failed = [x for x in (a, b) if x[3] is not None]
        if failed:
            return min(failed, key=lambda x: x[0])
        twice = {p for p, _ in a[1]} & {p for p, _ in b[1]}
        if twice:
            error = {"kind": "internal", "exit_code": 1, "message": (
                f"partitions {sorted(twice)} were answered twice in one pass")}
            return (min(a[0], b[0]), (), [], json.dumps(error))
        return (min(a[0], b[0]), a[1] + b[1], _added(a[2] + b[2], merge), None)

    try:
        # Only the workers that answered give a row: no tree of stages.
        _, answered, answers, error = rows.treeReduce(combine, depth=1)
    except ValueError as e:
        if "empty" not in str(e):
            raise
        return [], {}
    _raise(error)
    return answers, dict(answered)


def _added(answers: list, merge) -> list:
    """The answers, merged into one by ``merge`` (in Rust) once there are
    :data:`_ADDED_AT_ONCE` of them: the driver holds a bounded number at a time."""
    return [merge(answers)] if len(answers) >= _ADDED_AT_ONCE else answers


def _engine(stored: _Stored, spec, places, state, digest: str, on_pass):
    """The engine ``topictide._native.report`` runs its passes with: (the pass' name, its
    request's bytes) → the answers' bytes, by :func:`_pass`. The request is a broadcast.
    Each partition is answered by the Python worker that owns it (``stored.owners``, from
    counting, then from each pass), and those that no worker answered are read again from
    the stored rows. The answers merge in Rust, where the report reads them."""
    context = stored.tasks.context

    def run(name: str, request: bytes) -> bytes:
        started = time.perf_counter()
        asked = context.broadcast(request)
        request_digest = hashlib.blake2b(request, digest_size=16).hexdigest()
        try:
            merged = _pass(
                stored,
                f"{spec.value[0]}/{request_digest}",
                kept=lambda partition=None, owned=None: _held(spec, state, digest, partition, owned),
                read=lambda chunks, partition: _read(spec, state, digest, _table(chunks), partition),
                answer=_answerer(spec, places, asked, request_digest),
                merge=lambda answers: topictide._native.merge_answers(*answers),
            )
        finally:
            asked.unpersist()
        if on_pass is not None:
            on_pass(name, time.perf_counter() - started, sum(map(len, merged)))
        return merged

    return run


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

    1. Each partition's rows are stored as Arrow IPC bytes (kept by Spark, in memory or on
       disk), and the first learning pass is counted over them (:func:`_store`); the
       DataFrame is no longer read.
    2. :func:`learn` the state in passes over the partitions.
    3. Each partition is read with the state by a Python worker, which keeps it for the run
       (it owns it), and counted; the counts add up in Rust, and place every partition in
       the corpus.
    4. The driver decides topics and trends with the code a plain run uses
       (``topictide._native.report``), between passes over the partitions. A pass is a
       request (bytes, sent once as a broadcast) that each worker answers for the partitions
       it owns (:func:`_pass`); a partition no worker answered is read again from its stored
       rows. The answers merge in Rust, and the driver writes the report.

    The partitions are the corpus in order: partition 0's rows first. ``options`` and
    ``config`` are :func:`topictide.run`'s; the language must be named. ``on_pass`` is called
    after each pass with its name, its seconds and the bytes that came back to the driver."""
    _columns(df.columns, text, date, id, source=options.get("source", "source"))
    out = Path(out)
    context = df.sparkSession.sparkContext
    shared: list = []
    stored = None

    def broadcast(value):
        shared.append(context.broadcast(value))
        return shared[-1]

    try:
        learning = topictide.Learning(config=config, text=text, date=date, id=id, **options)
        stored = _store(df, learning, on_pass, name)
        state = _learn(stored, learning, on_pass)
        loaded = topictide.State(state)
        digest = loaded.digest
        state_bc = broadcast(state)
        started = time.perf_counter()
        spec = broadcast((stored.id, name, stored.rows_before))
        sizes = context.accumulator({}, _Found())
        # Counting is the first pass with the state: each partition's owner reads it for the
        # run and keeps what it read (a Work) for the passes after.
        partials = _pass(
            stored,
            f"{stored.id}/count",
            kept=lambda partition=None, owned=None: _held(spec, state_bc, digest, partition, owned),
            read=lambda chunks, partition: _read(spec, state_bc, digest, _table(chunks), partition),
            answer=_counter_of(state_bc, digest, sizes),
            merge=topictide.merge,
        )
        if on_pass is not None:
            on_pass("count", time.perf_counter() - started, sum(map(len, partials)))
        places = broadcast(_places(sizes.value))
        engine = _engine(stored, spec, places, state_bc, digest, on_pass)
        topictide._native.report(loaded, partials, engine, name, os.fspath(out))
    finally:
        for b in shared:
            b.unpersist()
        if stored is not None:
            stored.df.unpersist()
    return topictide.Run(out)
