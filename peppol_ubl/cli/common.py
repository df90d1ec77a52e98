"""What every command shares: the exit codes, writing output, and option types.

Exit codes are fixed, never a count: 0 everything valid (or the command succeeded), 1 at
least one document invalid (or an unmet expectation, or a 412 pre-flight), 2 unusable
input or a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from ..catalogue import AUTO, default_ruleset, select

__all__ = [
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_UNUSABLE",
    "add_ruleset_options",
    "at_least",
    "day",
    "emit",
    "ruleset_spec",
]

EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2


def emit(output: str | None, data: bytes) -> None:
    """Write ``data`` to the file ``output`` (saying so on stderr), or to stdout."""
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"wrote {output} ({len(data)} bytes)", file=sys.stderr)


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: an integer no smaller than ``minimum``."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {value}")
        return value

    return convert


def ruleset_spec(text: str) -> str:
    """An argparse type: a rule-set spec the catalogue knows (``name``, ``name@version``,
    ``auto``)."""
    if text == AUTO:
        return text
    try:
        select(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def day(text: str) -> dt.date:
    """An argparse type: a date written ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def add_ruleset_options(command: argparse.ArgumentParser) -> None:
    """``--ruleset NAME[@VERSION]`` and ``--on YYYY-MM-DD``."""
    command.add_argument(
        "--ruleset", type=ruleset_spec, default=default_ruleset(), metavar="NAME[@VERSION]",
        help=f"rule set to run: NAME (the version in force on --on), NAME@VERSION, NAME@latest, "
             f"or {AUTO} (the one each document's CustomizationID names); 'peppol-ubl rulesets' "
             f"lists them (default: {default_ruleset()})")
    command.add_argument("--on", type=day, metavar="YYYY-MM-DD",
                         help="the date whose rules in force run (default: today)")
