"""What every engine's adapter shares (topictide.spark, topictide.ray): errors that travel as
data from a worker to the driver, and where each shard stands in the corpus."""

from __future__ import annotations

import json
from typing import Optional

import topictide

_ERROR_FIELDS = ("kind", "exit_code", "hint", "file", "line", "column")
_ERRORS = {
    "input": topictide.InputError,
    "config": topictide.ConfigError,
    "io": topictide.WriteError,
    "internal": topictide.InternalError,
}


def _input_error(message: str, hint: str, column: Optional[str] = None) -> Exception:
    """The package's InputError for a DataFrame (or a Dataset), as the command line words
    its errors."""
    e = topictide.InputError(f"DataFrame: {message}\n  hint: {hint}")
    e.kind, e.exit_code, e.file, e.line = "input", 3, "DataFrame", None
    e.column, e.hint = column, hint
    return e


def _columns(
    names: list, text: str, date: str, id: str, year: str = "year", source: str = "source"
) -> list:
    """The columns a pass reads, of a table's ``names``: id, date (or year), text, and the
    source when there is one (page furniture is counted per source)."""
    missing = [c for c in (id, text) if c not in names]
    if date not in names and year not in names:
        missing.append(f"{date} (or {year})")
    if missing:
        raise _input_error(
            f"no column {', '.join(missing)} (columns: {', '.join(names)})",
            "name the columns with text=, date= and id=",
            column=missing[0],
        )
    return [c for c in (id, date, year, source, text) if c in names]


def _guarded(partition: int, work) -> tuple:
    """(partition, what ``work()`` gives, None), or (partition, None, the error as JSON)."""
    try:
        return (partition, work(), None)
    except topictide.TopictideError as e:
        error = json.dumps({k: getattr(e, k, None) for k in _ERROR_FIELDS} | {"message": str(e)})
        return (partition, None, error)


def _raise(error: Optional[str]) -> None:
    """Raises a partition's error (JSON), as the exception the package raises for it."""
    if error is not None:
        fields = json.loads(error)
        e = _ERRORS.get(fields["kind"], topictide.TopictideError)(fields["message"])
        for k in _ERROR_FIELDS:
            setattr(e, k, fields.get(k))
        raise e


def _places(sizes: dict) -> dict:
    """Where each partition stands in the corpus, in partition order: (its first document,
    its first passage), from each partition's (documents, passages)."""
    places, documents, passages = {}, 0, 0
    for p in sorted(sizes):
        places[p] = (documents, passages)
        documents += sizes[p][0]
        passages += sizes[p][1]
    return places
