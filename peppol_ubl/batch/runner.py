"""Batches: the documents of one validation run, what became of each, and the summary.

A run validates files (or standard input) against one rule set, optionally with a
user's own Schematron files added, and records one ``Outcome`` per document:

* ``valid``: a report without a fatal finding;
* ``invalid``: a report with at least one fatal finding from a validation layer;
* ``unusable``: the document could not be used: the file is missing, unreadable or not
  a regular file (no report; ``error`` says why), or the input layer refused it (bytes
  that are not XML, a DOCTYPE, a root that is no UBL document …: the report is kept,
  with its ``PU-INPUT-…`` finding, and ``error`` repeats that finding).

A run may expect every document to be ``valid`` or ``invalid`` (regression runs over a
folder); an unusable document never meets an expectation. ``run_batch`` validates in
this process or in a pool of processes that each compile the XSD and the Schematron
stylesheets once, in the pool initializer; ``jobs="auto"`` (the default) picks the
number from the size of the batch (:func:`auto_jobs`). Outcomes are handed to
``each`` in input order as they are ready, so a front end can stream them. The output
formats (:mod:`peppol_ubl.batch.formats`: text, JSON, JUnit, SARIF) each write a
``Batch``.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import signal
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any, Literal

from ..catalogue import AUTO, default_ruleset, select
from ..files import kind_of
from ..findings import Finding
from ..validation.api import validate
from ..validation.report import Report
from ..validation.schematron import compile_schematron, run_schematron
from ..xml.namespaces import INVOICE

__all__ = [
    "STDIN",
    "Batch",
    "Expectation",
    "Input",
    "Outcome",
    "RunOptions",
    "Status",
    "auto_jobs",
    "expand_inputs",
    "run_batch",
    "validate_one",
]

Status = Literal["valid", "invalid", "unusable"]
Expectation = Literal["valid", "invalid"]
Jobs = int | Literal["auto"]
Each = Callable[["Outcome"], None]
Progress = Callable[[int, int], None]
"""``(done, total)``: the progress callback of the remote runners (``remote``, ``many``)."""

STDIN = "-"
DEFAULT_GLOB = "*.xml"
# The smallest document the input layer accepts: enough to make a worker compile the
# XSD and every stylesheet of a rule set before the first real document arrives.
_WARM_UP = f'<Invoice xmlns="{INVOICE}"/>'.encode()
POOL_FROM_BYTES = 3_000_000
"""The total input size from which ``jobs="auto"`` starts a pool (see :func:`auto_jobs`)."""


@dataclass(frozen=True, slots=True)
class Input:
    """One document to validate: a file name, or ``-`` with the bytes read from stdin."""

    name: str
    data: bytes | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of one document: its report, or why there is none."""

    file: str
    report: Report | None
    error: str | None = None
    """Why the document is unusable; for one the input layer refused, its ``PU-INPUT-…``
    finding (filled in when not given)."""

    def __post_init__(self) -> None:
        refused = _refused(self.report) if self.report is not None and self.error is None else None
        if refused is not None:
            object.__setattr__(self, "error", f"{refused.rule_id}: {refused.message}")

    @property
    def status(self) -> Status:
        """``valid``, ``invalid`` or ``unusable`` (see the module docstring)."""
        if self.report is None or _refused(self.report) is not None:
            return "unusable"
        return "valid" if self.report.ok else "invalid"

    def meets(self, expectation: Expectation) -> bool:
        """Whether this document turned out as expected."""
        return self.status == expectation


@dataclass(frozen=True)
class Batch:
    """The outcomes of one run, in the order the documents were given."""

    ruleset: str
    ruleset_version: str | None
    """The version every document ran; ``None`` for ``auto``, where each report says."""
    outcomes: tuple[Outcome, ...]
    expectation: Expectation | None = None
    user_rules: tuple[str, ...] = ()

    def count(self, status: Status) -> int:
        """How many documents ended with ``status``."""
        return sum(outcome.status == status for outcome in self.outcomes)

    @property
    def unmet(self) -> list[Outcome]:
        """The documents that did not meet the expectation (none without one)."""
        if self.expectation is None:
            return []
        return [outcome for outcome in self.outcomes if not outcome.meets(self.expectation)]

    def summary(self) -> dict[str, Any]:
        """Counts per status, the expectation and the files that did not meet it."""
        return {
            "documents": len(self.outcomes),
            "valid": self.count("valid"),
            "invalid": self.count("invalid"),
            "unusable": self.count("unusable"),
            "expectation": self.expectation,
            "unmet": [outcome.file for outcome in self.unmet],
        }

    def summary_line(self) -> str:
        """``9 documents: 8 valid, 1 invalid, 0 unusable`` plus the expectation's verdict."""
        line = (
            f"{len(self.outcomes)} document{'' if len(self.outcomes) == 1 else 's'}: {self.count('valid')} valid, "
            f"{self.count('invalid')} invalid, {self.count('unusable')} unusable"
        )
        if self.expectation is None:
            return line
        unmet = self.unmet
        if not unmet:
            return f"{line}; all {self.expectation} as expected"
        listed = ", ".join(f"{outcome.file} ({outcome.status})" for outcome in unmet)
        return f"{line}; expected {self.expectation}, {len(unmet)} not: {listed}"


