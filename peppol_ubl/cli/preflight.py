"""``peppol-ubl preflight``: may this invoice be sent now? 204, or 412 with every reason."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..model import Invoice
from ..sending import preflight
from .common import EXIT_INVALID, EXIT_OK, add_ruleset_options, at_least

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the ``peppol-ubl`` parser."""
    command = commands.add_parser(
        "preflight", help="may this invoice be sent now? 204 accepted or 412 with reasons"
    )
    command.add_argument("source", help="UBL XML, or an invoice JSON (the contract; by its .json suffix)")
    command.add_argument("--sender", metavar="ID", help="sender participant id (default: the seller's EndpointID)")
    command.add_argument("--receiver", metavar="ID", help="receiver participant id (default: the buyer's EndpointID)")
    command.add_argument("--tolerance-cents", type=at_least(0), default=2, metavar="N",
                         help="accepted difference between the line sum and the stated sum")
    command.add_argument("--format", choices=("text", "json"), default="text")
    add_ruleset_options(command)
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    path = Path(args.source)
    source = Invoice.model_validate_json(path.read_bytes()) if path.suffix.lower() == ".json" else path
    result = preflight(
        source, sender=args.sender, receiver=args.receiver, tolerance_cents=args.tolerance_cents,
        ruleset=args.ruleset, on=args.on,
    )
    if args.format == "json":
        print(json.dumps({"status": result.status, "accepted": result.accepted, "fingerprint": result.fingerprint,
                          "reasons": [reason.to_dict() for reason in result.reasons]}, indent=2, ensure_ascii=False))
    else:
        verdict = "accepted" if result.accepted else "precondition failed"
        print("\n".join([f"{result.status} {verdict}", *(reason.to_text() for reason in result.reasons)]))
        if result.fingerprint:
            print(f"fingerprint {result.fingerprint}")
    return EXIT_OK if result.accepted else EXIT_INVALID
