"""The optional bearer token: every request but ``/health`` sends ``Authorization: Bearer <token>``.

The token is compared in constant time; a request without it, or with another, is a 401
(``PU-SERVER-UNAUTHORIZED``, with ``WWW-Authenticate: Bearer``). ``/health`` stays open so
that a load balancer or an orchestrator can probe the server without the token.
"""

from __future__ import annotations

import hmac

from starlette.types import ASGIApp, Receive, Scope, Send

from .problems import Problem, problem_response

__all__ = ["OPEN_PATHS", "BearerToken"]

OPEN_PATHS = frozenset({"/health"})


class BearerToken:
    """ASGI middleware: refuse requests that do not carry ``token``."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = f"bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS or self._carries_token(scope):
            await self.app(scope, receive, send)
            return
        problem = Problem(401, "PU-SERVER-UNAUTHORIZED", "send the server's token as 'Authorization: Bearer <token>'",
                          headers={"WWW-Authenticate": 'Bearer realm="peppol-ubl"'})
        await problem_response(problem)(scope, receive, send)

    def _carries_token(self, scope: Scope) -> bool:
        sent = next((value for name, value in scope["headers"] if name == b"authorization"), b"")
        scheme, _, token = sent.partition(b" ")
        return hmac.compare_digest(scheme.lower() + b" " + token.strip(), self._expected)
