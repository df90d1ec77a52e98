"""Batches: the documents of one validation run, what became of each, and the summary.

A run validates files (or standard input) against one rule set, optionally with a
user's own Schematron files added, and records one ``Outcome`` per document:

* ``valid``: a report without a fatal finding;
* ``invalid``: a report with at least one fatal finding (a document the input layer
  refuses, such as bytes that are not XML, is invalid: its report holds the PU-INPUT
  finding);
* ``unusable``: no report, because the file is missing or unreadable (``error`` says why).

A run may expect every document to be ``valid`` or ``invalid`` (regression runs over a
folder); an unusable document never meets an expectation. ``run_batch`` validates in
this process or, with ``jobs`` above one, in a pool of processes that each compile the
XSD and the Schematron stylesheets once, in the pool initializer. The output formats
(:mod:`peppol_ubl.batch.formats`: text, JSON, JUnit, SARIF) each write a
``Batch``.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any, Literal

from ..catalogue import AUTO, default_ruleset, select
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
    "expand_inputs",
    "run_batch",
    "validate_one",
]

Status = Literal["valid", "invalid", "unusable"]
Expectation = Literal["valid", "invalid"]
Progress = Callable[[int, int], None]

STDIN = "-"
# The smallest document the input layer accepts: enough to make a worker compile the
# XSD and every stylesheet of a rule set before the first real document arrives.
_WARM_UP = f'<Invoice xmlns="{INVOICE}"/>'.encode()


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

    @property
    def status(self) -> Status:
        """``valid``, ``invalid`` or ``unusable`` (see the module docstring)."""
        if self.report is None:
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


def expand_inputs(names: Sequence[str]) -> list[str]:
    """File names with every directory replaced by its ``*.xml`` files, sorted.

    The suffix is matched without regard to case (official examples use ``.XML``); a
    directory without any raises ``FileNotFoundError``. Other names pass unchanged.
    """
    expanded: list[str] = []
    for name in names:
        folder = Path(name)
        if name == STDIN or not folder.is_dir():
            expanded.append(name)
            continue
        found = sorted(str(p) for p in folder.iterdir() if p.suffix.lower() == ".xml" and p.is_file())
        if not found:
            raise FileNotFoundError(f"{name}: no *.xml files in this directory")
        expanded.extend(found)
    return expanded


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
    jobs: int = 1,
    progress: Progress | None = None,
) -> Batch:
    """Validate every input against ``ruleset`` (resolved once, on ``on``, default today)
    plus ``user_rules``, ``jobs`` at a time.

    Raises ``ValueError`` for an unknown rule set and ``SchematronError`` for a user
    rule file that cannot be compiled, before any document is read.
    """
    spec = ruleset or default_ruleset()
    selection = None if spec == AUTO else select(spec, on)
    day = selection.on if selection else on or dt.date.today()
    options = RunOptions(spec, day, tuple(Path(path).resolve() for path in user_rules), compare_next)
    for path in options.rules:
        compile_schematron(path)
    if jobs <= 1 or len(inputs) <= 1:
        outcomes = _in_process(inputs, options, progress)
    else:
        outcomes = _in_pool(inputs, options, min(jobs, len(inputs)), progress)
    return Batch(selection.ruleset.name if selection else AUTO, selection.ruleset.version if selection else None,
                 tuple(outcomes), expectation,
                 tuple(map(str, user_rules)))


def _in_process(inputs: Sequence[Input], options: RunOptions, progress: Progress | None) -> list[Outcome]:
    outcomes = []
    for item in inputs:
        outcomes.append(validate_one(item, options))
        if progress:
            progress(len(outcomes), len(inputs))
    return outcomes


def _in_pool(inputs: Sequence[Input], options: RunOptions, jobs: int, progress: Progress | None) -> list[Outcome]:
    # spawn, not fork: a forked child would inherit the parent's Saxon (GraalVM) runtime
    # half-initialised; each spawned worker starts its own and warms it once.
    context = multiprocessing.get_context("spawn")
    outcomes = []
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_warm, initargs=(options,)) as pool:
        for outcome in pool.map(validate_one, inputs, repeat(options)):
            outcomes.append(outcome)
            if progress:
                progress(len(outcomes), len(inputs))
    return outcomes


def _warm(options: RunOptions) -> None:
    """Pool initializer: compile the XSD and every stylesheet of this run in this worker."""
    validate(_WARM_UP, ruleset=options.ruleset, on=options.on, compare_next=options.compare_next)
    for path in options.rules:
        run_schematron(path, _WARM_UP)


def validate_one(item: Input, options: RunOptions) -> Outcome:
    """Validate one document; a missing or unreadable file gives an unusable outcome."""
    source: bytes | Path = item.data if item.data is not None else Path(item.name)
    try:
        report = validate(source, ruleset=options.ruleset, on=options.on, compare_next=options.compare_next,
                          user_rules=options.rules)
    except OSError as exc:
        return Outcome(item.name, None, exc.strerror or str(exc))
    return Outcome(item.name, report)
