"""One validation process of the server's pool: it warms the rule sets, then runs jobs.

The process is spawned (never forked: a forked child would inherit the parent's Saxon
runtime half-initialised) with one end of a pipe. It compiles the UBL XSD and the
stylesheets of every rule-set spec it is given by validating the smallest document the
input layer accepts (:data:`peppol_ubl.batch.chunks.WARM_UP`), answers ``("ready", pid)`` (or ``("failed", why)``), then runs one
job at a time: a job is ``(function, keyword arguments)``, a library function such as
``validate`` or ``preflight`` named by reference, and the answer is ``("ok", result)`` or
``("error", "Type: message")`` for an exception it raised. ``None``, or the pipe closing
(the server went away), ends the process. Rule sets not warmed compile on first use and
stay compiled. The process ignores SIGINT: Ctrl+C in a terminal reaches the whole
process group, and the server, not its workers, decides when in-flight requests end.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from ..batch.chunks import WARM_UP
from ..validation import validate

__all__ = ["Job", "serve_jobs", "warm"]

Job = tuple[Callable[..., Any], dict[str, Any]]


def warm(specs: tuple[str, ...], on: dt.date) -> None:
    """Compile the XSD and the Schematron stylesheets of every spec, in force on ``on``."""
    for spec in specs:
        validate(WARM_UP, ruleset=spec, on=on)


def serve_jobs(conn: Connection, specs: tuple[str, ...], on: dt.date) -> None:
    """The process's main function (see the module docstring)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        warm(specs, on)
    except Exception as exc:  # an artefact missing, a stylesheet Saxon rejects: the server says why
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job: Job | None = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        function, arguments = job
        try:
            answer: tuple[str, Any] = ("ok", function(**arguments))
        except Exception as exc:  # misuse or a defect: answered, and the process goes on
            answer = ("error", f"{type(exc).__name__}: {exc}")
        conn.send(answer)
