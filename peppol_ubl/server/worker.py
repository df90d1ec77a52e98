"""One validation process of the server's pool: it warms the rule sets, then runs jobs.

The process is spawned (never forked: a forked child would inherit the parent's Saxon
runtime half-initialised) with one end of a pipe. It compiles the UBL XSD and the
stylesheets of every rule-set spec it is given (:func:`peppol_ubl.batch.chunks.warm`),
answers ``("ready", pid)`` (or ``("failed", why)``), then runs one job at a time: a job is ``(function, keyword arguments)``, a library function such as
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

from ..batch.chunks import warm

__all__ = ["Job", "serve_jobs"]

Job = tuple[Callable[..., Any], dict[str, Any]]


def serve_jobs(conn: Connection, specs: tuple[str, ...], on: dt.date) -> None:
    """The process's main function (see the module docstring)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for spec in specs:
            warm({"ruleset": spec, "on": on})
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
