"""Validating many documents, in order, with bounded memory: locally or on a Dask cluster.

``validate_many(sources, client=None, **validate_options)`` yields one ``Report`` per
source, in input order, each what ``validate(source, **validate_options)`` gives. The
sources (an iterable, consumed lazily: a million of them never sit in memory) are bytes,
paths or fsspec URLs, read where they are validated (:mod:`.chunks`). They go out in
chunks of ``chunk_size`` (enough documents to amortise the cost of a task), at most
``max_in_flight`` chunks at a time (default: two per process or Dask thread), and the
reports come back chunk by chunk. The rule set is resolved and the date fixed once,
before any document is read, so every report follows the same rules; an unknown rule set
raises ``ValueError`` and an uncompilable user rule file ``SchematronError`` at the call.
A source that cannot be read raises its ``OSError`` when its turn comes, after the
reports before it.

Where the documents are validated:

* ``client`` a ``dask.distributed.Client`` (the ``dask`` extra): on that cluster
  (:mod:`.cluster`); a worker plugin compiles the rules once per worker, and a worker
  that dies has its chunks run again elsewhere by the scheduler;
* otherwise ``jobs`` local processes (default: one per core), spawned and warmed once
  like those of ``validate --jobs``; ``jobs=1`` validates in this process.

``run_on_scheduler`` is ``validate --scheduler``: a CLI batch on a cluster.
"""

from __future__ import annotations

import datetime as dt
import inspect
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from ..catalogue import AUTO, default_ruleset, select
from ..errors import PeppolUblError
from ..validation.api import validate
from ..validation.report import Report
from ..validation.schematron import compile_schematron
from .chunks import Source, Unreadable, is_url, validate_chunk, warm
from .runner import Batch, Expectation, Input, Outcome, Progress

__all__ = ["DEFAULT_CHUNK_SIZE", "ExtraMissing", "run_on_scheduler", "validate_many"]

DEFAULT_CHUNK_SIZE = 16
"""Documents per task: a warm validation takes milliseconds, a task's round trip about one."""
_CHUNK_BYTES = 8 * 1024 * 1024
"""A chunk of bytes sources is cut short once it holds this much."""

Result = Report | Unreadable


class ExtraMissing(PeppolUblError):
    """An optional dependency the call needs is not installed (the message names the extra)."""


class _Pending(Protocol):
    def result(self) -> list[Result]: ...

    def cancel(self) -> bool: ...


class _Engine(Protocol):
    window: int

    def submit(self, chunk: list[Source]) -> _Pending: ...

    def close(self) -> None: ...


def validate_many(
    sources: Iterable[Source],
    *,
    client: Any = None,
    jobs: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_in_flight: int | None = None,
    **validate_options: Any,
) -> Iterator[Report]:
    """One report per source, in order (see the module docstring)."""
    options = _options(validate_options)
    if chunk_size < 1 or (max_in_flight is not None and max_in_flight < 1) or (jobs is not None and jobs < 1):
        raise ValueError("chunk_size, max_in_flight and jobs must be at least 1")
    return _raising(_results(iter(sources), client, jobs, chunk_size, max_in_flight, options))


def run_on_scheduler(
    inputs: Sequence[Input],
    address: str,
    *,
    ruleset: str | None = None,
    on: dt.date | None = None,
    compare_next: bool = False,
    user_rules: Sequence[Path] = (),
    expectation: Expectation | None = None,
    progress: Progress | None = None,
) -> Batch:
    """Validate a CLI batch on the Dask cluster whose scheduler is at ``address``.

    Files are read by the workers (local paths are made absolute: give paths the workers
    share, or URLs); standard input is sent as bytes. A file the workers cannot read is
    an unusable outcome, as in a local run.
    """
    try:
        from distributed import Client
    except ImportError as exc:
        raise ExtraMissing("--scheduler needs the dask extra: pip install 'peppol-ubl[dask]'") from exc
    options = _options({"ruleset": ruleset, "on": on, "compare_next": compare_next, "user_rules": user_rules})
    selection = None if options["ruleset"] == AUTO else select(options["ruleset"], options["on"])
    sources = [item.data if item.data is not None else _shared(item.name) for item in inputs]
    outcomes = []
    with Client(address) as client:  # type: ignore[no-untyped-call]
        for item, result in zip(inputs, _results(iter(sources), client, None, DEFAULT_CHUNK_SIZE, None, options),
                                strict=True):
            outcomes.append(Outcome(item.name, None, result.error.strerror or str(result.error))
                            if isinstance(result, Unreadable) else Outcome(item.name, result))
            if progress:
                progress(len(outcomes), len(inputs))
    return Batch(selection.ruleset.name if selection else AUTO, selection.ruleset.version if selection else None,
                 tuple(outcomes), expectation, tuple(map(str, user_rules)))


