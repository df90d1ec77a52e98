"""Idempotency keys (seed 003): the same request with the same key gets the same response, once.

A client sends ``Idempotency-Key`` (1 to 128 printable ASCII characters) with a request to
``/preflight`` or ``/build``. The first request with a key is handled and its response
stored (:mod:`.store`) under the endpoint and key, with the request's fingerprint: the
SHA-256 of the endpoint, the query parameters and the body's digest (for a contract
invoice its :func:`peppol_ubl.fingerprint`, so key order, whitespace and number spelling
do not make a different request). A later request with the key and the same fingerprint
gets the stored response with ``Idempotent-Replayed: true``; one with another fingerprint
is a 422 (``PU-SERVER-IDEMPOTENCY-REUSED``). Every response to a request with a key
echoes the key. Requests with one key are handled one at a time, so two that race do not
both run. Only responses the endpoint produced are stored: a problem (a 422 for field
errors, a 503) is not, and the request may be sent again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response

from .problems import Problem
from .store import IdempotencyStore, StoredResponse

__all__ = ["MAX_KEY_LENGTH", "Idempotency", "idempotency_key", "request_fingerprint"]

MAX_KEY_LENGTH = 128
_PRINTABLE = re.compile(r"[\x20-\x7e]+")
_STRIPES = 64


def idempotency_key(request: Request) -> str | None:
    """The request's ``Idempotency-Key``, if it sent one; a 400 problem if it is not usable."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    if not 0 < len(key) <= MAX_KEY_LENGTH or not _PRINTABLE.fullmatch(key):
        raise Problem(400, "PU-SERVER-IDEMPOTENCY-KEY",
                      f"an Idempotency-Key is 1 to {MAX_KEY_LENGTH} printable ASCII characters; "
                      f"this one has {len(key)} characters")
    return key


def request_fingerprint(scope: str, query: Mapping[str, str], body_digest: str) -> str:
    """SHA-256 of the endpoint, the query parameters (in any order) and the body's digest."""
    text = json.dumps([scope, sorted(query.items()), body_digest], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class Idempotency:
    """Answers requests with a key from the store, or by producing and storing the response."""

    def __init__(self, store: IdempotencyStore) -> None:
        self._store = store
        self._locks = [asyncio.Lock() for _ in range(_STRIPES)]

    async def answer(self, scope: str, key: str | None, fingerprint: str,
                     produce: Callable[[], Awaitable[Response]]) -> Response:
        """The response to the request: stored, or produced (and stored when there is a key)."""
        if key is None:
            return await produce()
        async with self._locks[hash((scope, key)) % _STRIPES]:
            stored = await asyncio.to_thread(self._store.get, scope, key)
            replayed = stored is not None
            if stored is None:
                response = await produce()
                stored = await asyncio.to_thread(self._store.put, scope, key, StoredResponse(
                    fingerprint, response.status_code, response.media_type, bytes(response.body), time.time()))
        if stored.fingerprint != fingerprint:
            raise Problem(422, "PU-SERVER-IDEMPOTENCY-REUSED",
                          f"the Idempotency-Key {key!r} was used for a different request on {scope} "
                          "(another body or other query parameters); use a new key for a new request",
                          headers={"Idempotency-Key": key})
        return Response(stored.body, stored.status, media_type=stored.media_type,
                        headers={"Idempotency-Key": key, "Idempotent-Replayed": "true" if replayed else "false"})
