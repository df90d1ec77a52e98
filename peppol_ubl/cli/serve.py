"""``peppol-ubl serve``: the library as a warm HTTP service (needs the ``server`` extra)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..catalogue import AUTO
from .common import EXIT_OK, EXIT_UNUSABLE, at_least, ruleset_spec

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the command to the ``peppol-ubl`` parser."""
    command = commands.add_parser(
        "serve", help="answer validate, preflight, build and parse requests over HTTP (extra: server)")
    command.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    command.add_argument("--port", type=at_least(0), default=8000, help="port to bind (default: 8000)")
    command.add_argument("--workers", type=at_least(1), default=os.cpu_count() or 1, metavar="N",
                         help="validation processes behind the server (default: one per core)")
    command.add_argument("--queue", type=at_least(0), default=32, metavar="N",
                         help="requests that may wait for a validation process before a 503 (default: 32)")
    command.add_argument("--max-bytes", type=at_least(1), metavar="N",
                         help="largest request body taken (default: the library's input limit, 100 MiB)")
    command.add_argument("--ruleset", dest="rulesets", action="append", default=[], type=ruleset_spec,
                         metavar="NAME[@VERSION]",
                         help="also compile this rule set at start (repeatable; the default rule set in force "
                              "always is, others compile on first use)")
    command.add_argument("--token-file", type=Path, metavar="FILE",
                         help="require 'Authorization: Bearer <the token in FILE>' on every request but /health")
    command.add_argument("--store", type=Path, metavar="FILE",
                         help="SQLite file of the idempotency records (default: "
                              "$XDG_STATE_HOME/peppol-ubl/idempotency.sqlite3)")
    command.add_argument("--retention-hours", type=float, default=24.0, metavar="H",
                         help="how long an idempotency record is replayed (default: 24)")
    command.add_argument("--shutdown-timeout", type=at_least(0), default=30, metavar="SECONDS",
                         help="how long a shutdown waits for requests in flight (default: 30)")
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    try:
        from ..server.config import ServerConfig
        from ..server.run import serve
    except ImportError as exc:
        print(f"peppol-ubl serve needs the server extra: pip install 'peppol-ubl[server]' (missing: {exc.name})",
              file=sys.stderr)
        return EXIT_UNUSABLE
    if AUTO in args.rulesets:
        print(f"peppol-ubl: --ruleset {AUTO} names no rule set to compile; name one", file=sys.stderr)
        return EXIT_UNUSABLE
    token = args.token_file.read_text(encoding="utf-8").strip() if args.token_file else None
    if token == "":
        print(f"peppol-ubl: the token file {args.token_file} is empty", file=sys.stderr)
        return EXIT_UNUSABLE
    defaults = ServerConfig()
    serve(ServerConfig(
        host=args.host, port=args.port, workers=args.workers, queue=args.queue,
        max_bytes=args.max_bytes or defaults.max_bytes, rulesets=tuple(args.rulesets), token=token,
        store=args.store, retention_seconds=args.retention_hours * 3600, shutdown_seconds=args.shutdown_timeout))
    return EXIT_OK
