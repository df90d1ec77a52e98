"""The ``peppol-ubl`` command: a thin layer over the library, for people and pipelines.

Exit codes are fixed, never a count: 0 everything valid (or the command succeeded),
1 at least one document invalid (for ``validate --expect-…``: at least one document
did not turn out as expected; for ``preflight``: 412), 2 unusable input or a usage
error. Reports go to stdout; progress, summaries of machine-readable output and error
messages go to stderr. One module per command (each has ``register``); the options and
output helpers they share are in :mod:`.common`. Its modules are internal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from ..errors import PeppolUblError
from . import artifacts, build, parse, preflight, rulesets, schematron, serve, validate
from .common import EXIT_UNUSABLE

__all__ = ["main"]

_COMMANDS = (artifacts, build, parse, validate, preflight, rulesets, schematron, serve)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="peppol-ubl", description=(__doc__ or "").splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for command in _COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (usage errors included, as 2)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error or the help
        return exc.code if isinstance(exc.code, int) else EXIT_UNUSABLE
    try:
        code: int = args.run(args)
    except (ValidationError, PeppolUblError, OSError) as exc:
        print(f"peppol-ubl: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    return code


if __name__ == "__main__":
    raise SystemExit(main())
