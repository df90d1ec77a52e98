"""``peppol-ubl parse``: a UBL document as contract JSON, and what the contract cannot carry."""

from __future__ import annotations

import argparse

from .common import EXIT_OK, emit, err, input_path, out, output_path, source_of

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the ``peppol-ubl`` parser."""
    command = commands.add_parser("parse", help="read a UBL document as contract JSON",
                                  description="Read a UBL Invoice or CreditNote as contract JSON.")
    command.add_argument("document", type=input_path,
                         help="UBL Invoice or CreditNote XML, or - for standard input")
    command.add_argument("-o", "--output", type=output_path, metavar="FILE",
                         help="write the JSON to FILE (atomically) instead of standard output")
    command.add_argument("--unmapped", action="store_true",
                         help="list the values the contract does not carry (to stdout with -o, else to stderr)")
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    # imported here, not at the top: `peppol-ubl validate` starts without the model and pydantic
    from ..ubl.reader import parse_report

    result = parse_report(source_of(args.document))
    contract = result.invoice.model_dump_json(indent=2, exclude_none=True) + "\n"
    emit(args.output, contract.encode())
    for warning in result.warnings:
        err(f"warning: {warning.xpath}: {warning.reason}")
    if args.unmapped:
        lines = [f"{item.xpath} = {item.value}" for item in result.unmapped]
        (out if args.output else err)("\n".join([f"{len(lines)} value(s) not carried by the contract", *lines]))
    return EXIT_OK
