"""``peppol-ubl compile-schematron``: our ISO Schematron compiler, for your own rule sets."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..validation.schematron import compile_schematron
from .common import EXIT_OK, emit

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the ``peppol-ubl`` parser."""
    command = commands.add_parser("compile-schematron", help="compile a Schematron file to XSLT 3.0")
    command.add_argument("rules", help="ISO Schematron file")
    command.add_argument("-o", "--output", help="write the XSLT here instead of stdout")
    command.add_argument("--phase", help="compile only the patterns of this phase")
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    xslt = compile_schematron(Path(args.rules), args.phase)
    emit(args.output, xslt.encode())
    return EXIT_OK
