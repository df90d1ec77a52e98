"""``peppol-ubl build`` and ``calculate``: contract JSON to UBL XML, or to JSON with every amount."""

from __future__ import annotations

import argparse

from .common import EXIT_INVALID, EXIT_OK, add_ruleset_options, emit, err, input_path, out, output_path, read_input

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the commands to the ``peppol-ubl`` parser."""
    build = commands.add_parser("build", help="write UBL XML from a contract JSON invoice",
                                description="Write the UBL 2.1 XML of a contract JSON invoice.")
    build.add_argument("invoice", type=input_path, help="invoice JSON (the contract), or - for standard input")
    build.add_argument("-o", "--output", type=output_path, metavar="FILE",
                       help="write the XML to FILE (atomically) instead of standard output")
    build.add_argument("--validate", action="store_true",
                       help="validate the result and print the report (to stdout with -o, else to stderr)")
    add_ruleset_options(build)
    build.set_defaults(run=_build)

    calc = commands.add_parser("calculate", help="fill in the computed amounts of a contract JSON invoice",
                               description="Print the contract JSON with every amount computed.")
    calc.add_argument("invoice", type=input_path, help="invoice JSON (the contract), or - for standard input")
    calc.set_defaults(run=_calculate)


def _build(args: argparse.Namespace) -> int:
    # imported here, not at the top: `peppol-ubl validate` starts without the model and pydantic
    from ..contract import build_and_validate
    from ..model import Invoice
    from ..ubl import to_xml

    invoice = Invoice.model_validate_json(read_input(args.invoice))
    if not args.validate:
        emit(args.output, to_xml(invoice))
        return EXIT_OK
    xml, report = build_and_validate(invoice, ruleset=args.ruleset, on=args.on)  # findings name fields
    emit(args.output, xml)
    (out if args.output else err)(report.to_text())
    return EXIT_OK if report.ok else EXIT_INVALID


def _calculate(args: argparse.Namespace) -> int:
    # imported here, not at the top: `peppol-ubl validate` starts without the model and pydantic
    from ..calculation import calculate
    from ..model import Invoice

    invoice = Invoice.model_validate_json(read_input(args.invoice))
    out(calculate(invoice).model_dump_json(indent=2, exclude_none=True))
    return EXIT_OK
