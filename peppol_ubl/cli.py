"""The ``peppol-ubl`` command: a thin layer over the library.

Exit codes are fixed: 0 everything valid (or the command succeeded), 1 at least one
document is invalid, 2 unusable input or a usage error. Never an error count.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from .artifacts import artifact_status, bundles, fetch_all
from .errors import PeppolUblError
from .model import Invoice
from .ubl import to_xml
from .validation.api import validate

__all__ = ["main"]

EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2


def _artifacts(args: argparse.Namespace) -> int:
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
        print(f"{len(bad)} of {len(statuses)} pinned files missing or corrupted; "
              "set PEPPOL_UBL_ARTIFACTS or run 'peppol-ubl artifacts --fetch'", file=sys.stderr)
        return EXIT_UNUSABLE
    print(f"all {len(statuses)} pinned files present, SHA-256 verified")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    invoice = Invoice.model_validate_json(Path(args.invoice).read_bytes())
    xml = to_xml(invoice)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_bytes(xml)
        print(f"wrote {args.output} ({len(xml)} bytes)", file=sys.stderr)
    else:
        sys.stdout.buffer.write(xml)
    if not args.validate:
        return EXIT_OK
    report = validate(xml, ruleset=args.ruleset)
    print(report.to_text(), file=sys.stderr if not args.output else sys.stdout)
    return EXIT_OK if report.ok else EXIT_INVALID


def _validate(args: argparse.Namespace) -> int:
    invalid = False
    for name in args.files:
        source: bytes | Path = sys.stdin.buffer.read() if name == "-" else Path(name)
        if isinstance(source, Path) and not source.is_file():
            print(f"{name}: no such file", file=sys.stderr)
            return EXIT_UNUSABLE
        report = validate(source, ruleset=args.ruleset)
        invalid = invalid or not report.ok
        print(report.to_json() if args.format == "json" else f"{name}: {report.to_text()}")
    return EXIT_INVALID if invalid else EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="peppol-ubl", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    art = commands.add_parser("artifacts", help="show the pinned official files and their state")
    art.add_argument("--fetch", action="store_true", help="download missing files into the cache")
    art.set_defaults(run=_artifacts)

    build = commands.add_parser("build", help="write UBL XML from a contract JSON invoice")
    build.add_argument("invoice", help="invoice JSON (the contract)")
    build.add_argument("-o", "--output", help="write the XML here instead of stdout")
    build.add_argument("--validate", action="store_true", help="validate the result and print the report")
    build.add_argument("--ruleset", default="peppol-bis-3")
    build.set_defaults(run=_build)

    check = commands.add_parser("validate", help="validate UBL documents")
    check.add_argument("files", nargs="+", help="XML files, or - for standard input")
    check.add_argument("--ruleset", default="peppol-bis-3")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(run=_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except (ValidationError, PeppolUblError, OSError) as exc:
        print(f"peppol-ubl: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    return code


if __name__ == "__main__":
    raise SystemExit(main())
