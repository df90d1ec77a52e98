"""``peppol-ubl validate``: documents, folders or standard input against a rule set."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..batch.formats.json import batch_to_json
from ..batch.formats.junit import batch_to_junit
from ..batch.formats.sarif import batch_to_sarif
from ..batch.formats.text import ProgressBar, batch_to_text
from ..batch.many import run_on_scheduler
from ..batch.remote import run_on_server
from ..batch.runner import STDIN, Batch, Input, expand_inputs, run_batch
from .common import EXIT_INVALID, EXIT_OK, EXIT_UNUSABLE, add_ruleset_options, at_least, emit

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the ``peppol-ubl`` parser."""
    command = commands.add_parser("validate", help="validate UBL documents")
    command.add_argument("files", nargs="+", help="XML files or folders of them (their *.xml), or - for standard input")
    add_ruleset_options(command)
    command.add_argument("--compare-next", action="store_true",
                         help="also run the next pinned version of the rule set and list what would change")
    command.add_argument("--format", choices=("text", "json", "junit", "sarif"), default="text")
    command.add_argument("--jobs", type=at_least(1), default=1, metavar="N", help="validate N documents at a time")
    command.add_argument("--schematron", action="append", default=[], metavar="RULES.sch",
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
                        help="exit 0 only if every document is invalid")
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    names = expand_inputs(args.files)
    if names.count(STDIN) > 1:
        print("peppol-ubl: standard input (-) can be read only once", file=sys.stderr)
        return EXIT_UNUSABLE
    if args.server and args.schematron:
        print("peppol-ubl: --schematron cannot be used with --server (a server never reads files named in a "
              "request)", file=sys.stderr)
        return EXIT_UNUSABLE
    inputs = [Input(name, sys.stdin.buffer.read() if name == STDIN else None) for name in names]
    progress = ProgressBar(sys.stderr) if sys.stderr.isatty() and len(inputs) > 1 else None
    if args.server:
        token = args.token_file.read_text(encoding="utf-8").strip() if args.token_file else None
        batch = run_on_server(inputs, args.server, ruleset=args.ruleset, on=args.on, compare_next=args.compare_next,
                              expectation=args.expect, jobs=args.jobs, token=token, progress=progress)
    elif args.scheduler:
        batch = run_on_scheduler(inputs, args.scheduler, ruleset=args.ruleset, on=args.on,
                                 compare_next=args.compare_next, user_rules=[Path(p) for p in args.schematron],
                                 expectation=args.expect, progress=progress)
    else:
        batch = run_batch(
            inputs,
            ruleset=args.ruleset,
            on=args.on,
            compare_next=args.compare_next,
            user_rules=[Path(path) for path in args.schematron],
            expectation=args.expect,
            jobs=args.jobs,
            progress=progress,
        )
    if args.format == "text":
        print(batch_to_text(batch))
        return _exit_code(batch)
    emit(None, _machine_readable(batch, args.format))
    print(batch.summary_line(), file=sys.stderr)
    return _exit_code(batch)


def _machine_readable(batch: Batch, format_: str) -> bytes:
    """The batch as JUnit XML, or as JSON or SARIF text with a final newline."""
    if format_ == "junit":
        return batch_to_junit(batch)
    return (batch_to_json(batch) if format_ == "json" else batch_to_sarif(batch)).encode() + b"\n"


def _exit_code(batch: Batch) -> int:
    if batch.count("unusable"):
        return EXIT_UNUSABLE
    if batch.expectation is not None:
        return EXIT_INVALID if batch.unmet else EXIT_OK
    return EXIT_INVALID if batch.count("invalid") else EXIT_OK
