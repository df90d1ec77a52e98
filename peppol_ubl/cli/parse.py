"""``peppol-ubl parse``: a UBL document as contract JSON, and what the contract cannot carry."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..batch.runner import STDIN
from ..ubl.reader import parse_report
from .common import EXIT_OK, emit

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the ``peppol-ubl`` parser."""
    command = commands.add_parser("parse", help="read a UBL document as contract JSON")
    command.add_argument("document", help="UBL Invoice or CreditNote XML, or - for standard input")
    command.add_argument("-o", "--output", help="write the JSON here instead of stdout")
    command.add_argument("--unmapped", action="store_true", help="list the values the contract does not carry")
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    result = parse_report(sys.stdin.buffer.read() if args.document == STDIN else Path(args.document))
    contract = result.invoice.model_dump_json(indent=2, exclude_none=True) + "\n"
    emit(args.output, contract.encode())
    for warning in result.warnings:
        print(f"warning: {warning.xpath}: {warning.reason}", file=sys.stderr)
    if args.unmapped:
        lines = [f"{item.xpath} = {item.value}" for item in result.unmapped]
        print(
            "\n".join([f"{len(lines)} value(s) not carried by the contract", *lines]),
            file=sys.stdout if args.output else sys.stderr,
        )
    return EXIT_OK
