"""``peppol-ubl compile-schematron``: our ISO Schematron compiler, for your own rule sets."""

from __future__ import annotations

import argparse

from ..validation.schematron import compile_schematron
from .common import EXIT_OK, emit, input_path, output_path, regular_file

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the ``peppol-ubl`` parser."""
    command = commands.add_parser("compile-schematron", help="compile a Schematron file to XSLT 3.0",
                                  description="Compile an ISO Schematron file to XSLT 3.0 with our compiler.")
    command.add_argument("rules", type=input_path, help="ISO Schematron file")
    command.add_argument("-o", "--output", type=output_path, metavar="FILE",
                         help="write the XSLT to FILE (atomically) instead of standard output")
    command.add_argument("--phase", help="compile only the patterns of this phase (default: the schema's own)")
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    xslt = compile_schematron(regular_file(args.rules), args.phase)
    emit(args.output, xslt.encode())
    return EXIT_OK
