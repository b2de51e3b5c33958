"""topictide on Ray: the whole run on a Ray Dataset, its passes answered by Ray actors.

    import ray, topictide.ray
    ds = ray.data.read_parquet("corpus.parquet")
    r = topictide.ray.run(ds, "out", name="corpus.parquet")

The passes are Spark's (:mod:`topictide.spark`), and so is every table they write: the state
learnt in passes over the shards, the counts, and the report's passes, each a request that every
shard answers, merged in Rust. What differs is where a shard lives between passes.

1. The Dataset's blocks, in order, are the shards (``to_arrow_refs``: Arrow tables), and each
   block goes, as an object reference, to one of a few Ray actors (one a CPU at most), which
   fetches it from the object store. The driver never holds the rows.
2. An actor keeps its shards for the whole run: the rows, then learning's read of them, then
   the Work counting starts from. Each pass is one call to every actor, which answers for all
   its shards at once, in one answer encoded once. A ``map_batches`` task (or its actor pool)
   keeps nothing from one execution of a Dataset to the next, so passes run as
   ``map_batches`` would read and cut the texts again in each of the 20-odd passes.
3. What every actor needs (the learning of the pass, the state, a request) is put in the object
   store once a pass, and an actor reads it once, by its digest.

A shard whose rows cannot be read sends its error back as data, and the driver raises it as the
package's exception, with the row numbered in the whole table, as the command line numbers it.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any, Callable, Optional, Union

import ray

import topictide
from topictide._shards import _columns, _guarded, _input_error, _places, _raise

__all__ = ["run"]


@ray.remote
class _Shards:
    """The shards one actor holds for a run, by their number: the rows, then what learning read
    of them, then the Work that counting starts from and every later pass answers from."""

    def __init__(self):
        self.tables: dict = {}
        self.reads: dict = {}
        self.works: dict = {}
        self.learnings: dict = {}
        self.state = None
        self.requests: dict = {}

    def _learning(self, digest: str, data) -> "topictide.Learning":
        if digest not in self.learnings:
            self.learnings.clear()
            self.learnings[digest] = topictide.Learning.from_bytes(data)
        return self.learnings[digest]

    def store(self, blocks: dict, digest: str, learning) -> dict:
        """Fetches each shard's block (shard → [a reference to its table]) and counts the
        lines pass over it: shard → (rows, summary, error)."""
        counted = {}
        for shard, (ref,) in sorted(blocks.items()):
            table = ray.get(ref)
            if not table.num_rows:
                counted[shard] = (0, None, None)
                continue
            self.tables[shard] = table
            _, summary, error = _guarded(
                shard,
                lambda: self._learning(digest, learning).count(
                    table, shard, name=f"partition {shard}"
                ),
            )
            counted[shard] = (table.num_rows, summary, error)
        return counted

    def lines_again(self, digest: str, learning, name: str, rows_before: dict, failed: set):
        """Counts the lines of the shards in ``failed`` again, their rows numbered in the
        whole table called ``name``: the error of the first, or None."""
        for shard in sorted(failed & set(self.tables)):
            _, _, error = _guarded(
                shard,
                lambda: self._learning(digest, learning).count(
                    self.tables[shard], shard, name=name, rows_before=rows_before[shard]
                ),
            )
            if error is not None:
                return error
        return None

    def learn(self, digest: str, learning, reading_digest: str, reading, name: str,
              rows_before: dict):
        """This learning pass over every shard held, in one summary (or its error). The first
        pass reads each shard with ``reading`` (a learning, by its digest) and keeps the read.
        (A learning travels as a top-level argument: Ray resolves only those.)"""

        def counted() -> bytes:
            for shard, table in sorted(self.tables.items()):
                if shard not in self.reads:
                    self.reads[shard] = self._learning(reading_digest, reading).read_kept(
                        table, shard, name=name, rows_before=rows_before[shard]
                    )
            reads = [self.reads[s] for s in sorted(self.reads)]
            return self._learning(digest, learning).count_kept(*reads)

        return self._answer(counted)

    def count(self, digest: str, state) -> tuple:
        """Reads every shard held for the run from learning's read (its documents and
        passages), and counts them: (shard → (documents, passages), one partial, error)."""

        def counted() -> tuple:
            if self.state is None or self.state[0] != digest:
                self.state = (digest, topictide.State(state))
            for shard in sorted(self.reads):
                self.works[shard] = topictide._native.Work.from_read(
                    self.state[1], self.reads.pop(shard)
                )
                del self.tables[shard]
            works = [self.works[s] for s in sorted(self.works)]
            sizes = {s: w.sizes for s, w in sorted(self.works.items())}
            return sizes, topictide._native.Work.count_all(works, self.state[1])

        _, result, error = _guarded(min(self.tables or self.reads or self.works), counted)
        return (None, None, error) if error else (*result, None)

    def place(self, places: dict) -> None:
        for shard, work in self.works.items():
            work.place(shard, *places[shard])

    def answer(self, digest: str, request) -> tuple:
        """Every shard's answer to the request, merged: (bytes, None) or (None, error)."""

        def answered() -> bytes:
            if digest not in self.requests:
                self.requests.clear()
                self.requests[digest] = topictide._native.Request(request)
            works = [self.works[s] for s in sorted(self.works)]
            return topictide._native.Work.answer_all(works, self.requests[digest])

        return self._answer(answered)

    def _answer(self, work) -> tuple:
        shards = sorted(self.tables) or sorted(self.works) or [0]
        _, result, error = _guarded(shards[0], work)
        return result, error


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _all(calls: list) -> list:
    """Every actor's (answer, error), in actor order, raising the first error."""
    answers = ray.get(calls)
    for _, error in answers:
        _raise(error)
    return [a for a, _ in answers]


