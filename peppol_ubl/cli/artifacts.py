"""``peppol-ubl artifacts``: where every pinned official file is, and whether it matches;
``--import DIR`` copies a local set into the user cache, ``--fetch`` downloads what is missing."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..artifacts import artifact_status, bundles, cache_dir, fetch_all, import_artifacts
from .common import EXIT_OK, EXIT_UNUSABLE, err, input_path, out

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the ``peppol-ubl`` parser."""
    command = commands.add_parser(
        "artifacts", help="show the pinned official files and their state; import or download them",
        description="Show where every pinned official file is found and whether its SHA-256 matches.",
    )
    action = command.add_mutually_exclusive_group()
    action.add_argument("--fetch", action="store_true", help="download missing files into the user cache")
    action.add_argument("--import", dest="import_from", type=input_path, metavar="DIR",
                        help="verify the files of DIR (laid out like the upstream set: DIR/<bundle>/<path>) "
                             "and copy them into the user cache, for offline use without any variable")
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    if args.import_from is not None:
        return _import(Path(args.import_from))
    if args.fetch:
        fetch_all()
    statuses = artifact_status()
    lines = []
    for name, bundle in bundles().items():
        lines.append(f"{name} {bundle.version} — {bundle.title}")
        for status in (s for s in statuses if s.file.bundle == name):
            where = str(status.location) if status.location else "-"
            lines.append(f"  {status.source:<9} {status.file.path:<60} {where}")
    out("\n".join(lines))
    bad = [s for s in statuses if s.source in ("missing", "corrupted")]
    if bad:
        err(f"{len(bad)} of {len(statuses)} pinned files missing or corrupted; run "
            "'peppol-ubl artifacts --import DIR' or 'peppol-ubl artifacts --fetch'")
        return EXIT_UNUSABLE
    out(f"all {len(statuses)} pinned files present, SHA-256 verified")
    return EXIT_OK


def _import(folder: Path) -> int:
    result = import_artifacts(folder)
    for pinned, source in result.corrupted:
        err(f"refused {source}: its SHA-256 is not the pinned one for {pinned.bundle}/{pinned.path}")
    for pinned in result.missing:
        err(f"missing {pinned.bundle}/{pinned.path}: not in {folder} and not in the cache")
    out(f"imported {len(result.copied)} file(s) into {cache_dir() / 'artifacts'}, "
        f"{len(result.present)} already there, SHA-256 verified")
    if not result.complete:
        err(f"{len(result.missing)} missing, {len(result.corrupted)} refused: the cache is incomplete")
        return EXIT_UNUSABLE
    return EXIT_OK
