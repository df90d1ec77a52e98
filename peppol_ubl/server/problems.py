"""Problems: what the server answers a request it cannot serve, as JSON with a stable code.

A :class:`Problem` is raised anywhere in the handling of a request and answered as::

    {"status": 413, "code": "PU-SERVER-TOO-LARGE", "detail": "…", …}

with ``Content-Type: application/problem+json`` (the shape of RFC 9457, with our code in
``code``: every ``PU-SERVER-…`` id is in :mod:`peppol_ubl.codes`). Extra members (the field
``errors`` of a contract, the ``rule_id`` of refused input) and headers (``Retry-After``,
``WWW-Authenticate``) ride along.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

__all__ = ["PROBLEM_TYPE", "Problem", "problem_response"]

PROBLEM_TYPE = "application/problem+json"


class Problem(Exception):
    """A request the server answers with ``status`` and the problem ``code`` (a PU-SERVER-… id)."""

    def __init__(self, status: int, code: str, detail: str, *, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra

    def to_dict(self) -> dict[str, Any]:
        """The JSON body: status, code, detail, then the extra members."""
        return {"status": self.status, "code": self.code, "detail": self.detail, **self.extra}


def problem_response(problem: Problem) -> Response:
    """The HTTP response for ``problem``."""
    body = json.dumps(problem.to_dict(), ensure_ascii=False).encode()
    return Response(body, problem.status, headers=problem.headers, media_type=PROBLEM_TYPE)
