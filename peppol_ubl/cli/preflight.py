"""``peppol-ubl preflight``: may this invoice be sent now? 204, or 412 with every reason."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from .common import EXIT_INVALID, EXIT_OK, STDIN, add_ruleset_options, at_least, input_path, out, source_of

if TYPE_CHECKING:
    from ..model import Invoice

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the ``peppol-ubl`` parser."""
    command = commands.add_parser(
        "preflight", help="may this invoice be sent now? 204 accepted or 412 with reasons",
        description="Check an invoice like a send endpoint would: 204 accepted, or 412 with every reason.",
    )
    command.add_argument("source", type=input_path,
                         help="UBL XML, or an invoice JSON (the contract; by its .json suffix), or - for "
                              "standard input (JSON when it starts with '{')")
    command.add_argument("--sender", metavar="ID", help="sender participant id (default: the seller's EndpointID)")
    command.add_argument("--receiver", metavar="ID", help="receiver participant id (default: the buyer's EndpointID)")
    command.add_argument("--tolerance-cents", type=at_least(0), default=2, metavar="N",
                         help="accepted difference between the line sum and the stated sum (default: 2)")
    command.add_argument("--format", choices=("text", "json"), default="text",
                         help="text for people (default) or one JSON object")
    add_ruleset_options(command)
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    # imported here, not at the top: `peppol-ubl validate` starts without the model and pydantic
    from ..model import Invoice
    from ..sending import preflight

    given = source_of(args.source)
    source: Invoice | bytes | Path = given
    if _is_json(args.source, given):
        source = Invoice.model_validate_json(given if isinstance(given, bytes) else given.read_bytes())
    result = preflight(
        source, sender=args.sender, receiver=args.receiver, tolerance_cents=args.tolerance_cents,
        ruleset=args.ruleset, on=args.on,
    )
    if args.format == "json":
        out(json.dumps({"status": result.status, "accepted": result.accepted, "fingerprint": result.fingerprint,
                        "reasons": [reason.to_dict() for reason in result.reasons]}, indent=2, ensure_ascii=False))
    else:
        verdict = "accepted" if result.accepted else "precondition failed"
        lines = [f"{result.status} {verdict}", *(reason.to_text() for reason in result.reasons)]
        if result.fingerprint:
            lines.append(f"fingerprint {result.fingerprint}")
        out("\n".join(lines))
    return EXIT_OK if result.accepted else EXIT_INVALID


def _is_json(name: str, source: bytes | Path) -> bool:
    """A contract JSON invoice: a file named ``*.json``, or standard input starting with ``{``."""
    if name == STDIN:
        assert isinstance(source, bytes)
        return source.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    return Path(name).suffix.lower() == ".json"
