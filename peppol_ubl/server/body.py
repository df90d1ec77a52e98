"""Request bodies: read up to the server's limit, refused (413) before the rest is read.

A ``Content-Length`` over the limit is refused before a byte of the body is read; a body
sent without one (chunked) is read as it arrives and refused as soon as it passes the
limit. What the body is, XML or contract JSON, is told by its ``Content-Type``; without
one (or with curl's default, ``application/x-www-form-urlencoded``), a body whose first
non-blank character is ``{`` is JSON and anything else XML.
"""

from __future__ import annotations

from typing import Literal

from starlette.requests import Request

from .problems import Problem

__all__ = ["BodyKind", "body_kind", "read_body"]

BodyKind = Literal["xml", "json"]
_XML = {"application/xml", "text/xml", "application/octet-stream"}
_JSON = {"application/json"}
_UNSAID = {"", "application/x-www-form-urlencoded"}
"""No type, or the one ``curl --data-binary`` sends when told none: the body decides."""


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, if it is at most ``limit`` bytes; a 413 problem otherwise."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise Problem(400, "PU-SERVER-LENGTH", f"Content-Length {declared!r} is not a number of bytes")
        if int(declared) > limit:
            raise _too_large(limit, f"Content-Length says {int(declared)} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit, f"more than {limit} bytes arrived")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int, what: str) -> Problem:
    return Problem(413, "PU-SERVER-TOO-LARGE", f"the body is over this server's limit of {limit} bytes ({what}); "
                   "it was not read", limit=limit)


def body_kind(request: Request, body: bytes, accepted: tuple[BodyKind, ...]) -> BodyKind:
    """``xml`` or ``json``, by ``Content-Type`` (or the first character); a 415 problem for
    another type, or a kind the endpoint does not take."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    kind: BodyKind | None
    if media in _UNSAID:
        kind = "json" if body.lstrip()[:1] == b"{" else "xml"
    elif media in _JSON or media.endswith("+json"):
        kind = "json"
    elif media in _XML or media.endswith("+xml"):
        kind = "xml"
    else:
        kind = None
    if kind not in accepted:
        takes = " or ".join({"xml": "XML (application/xml)", "json": "contract JSON (application/json)"}[k]
                            for k in accepted)
        raise Problem(415, "PU-SERVER-MEDIA-TYPE", f"{request.url.path} takes {takes}, not {media or kind}")
    return kind
