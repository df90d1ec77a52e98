"""The ``peppol-ubl`` command: a thin layer over the library, for people and pipelines.

Exit codes are fixed, never a count: 0 everything valid (or the command succeeded),
1 at least one document invalid (for ``validate --expect-…``: at least one document
did not turn out as expected; for ``preflight``: 412), 2 unusable input or a usage
error. Reports go to stdout; progress, summaries of machine-readable output and error
messages go to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import ValidationError

from .artifacts import artifact_status, bundles, fetch_all
from .batch.formats.json import batch_to_json
from .batch.formats.junit import batch_to_junit
from .batch.formats.sarif import batch_to_sarif
from .batch.formats.text import ProgressBar, batch_to_text
from .batch.runner import STDIN, Batch, Input, expand_inputs, run_batch
from .calculation import calculate
from .catalogue import RuleSet, default_ruleset, rulesets, select
from .contract import build_and_validate
from .errors import PeppolUblError
from .model import Invoice
from .sending import preflight
from .ubl import to_xml
from .ubl.reader import parse_report
from .validation.schematron import compile_schematron

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
        print(
            f"{len(bad)} of {len(statuses)} pinned files missing or corrupted; "
            "set PEPPOL_UBL_ARTIFACTS or run 'peppol-ubl artifacts --fetch'",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    print(f"all {len(statuses)} pinned files present, SHA-256 verified")
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    invoice = Invoice.model_validate_json(Path(args.invoice).read_bytes())
    if not args.validate:
        _emit(args.output, to_xml(invoice))
        return EXIT_OK
    xml, report = build_and_validate(invoice, ruleset=args.ruleset, on=args.on)  # findings name fields
    _emit(args.output, xml)
    print(report.to_text(), file=sys.stderr if not args.output else sys.stdout)
    return EXIT_OK if report.ok else EXIT_INVALID


def _calculate(args: argparse.Namespace) -> int:
    invoice = Invoice.model_validate_json(Path(args.invoice).read_bytes())
    print(calculate(invoice).model_dump_json(indent=2, exclude_none=True))
    return EXIT_OK


def _parse(args: argparse.Namespace) -> int:
    result = parse_report(sys.stdin.buffer.read() if args.document == STDIN else Path(args.document))
    contract = result.invoice.model_dump_json(indent=2, exclude_none=True) + "\n"
    _emit(args.output, contract.encode())
    for warning in result.warnings:
        print(f"warning: {warning.xpath}: {warning.reason}", file=sys.stderr)
    if args.unmapped:
        lines = [f"{item.xpath} = {item.value}" for item in result.unmapped]
        print(
            "\n".join([f"{len(lines)} value(s) not carried by the contract", *lines]),
            file=sys.stdout if args.output else sys.stderr,
        )
    return EXIT_OK


def _preflight(args: argparse.Namespace) -> int:
    path = Path(args.source)
    source = Invoice.model_validate_json(path.read_bytes()) if path.suffix.lower() == ".json" else path
    result = preflight(
        source, sender=args.sender, receiver=args.receiver, tolerance_cents=args.tolerance_cents,
        ruleset=args.ruleset, on=args.on,
    )
    if args.format == "json":
        print(
            json.dumps(
                {
                    "status": result.status,
                    "accepted": result.accepted,
                    "fingerprint": result.fingerprint,
                    "reasons": [reason.to_dict() for reason in result.reasons],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        verdict = "accepted" if result.accepted else "precondition failed"
        print("\n".join([f"{result.status} {verdict}", *(reason.to_text() for reason in result.reasons)]))
        if result.fingerprint:
            print(f"fingerprint {result.fingerprint}")
    return EXIT_OK if result.accepted else EXIT_INVALID


def _compile_schematron(args: argparse.Namespace) -> int:
    xslt = compile_schematron(Path(args.rules), args.phase)
    _emit(args.output, xslt.encode())
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    names = expand_inputs(args.files)
    if names.count(STDIN) > 1:
        print("peppol-ubl: standard input (-) can be read only once", file=sys.stderr)
        return EXIT_UNUSABLE
    inputs = [Input(name, sys.stdin.buffer.read() if name == STDIN else None) for name in names]
    batch = run_batch(
        inputs,
        ruleset=args.ruleset,
        on=args.on,
        compare_next=args.compare_next,
        user_rules=[Path(path) for path in args.schematron],
        expectation=args.expect,
        jobs=args.jobs,
        progress=ProgressBar(sys.stderr) if sys.stderr.isatty() and len(inputs) > 1 else None,
    )
    if args.format == "text":
        print(batch_to_text(batch))
        return _exit_code(batch)
    _emit(None, _machine_readable(batch, args.format))
    print(batch.summary_line(), file=sys.stderr)
    return _exit_code(batch)


def _rulesets(args: argparse.Namespace) -> int:
    day: dt.date = args.on or dt.date.today()
    in_force = {select(name, day).ruleset for name in dict.fromkeys(r.name for r in rulesets())}
    rows = [_ruleset_row(ruleset, day, ruleset in in_force) for ruleset in rulesets()]
    if args.format == "json":
        print(json.dumps({"on": day.isoformat(), "default": default_ruleset(), "rulesets": rows}, indent=2))
        return EXIT_OK
    print(f"{'rule set':<14}{'version':<9}{'published':<12}{'mandatory':<12}title")
    for row in rows:
        mark = {"in force": f"  <- in force on {day.isoformat()}", "upcoming": "  (published, not yet mandatory)"}
        print(f"{row['name']:<14}{row['version']:<9}{row['published'] or '-':<12}"
              f"{row['mandatory_from'] or '-':<12}{row['title']}{mark.get(str(row['status']), '')}")
    return EXIT_OK


def _ruleset_row(ruleset: RuleSet, day: dt.date, in_force: bool) -> dict[str, str | None]:
    """One catalogue entry and its status on ``day``: in force, upcoming, superseded, future."""
    published = ruleset.published is not None and ruleset.published <= day
    if in_force:
        status = "in force"
    elif ruleset.mandatory_from is not None and ruleset.mandatory_from <= day:
        status = "superseded"
    else:
        status = "upcoming" if published else "not yet published"
    return {
        "name": ruleset.name,
        "version": ruleset.version,
        "title": ruleset.title,
        "published": ruleset.published.isoformat() if ruleset.published else None,
        "mandatory_from": ruleset.mandatory_from.isoformat() if ruleset.mandatory_from else None,
        "status": status,
        "spec": ruleset.id,
    }


def _machine_readable(batch: Batch, format_: str) -> bytes:
    """The batch as JUnit XML, or as JSON or SARIF text with a final newline."""
    if format_ == "junit":
        return batch_to_junit(batch)
    return (batch_to_json(batch) if format_ == "json" else batch_to_sarif(batch)).encode() + b"\n"


def _exit_code(batch: Batch) -> int:
    if batch.count("unusable"):
        return EXIT_UNUSABLE
    if batch.expectation is not None:
        return EXIT_INVALID if batch.unmet else EXIT_OK
    return EXIT_INVALID if batch.count("invalid") else EXIT_OK


def _emit(output: str | None, data: bytes) -> None:
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


def _at_least(minimum: int) -> Callable[[str], int]:
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


def _ruleset_spec(text: str) -> str:
    """An argparse type: a rule-set spec the catalogue knows (``name``, ``name@version``)."""
    try:
        select(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _day(text: str) -> dt.date:
    """An argparse type: a date written ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _add_ruleset_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--ruleset", type=_ruleset_spec, default=default_ruleset(), metavar="NAME[@VERSION]",
        help=f"rule set to run: NAME (the version in force on --on), NAME@VERSION or "
             f"NAME@latest; 'peppol-ubl rulesets' lists them (default: {default_ruleset()})")
    command.add_argument("--on", type=_day, metavar="YYYY-MM-DD",
                         help="the date whose rules in force run (default: today)")


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
    _add_ruleset_options(build)
    build.set_defaults(run=_build)

    calc = commands.add_parser("calculate", help="fill in the computed amounts of a contract JSON invoice")
    calc.add_argument("invoice", help="invoice JSON (the contract)")
    calc.set_defaults(run=_calculate)

    read = commands.add_parser("parse", help="read a UBL document as contract JSON")
    read.add_argument("document", help="UBL Invoice or CreditNote XML, or - for standard input")
    read.add_argument("-o", "--output", help="write the JSON here instead of stdout")
    read.add_argument("--unmapped", action="store_true", help="list the values the contract does not carry")
    read.set_defaults(run=_parse)

    check = commands.add_parser("validate", help="validate UBL documents")
    check.add_argument(
        "files", nargs="+", help="XML files or folders of them (their *.xml), or - for standard input"
    )
    _add_ruleset_options(check)
    check.add_argument("--compare-next", action="store_true",
                       help="also run the next pinned version of the rule set and list what would change")
    check.add_argument("--format", choices=("text", "json", "junit", "sarif"), default="text")
    check.add_argument(
        "--jobs", type=_at_least(1), default=1, metavar="N", help="validate N documents at a time"
    )
    check.add_argument(
        "--schematron",
        action="append",
        default=[],
        metavar="RULES.sch",
        help="also run this Schematron file (repeatable)",
    )
    expect = check.add_mutually_exclusive_group()
    expect.add_argument(
        "--expect-valid",
        dest="expect",
        action="store_const",
        const="valid",
        help="exit 0 only if every document is valid",
    )
    expect.add_argument(
        "--expect-invalid",
        dest="expect",
        action="store_const",
        const="invalid",
        help="exit 0 only if every document is invalid",
    )
    check.set_defaults(run=_validate)

    pre = commands.add_parser(
        "preflight", help="may this invoice be sent now? 204 accepted or 412 with reasons"
    )
    pre.add_argument("source", help="UBL XML, or an invoice JSON (the contract; by its .json suffix)")
    pre.add_argument(
        "--sender", metavar="ID", help="sender participant id (default: the seller's EndpointID)"
    )
    pre.add_argument(
        "--receiver", metavar="ID", help="receiver participant id (default: the buyer's EndpointID)"
    )
    pre.add_argument(
        "--tolerance-cents",
        type=_at_least(0),
        default=2,
        metavar="N",
        help="accepted difference between the line sum and the stated sum",
    )
    pre.add_argument("--format", choices=("text", "json"), default="text")
    _add_ruleset_options(pre)
    pre.set_defaults(run=_preflight)

    sets = commands.add_parser("rulesets", help="list every pinned rule-set version with its dates")
    sets.add_argument("--on", type=_day, metavar="YYYY-MM-DD", help="mark the versions in force on this date (default: today)")
    sets.add_argument("--format", choices=("text", "json"), default="text")
    sets.set_defaults(run=_rulesets)

    sch = commands.add_parser("compile-schematron", help="compile a Schematron file to XSLT 3.0")
    sch.add_argument("rules", help="ISO Schematron file")
    sch.add_argument("-o", "--output", help="write the XSLT here instead of stdout")
    sch.add_argument("--phase", help="compile only the patterns of this phase")
    sch.set_defaults(run=_compile_schematron)
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
