"""A batch validated by a running server (``peppol-ubl validate --server URL``).

Each document is read here and sent to the server's ``POST /validate`` with the rule set,
the date (fixed once for the run, as for a local run) and ``compare_next``; the report
JSON it answers (200, 422 or 400) becomes the document's outcome, so the output and the
exit code are those of a local run. ``jobs`` requests are in flight at once. A 503
(the server's queue is full, or a validation process died) is sent again after its
``Retry-After``, a few times; a 413 (over the server's ``--max-bytes``) makes the document
unusable; a missing token, an unreachable server or any other answer stops the run
(:class:`ServerError`). Only the standard library is used: no extra is needed.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.parse
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..catalogue import AUTO, default_ruleset, select
from ..errors import PeppolUblError
from ..validation.report import Report
from .runner import Batch, Expectation, Input, Outcome, Progress

__all__ = ["ServerError", "run_on_server"]

_TRIES = 5
_TIMEOUT_SECONDS = 600.0
_MAX_WAIT_SECONDS = 30.0


class ServerError(PeppolUblError):
    """The server cannot be reached, refuses the token, or answers what a run cannot use."""


def run_on_server(
    inputs: Sequence[Input],
    url: str,
    *,
    ruleset: str | None = None,
    on: dt.date | None = None,
    compare_next: bool = False,
    expectation: Expectation | None = None,
    jobs: int = 1,
    token: str | None = None,
    progress: Progress | None = None,
) -> Batch:
    """Validate every input on the server at ``url``, ``jobs`` at a time (see the module docstring)."""
    spec = ruleset or default_ruleset()
    selection = None if spec == AUTO else select(spec, on)
    day = selection.on if selection else on or dt.date.today()
    query = urllib.parse.urlencode({"ruleset": spec, "on": day.isoformat(), "compare_next": str(compare_next).lower()})
    endpoint = f"{url.rstrip('/')}/validate?{query}"
    headers = {"Content-Type": "application/xml", **({"Authorization": f"Bearer {token}"} if token else {})}
    outcomes = []
    with ThreadPoolExecutor(max(1, jobs)) as threads:
        for outcome in threads.map(lambda item: _validate_remotely(item, endpoint, headers), inputs):
            outcomes.append(outcome)
            if progress:
                progress(len(outcomes), len(inputs))
    return Batch(selection.ruleset.name if selection else AUTO, selection.ruleset.version if selection else None,
                 tuple(outcomes), expectation)


def _validate_remotely(item: Input, endpoint: str, headers: dict[str, str]) -> Outcome:
    try:
        data = item.data if item.data is not None else Path(item.name).read_bytes()
    except OSError as exc:
        return Outcome(item.name, None, exc.strerror or str(exc))
    for attempt in range(1, _TRIES + 1):
        status, body, retry_after = _post(endpoint, data, headers)
        if status in (200, 400, 422):
            return Outcome(item.name, Report.from_json(body.decode()))
        if status == 413:
            return Outcome(item.name, None, f"the server refused it: {_detail(body)}")
        if status != 503 or attempt == _TRIES:
            raise ServerError(f"{endpoint.split('?')[0]} answered {status} for {item.name}: {_detail(body)}")
        time.sleep(min(retry_after, _MAX_WAIT_SECONDS))
    raise AssertionError("unreachable: the last try returns or raises")


def _post(endpoint: str, data: bytes, headers: dict[str, str]) -> tuple[int, bytes, float]:
    """The status, body and ``Retry-After`` (seconds, 1 when absent) of one POST."""
    import urllib.error
    import urllib.request  # here: its HTTP, SSL and e-mail modules cost every cold start otherwise

    request = urllib.request.Request(endpoint, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as response:
            return response.status, response.read(), 1.0
    except urllib.error.HTTPError as exc:
        with exc:
            retry = exc.headers.get("Retry-After", "1")
            return exc.code, exc.read(), float(retry) if retry.isdigit() else 1.0
    except (urllib.error.URLError, OSError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        raise ServerError(f"cannot reach the server {endpoint.split('/validate')[0]}: {reason}") from exc


def _detail(body: bytes) -> str:
    """The ``code: detail`` of a problem body, or the start of whatever else the server said."""
    try:
        problem = json.loads(body)
        return f"{problem['code']}: {problem['detail']}"
    except (ValueError, KeyError, TypeError):
        return body[:200].decode(errors="replace")
