"""The idempotency store: the response a request with an ``Idempotency-Key`` got, kept for replay.

:class:`IdempotencyStore` is the interface the server uses, so a deployment can put the
records elsewhere (a database shared by several servers); :class:`SqliteStore` is the one
that ships, an embedded SQLite database file. A record is the request's fingerprint and
the response (status, media type, body), under an endpoint (``scope``) and key; the first
record written for a scope and key stays (:meth:`IdempotencyStore.put` answers with the
record that is stored, which may be another request's). Records older than the retention
period are not answered and are deleted from time to time.

SQLite runs in WAL mode with ``synchronous=FULL``: a record is on disk before ``put``
returns, so neither a shutdown nor a crash of the server loses one it has answered with.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

__all__ = ["IdempotencyStore", "SqliteStore", "StoredResponse"]

_PURGE_EVERY_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """What a request with a key was answered: kept to answer the same request again."""

    fingerprint: str
    """The SHA-256 of the request (endpoint, query and body) that got the response."""
    status: int
    media_type: str | None
    body: bytes
    created: float
    """When it was stored, in seconds since the epoch."""


class IdempotencyStore(Protocol):
    """Where the server keeps the responses of requests with an ``Idempotency-Key``."""

    def get(self, scope: str, key: str) -> StoredResponse | None:
        """The response stored for ``key`` on the endpoint ``scope``, unless it expired."""

    def put(self, scope: str, key: str, response: StoredResponse) -> StoredResponse:
        """Store ``response`` unless a record for ``key`` exists; the record now stored."""

    def close(self) -> None:
        """Release the store (every record is already durable)."""


class SqliteStore:
    """Records in the SQLite database at ``path``, answered for ``retention_seconds``."""

    def __init__(self, path: Path, retention_seconds: float) -> None:
        if retention_seconds <= 0:
            raise ValueError(f"the retention period must be positive, not {retention_seconds}")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.retention_seconds = retention_seconds
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS responses (scope TEXT NOT NULL, key TEXT NOT NULL, "
            "fingerprint TEXT NOT NULL, status INTEGER NOT NULL, media_type TEXT, body BLOB NOT NULL, "
            "created REAL NOT NULL, PRIMARY KEY (scope, key))")
        self._purged = 0.0
        self._purge()

    def get(self, scope: str, key: str) -> StoredResponse | None:
        """The response stored for ``key`` on the endpoint ``scope``, unless it expired."""
        with self._lock:
            row = self._db.execute(
                "SELECT fingerprint, status, media_type, body, created FROM responses "
                "WHERE scope = ? AND key = ? AND created >= ?",
                (scope, key, time.time() - self.retention_seconds)).fetchone()
        return StoredResponse(row[0], row[1], row[2], bytes(row[3]), row[4]) if row else None

    def put(self, scope: str, key: str, response: StoredResponse) -> StoredResponse:
        """Store ``response`` unless an unexpired record for ``key`` exists; the record now stored."""
        with self._lock:
            if time.time() - self._purged > _PURGE_EVERY_SECONDS:
                self._purge()
            self._db.execute("DELETE FROM responses WHERE scope = ? AND key = ? AND created < ?",
                             (scope, key, time.time() - self.retention_seconds))
            self._db.execute(
                "INSERT OR IGNORE INTO responses VALUES (?, ?, ?, ?, ?, ?, ?)",
                (scope, key, response.fingerprint, response.status, response.media_type, response.body,
                 response.created))
        stored = self.get(scope, key)
        assert stored is not None  # just written, or written before and not expired
        return stored

    def close(self) -> None:
        """Close the database (every record is already on disk)."""
        with self._lock:
            self._db.close()

    def _purge(self) -> None:
        """Delete the expired records (the lock is held, or the store is being opened)."""
        self._db.execute("DELETE FROM responses WHERE created < ?", (time.time() - self.retention_seconds,))
        self._purged = time.time()