def _shared(name: str) -> str:
    """A name the workers can open: a URL as it is, a local path made absolute."""
    return name if is_url(name) else str(Path(name).resolve())


_VALIDATE_OPTIONS = frozenset(inspect.signature(validate).parameters) - {"source"}


def _options(given: dict[str, Any]) -> dict[str, Any]:
    """The options of every ``validate`` call: the rule set checked, the date fixed, the
    user's rule files made absolute and compiled once here (so they fail at the call)."""
    unknown = sorted(set(given) - _VALIDATE_OPTIONS)
    if unknown:
        raise TypeError(f"validate() takes no option {', '.join(unknown)}")
    spec = given.get("ruleset") or default_ruleset()
    day = given.get("on") or dt.date.today()
    if spec != AUTO:
        select(spec, day)  # an unknown spec raises here, before any document is read
    rules = tuple(Path(path).resolve() for path in given.get("user_rules", ()))
    for path in rules:
        compile_schematron(path)
    return {**given, "ruleset": spec, "on": day, "user_rules": rules}


def _raising(results: Iterator[Result]) -> Iterator[Report]:
    for result in results:
        if isinstance(result, Unreadable):
            raise result.error
        yield result


def _chunks(sources: Iterator[Source], size: int) -> Iterator[list[Source]]:
    """Lists of up to ``size`` sources, cut short when their bytes pass ``_CHUNK_BYTES``."""
    while True:
        chunk: list[Source] = []
        held = 0
        for source in islice(sources, size):
            chunk.append(source)
            held += len(source) if isinstance(source, bytes) else 0
            if held >= _CHUNK_BYTES:
                break
        if not chunk:
            return
        yield chunk


def _results(sources: Iterator[Source], client: Any, jobs: int | None, chunk_size: int,
             max_in_flight: int | None, options: dict[str, Any]) -> Iterator[Result]:
    chunks = _chunks(sources, chunk_size)
    engine: _Engine
    if client is not None:
        try:
            from .cluster import ClusterEngine
        except ImportError as exc:
            raise ExtraMissing("a Dask client needs the dask extra: pip install 'peppol-ubl[dask]'") from exc
        engine = ClusterEngine(client, options)
    elif (jobs or os.cpu_count() or 1) == 1:
        for chunk in chunks:
            yield from validate_chunk(chunk, options)
        return
    else:
        engine = _LocalEngine(jobs or os.cpu_count() or 1, options)
    window = max_in_flight or engine.window
    pending: deque[_Pending] = deque()
    try:
        for chunk in chunks:
            pending.append(engine.submit(chunk))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        for left in pending:  # the caller stopped early, or a result raised
            left.cancel()
        engine.close()


class _LocalEngine:
    """Chunks in a pool of spawned processes, each warmed once (as for ``validate --jobs``)."""

    def __init__(self, jobs: int, options: dict[str, Any]) -> None:
        # spawn, not fork: a forked child would inherit the parent's Saxon runtime half-initialised
        self._pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=warm, initargs=(options,))
        self._options = options
        self.window = 2 * jobs

    def submit(self, chunk: list[Source]) -> _Pending:
        return self._pool.submit(validate_chunk, chunk, self._options)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)
