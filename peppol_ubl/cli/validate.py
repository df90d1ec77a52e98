"""``peppol-ubl validate``: documents, folders or standard input against a rule set."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..batch.formats.text import outcome_text
from ..batch.runner import DEFAULT_GLOB, STDIN, Batch, Input, Jobs, Outcome, expand_inputs, run_batch
from .common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNUSABLE,
    InputError,
    add_ruleset_options,
    at_least,
    emit,
    err,
    input_path,
    out,
    read_stdin,
    regular_file,
)

__all__ = ["register"]

_REDRAW_SECONDS = 0.2
"""The progress bar redraws at most this often."""

_FORMATS = {
    "text": "a verdict line and one line per finding, streamed per document, then the summary",
    "json": "one JSON document for the whole run (schema: peppol_ubl.report_schema())",
    "junit": "JUnit XML, one test case per document, for CI test viewers",
    "sarif": "SARIF 2.1.0, for code-scanning dashboards",
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the ``peppol-ubl`` parser."""
    command = commands.add_parser(
        "validate", help="validate UBL documents",
        description="Validate UBL Invoice and CreditNote documents: input safety, UBL XSD, the rule set's "
                    "Schematron, totals. Text results appear as each document finishes, in input order; "
                    "on a terminal a progress bar shows on stderr.",
    )
    command.add_argument("files", nargs="+", type=input_path, metavar="FILE",
                         help="XML files, folders (searched at any depth for --glob), or - for standard input")
    command.add_argument("--glob", default=DEFAULT_GLOB, metavar="PATTERN",
                         help=f"the file names to take from folders, any case (default: {DEFAULT_GLOB})")
    add_ruleset_options(command)
    command.add_argument("--compare-next", action="store_true",
                         help="also run the next pinned version of the rule set and list what would change")
    command.add_argument("--format", choices=tuple(_FORMATS), default="text",
                         help="; ".join(f"{name}: {text}" for name, text in _FORMATS.items()) + " (default: text)")
    command.add_argument("--jobs", type=_jobs, default="auto", metavar="N|auto",
                         help="validate N documents at a time in a pool of processes; auto (default) uses "
                              "one process for small batches and one per CPU for large ones")
    command.add_argument("--schematron", action="append", default=[], type=input_path, metavar="RULES.sch",
                         help="also run this Schematron file (repeatable)")
    where = command.add_mutually_exclusive_group()
    where.add_argument("--server", metavar="URL",
                       help="send the documents to a running 'peppol-ubl serve' instead of starting Saxon here "
                            "(--jobs requests at a time)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="validate on a Dask cluster, e.g. tcp://scheduler:8786 (extra: dask); the workers "
                            "read the files, so give paths they share or fsspec URLs")
    command.add_argument("--token-file", type=Path, metavar="FILE",
                         help="with --server: send the bearer token in FILE")
    expect = command.add_mutually_exclusive_group()
    expect.add_argument("--expect-valid", dest="expect", action="store_const", const="valid",
                        help="exit 0 only if every document is valid")
    expect.add_argument("--expect-invalid", dest="expect", action="store_const", const="invalid",
                        help="exit 0 only if every document is invalid (unusable ones never are)")
    command.set_defaults(run=_run)


def _jobs(text: str) -> Jobs:
    """An argparse type: ``auto`` or a positive integer."""
    return "auto" if text == "auto" else at_least(1)(text)


def _run(args: argparse.Namespace) -> int:
    names = expand_inputs(args.files, args.glob)
    if names.count(STDIN) > 1:
        raise InputError("standard input (-) can be read only once")
    if args.server and args.schematron:
        raise InputError("--schematron cannot be used with --server (a server never reads files named in a request)")
    rules = [regular_file(path) for path in args.schematron]
    inputs = [Input(name, read_stdin() if name == STDIN else None) for name in names]
    text = args.format == "text"
    with _progress(len(inputs)) as bar:

        def each(outcome: Outcome) -> None:
            if text:
                with bar.external_write_mode(file=sys.stdout) if bar else contextlib.nullcontext():
                    out(outcome_text(outcome))
            if bar:
                bar.update()

        def progress(done: int, total: int) -> None:
            if bar:
                bar.update(done - bar.n)

        # a server, a scheduler and the machine-readable formats load their modules when
        # asked for (the thread and process pools, the SARIF rule texts): a cold start
        # validating one file needs none of them
        if args.server:  # remote runs report progress only; their text comes at the end
            from ..batch.remote import run_on_server

            token = args.token_file.read_text(encoding="utf-8").strip() if args.token_file else None
            batch = run_on_server(inputs, args.server, ruleset=args.ruleset, on=args.on,
                                  compare_next=args.compare_next, expectation=args.expect,
                                  jobs=1 if args.jobs == "auto" else args.jobs, token=token, progress=progress)
        elif args.scheduler:
            from ..batch.many import run_on_scheduler

            batch = run_on_scheduler(inputs, args.scheduler, ruleset=args.ruleset, on=args.on,
                                     compare_next=args.compare_next, user_rules=rules, expectation=args.expect,
                                     progress=progress)
        else:
            batch = run_batch(
                inputs, ruleset=args.ruleset, on=args.on, compare_next=args.compare_next, user_rules=rules,
                expectation=args.expect, jobs=args.jobs, each=each,
            )
    if text:
        if args.server or args.scheduler:
            for outcome in batch.outcomes:
                out(outcome_text(outcome))
        out(batch.summary_line())
    else:
        emit(None, _machine_readable(batch, args.format))
        err(batch.summary_line())
    return _exit_code(batch)


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Any]:
    """A tqdm bar on stderr (count, rate, ETA) when stderr is a terminal and there is more
    than one document; ``None`` otherwise."""
    if total <= 1 or sys.stderr is None or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm  # only on a terminal

    bar = tqdm(total=total, unit="doc", file=sys.stderr, leave=False, dynamic_ncols=True, mininterval=_REDRAW_SECONDS)
    try:
        yield bar
    finally:
        bar.close()


def _machine_readable(batch: Batch, format_: str) -> bytes:
    """The batch as JUnit XML, or as JSON or SARIF text with a final newline."""
    if format_ == "junit":
        from ..batch.formats.junit import batch_to_junit

        return batch_to_junit(batch)
    if format_ == "json":
        from ..batch.formats.json import batch_to_json

        return batch_to_json(batch).encode() + b"\n"
    from ..batch.formats.sarif import batch_to_sarif

    return batch_to_sarif(batch).encode() + b"\n"


def _exit_code(batch: Batch) -> int:
    if batch.count("unusable"):
        return EXIT_UNUSABLE
    if batch.expectation is not None:
        return EXIT_INVALID if batch.unmet else EXIT_OK
    return EXIT_INVALID if batch.count("invalid") else EXIT_OK