def run(
    ds,
    out: Union[str, "os.PathLike[str]"],
    *,
    text: str = "text",
    date: str = "date",
    id: str = "id",
    name: str = "Dataset",
    config: Union[str, "os.PathLike[str]", None] = None,
    actors: Optional[int] = None,
    on_pass: Optional[Callable[[str, float, int], None]] = None,
    **options: Any,
) -> "topictide.Run":
    """The whole run on the Ray Dataset's corpus: writes into ``out`` what ``topictide run``
    writes for the same rows read as one table called ``name``, and returns the finished
    :class:`topictide.Run`. The Dataset's blocks, in order, are the corpus in order.
    ``actors`` (by default the cluster's CPUs, at most one a block) hold the shards.
    ``options`` and ``config`` are :func:`topictide.run`'s; the language must be named.
    ``on_pass`` is called after each pass with its name, its seconds and the bytes that came
    back to the driver."""
    _columns(ds.columns(), text, date, id, source=options.get("source", "source"))
    # The blocks as Arrow tables, in the Dataset's order whatever finishes first.
    execution = ds.context.execution_options
    kept, execution.preserve_order = execution.preserve_order, True
    try:
        blocks = ds.to_arrow_refs()
    finally:
        execution.preserve_order = kept
    if not blocks:
        raise _input_error("no documents", "give a Dataset with rows")
    cpus = int(ray.cluster_resources().get("CPU", 1))
    holders = [_Shards.remote() for _ in range(max(1, min(actors or cpus, len(blocks))))]
    held = [dict() for _ in holders]
    for shard, ref in enumerate(blocks):
        held[shard % len(holders)][shard] = [ref]
    out = Path(out)

    def timed(pass_name: str, started: float, answers: list) -> list:
        if on_pass is not None:
            size = sum(len(a) for a in answers if isinstance(a, (bytes, bytearray)))
            on_pass(pass_name, time.perf_counter() - started, size)
        return answers

    try:
        learning = topictide.Learning(config=config, text=text, date=date, id=id, **options)
        started = time.perf_counter()
        data = learning.to_bytes()
        shared, digest = ray.put(data), _digest(data)
        counted, holding = {}, []
        for holder, part in zip(holders, ray.get(
            [h.store.remote(b, digest, shared) for h, b in zip(holders, held)]
        )):
            counted.update(part)
            # An actor whose blocks are all empty answers nothing.
            (holding if any(rows for rows, _, _ in part.values()) else []).append(holder)
        for holder in set(holders) - set(holding):
            ray.kill(holder)
        holders = holding
        rows_before, before = {}, 0
        for shard in sorted(counted):
            rows_before[shard], before = before, before + counted[shard][0]
        failed = {s for s, (_, _, error) in counted.items() if error is not None}
        if failed:
            calls = [
                h.lines_again.remote(digest, shared, name, rows_before, failed) for h in holders
            ]
            for error in ray.get(calls):
                _raise(error)
            _raise(counted[min(failed)][2])
        if not before:
            raise _input_error("no documents", "give a Dataset with rows")
        summaries = [counted[s][1] for s in sorted(counted) if counted[s][0]]
        learning.decide(*summaries)
        timed("store", started, summaries)
        # Each shard is read once, with the furniture the lines decided, by the first pass.
        data = learning.to_bytes()
        reading_digest, reading = _digest(data), ray.put(data)
        while learning.pass_name is not None:
            started, pass_name = time.perf_counter(), learning.pass_name
            data = learning.to_bytes()
            shared, digest = ray.put(data), _digest(data)
            calls = [
                h.learn.remote(digest, shared, reading_digest, reading, name, rows_before)
                for h in holders
            ]
            summaries = timed(pass_name, started, _all(calls))
            learning.decide(*summaries)
        state = learning.state()
        loaded = topictide.State(state)
        started, shared = time.perf_counter(), ray.put(state)
        counts = ray.get([h.count.remote(loaded.digest, shared) for h in holders])
        sizes, partials = {}, []
        for part, partial, error in counts:
            _raise(error)
            sizes.update(part)
            partials.append(partial)
        timed("count", started, partials)
        places = _places(sizes)
        ray.get([h.place.remote(places) for h in holders])

        def engine(pass_name: str, request: bytes) -> list:
            started, shared = time.perf_counter(), ray.put(request)
            calls = [h.answer.remote(_digest(request), shared) for h in holders]
            return timed(pass_name, started, _all(calls))

        topictide._native.report(loaded, partials, engine, name, os.fspath(out))
    finally:
        for h in holders:
            ray.kill(h)
    return topictide.Run(out)

