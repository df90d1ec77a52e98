"""``peppol-ubl rulesets``: every pinned rule-set version with its dates, the ones in force marked."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from ..catalogue import catalogue_on, default_ruleset
from .common import EXIT_OK, day, out

__all__ = ["register"]

_MARKS = {"in force": "  <- in force on {on}", "upcoming": "  (published, not yet mandatory)"}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the ``peppol-ubl`` parser."""
    command = commands.add_parser("rulesets", help="list every pinned rule-set version with its dates",
                                  description="List every pinned rule-set version with its dates.")
    command.add_argument("--on", type=day, metavar="YYYY-MM-DD",
                         help="mark the versions in force on this date (default: today)")
    command.add_argument("--format", choices=("text", "json"), default="text",
                         help="a table for people (default) or one JSON object")
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    on: dt.date = args.on or dt.date.today()
    rows = catalogue_on(on)
    if args.format == "json":
        out(json.dumps({"on": on.isoformat(), "default": default_ruleset(), "rulesets": rows}, indent=2))
        return EXIT_OK
    lines = [f"{'rule set':<14}{'version':<9}{'published':<12}{'mandatory':<12}title"]
    for row in rows:
        mark = _MARKS.get(str(row["status"]), "").format(on=on.isoformat())
        lines.append(f"{row['name']:<14}{row['version']:<9}{row['published'] or '-':<12}"
                     f"{row['mandatory_from'] or '-':<12}{row['title']}{mark}")
    out("\n".join(lines))
    return EXIT_OK
