"""``peppol-ubl artifacts``: where every pinned official file is, and whether it matches."""

from __future__ import annotations

import argparse
import sys

from ..artifacts import artifact_status, bundles, fetch_all
from .common import EXIT_OK, EXIT_UNUSABLE

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the ``peppol-ubl`` parser."""
    command = commands.add_parser("artifacts", help="show the pinned official files and their state")
    command.add_argument("--fetch", action="store_true", help="download missing files into the cache")
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    if args.fetch:
        fetch_all()
    statuses = artifact_status()
    for name, bundle in bundles().items():
        print(f"{name} {bundle.version} — {bundle.title}")
        for status in (s for s in statuses if s.file.bundle == name):
            where = str(status.location) if status.location else "-"
            print(f"  {status.source:<9} {status.file.path:<60} {where}")
    bad = [s for s in statuses if s.source in ("missing", "corrupted")]
    if bad:
        print(
            f"{len(bad)} of {len(statuses)} pinned files missing or corrupted; "
            "set PEPPOL_UBL_ARTIFACTS or run 'peppol-ubl artifacts --fetch'",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    print(f"all {len(statuses)} pinned files present, SHA-256 verified")
    return EXIT_OK