def _refused(report: Report) -> Finding | None:
    """The fatal input-layer finding of a document the input layer refused, if any."""
    return next((f for f in report.fatal if f.layer == "input"), None)


def expand_inputs(names: Sequence[str], glob: str = DEFAULT_GLOB) -> list[str]:
    """File names with every folder replaced by the regular files below it, at any
    depth, whose name matches ``glob`` (without regard to case: official examples use
    ``.XML``), sorted by path. Links to folders are not followed (no cycles).

    A folder without any match raises ``FileNotFoundError``. Other names pass unchanged.
    """
    expanded: list[str] = []
    pattern = glob.lower()
    for name in names:
        if name == STDIN or not os.path.isdir(name):
            expanded.append(name)
            continue
        found = sorted(
            os.path.join(top, file)
            for top, _folders, files in os.walk(name)
            for file in files
            if fnmatch.fnmatchcase(file.lower(), pattern) and os.path.isfile(os.path.join(top, file))
        )
        if not found:
            raise FileNotFoundError(f"{name}: no file matching {glob} in this folder or below it")
        expanded.extend(found)
    return expanded


def auto_jobs(inputs: Sequence[Input], cpus: int | None = None) -> int:
    """How many processes pay off for ``inputs``: one while their total size is below
    :data:`POOL_FROM_BYTES` (a pool worker spends about two CPU seconds starting Saxon
    and compiling the rule set, which a small batch never wins back: see
    ``benchmarks/jobs.py``), else one per CPU this process may use, at most one per
    document. Sizes of files come from the file system; unreadable ones count as 0."""
    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if len(inputs) < 2 or cpus < 2:
        return 1
    total = 0
    for item in inputs:
        if item.data is not None:
            total += len(item.data)
        else:
            try:
                total += os.stat(item.name).st_size
            except OSError:
                pass
        if total >= POOL_FROM_BYTES:
            return min(cpus, len(inputs))
    return 1


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What every document of a run is validated with (the date fixed once per run)."""

    ruleset: str
    on: dt.date
    rules: tuple[Path, ...] = ()
    compare_next: bool = False


def run_batch(
    inputs: Sequence[Input],
    *,
    ruleset: str | None = None,
    on: dt.date | None = None,
    compare_next: bool = False,
    user_rules: Sequence[Path] = (),
    expectation: Expectation | None = None,
    jobs: Jobs = "auto",
    each: Each | None = None,
) -> Batch:
    """Validate every input against ``ruleset`` (resolved once, on ``on``, default today)
    plus ``user_rules``, ``jobs`` at a time (``"auto"``: :func:`auto_jobs`), handing each
    outcome to ``each`` in input order as soon as it and those before it are ready.

    Raises ``ValueError`` for an unknown rule set and ``SchematronError`` for a user
    rule file that cannot be compiled, before any document is read.
    """
    spec = ruleset or default_ruleset()
    selection = None if spec == AUTO else select(spec, on)
    day = selection.on if selection else on or dt.date.today()
    options = RunOptions(spec, day, tuple(Path(path).resolve() for path in user_rules), compare_next)
    for path in options.rules:
        compile_schematron(path)
    workers = auto_jobs(inputs) if jobs == "auto" else min(jobs, len(inputs))
    outcomes = []
    for outcome in _in_process(inputs, options) if workers <= 1 else _in_pool(inputs, options, workers):
        outcomes.append(outcome)
        if each is not None:
            each(outcome)
    return Batch(selection.ruleset.name if selection else AUTO, selection.ruleset.version if selection else None,
                 tuple(outcomes), expectation,
                 tuple(map(str, user_rules)))


def _in_process(inputs: Sequence[Input], options: RunOptions) -> Iterator[Outcome]:
    for item in inputs:
        yield validate_one(item, options)


def _in_pool(inputs: Sequence[Input], options: RunOptions, jobs: int) -> Iterator[Outcome]:
    # spawn, not fork: a forked child would inherit the parent's Saxon (GraalVM) runtime
    # half-initialised; each spawned worker starts its own and warms it once. Imported
    # here: a run in one process (most) need not load them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_warm, initargs=(options,))
    try:
        yield from pool.map(validate_one, inputs, repeat(options))
    except BaseException:  # Ctrl-C, or the consumer stopped (a closed pipe): drop the queue
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _warm(options: RunOptions) -> None:
    """Pool initializer: leave Ctrl-C to the parent (which stops the pool), then compile
    the XSD and every stylesheet of this run in this worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    validate(_WARM_UP, ruleset=options.ruleset, on=options.on, compare_next=options.compare_next)
    for path in options.rules:
        run_schematron(path, _WARM_UP)


def validate_one(item: Input, options: RunOptions) -> Outcome:
    """Validate one document; a missing or unreadable file, or one that is not a regular
    file (a named pipe would block), gives an unusable outcome without a report; one the
    input layer refuses an unusable outcome with its report."""
    source: bytes | Path = item.data if item.data is not None else Path(item.name)
    try:
        if isinstance(source, Path) and not stat.S_ISREG(mode := source.stat().st_mode):
            return Outcome(item.name, None, f"not a regular file ({kind_of(mode)})")
        report = validate(source, ruleset=options.ruleset, on=options.on, compare_next=options.compare_next,
                          user_rules=options.rules)
    except OSError as exc:
        return Outcome(item.name, None, exc.strerror or str(exc))
    return Outcome(item.name, report)
