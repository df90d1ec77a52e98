"""What a server runs with: address, pool, limits, token, idempotency store, rule sets to warm."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..catalogue import default_ruleset
from ..xml.limits import DEFAULT_LIMITS

__all__ = ["ServerConfig", "default_store_path"]


def default_store_path() -> Path:
    """``$XDG_STATE_HOME/peppol-ubl/idempotency.sqlite3`` (``~/.local/state`` without it):
    records are state to keep, not a cache to clear."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "peppol-ubl" / "idempotency.sqlite3"


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """The settings of ``peppol-ubl serve`` (each is one of its options)."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    """Validation processes behind the one ASGI process."""
    queue: int = 32
    """Requests that may wait for a validation process; beyond them a 503."""
    max_bytes: int = DEFAULT_LIMITS.max_bytes
    """The largest request body taken (the library's input limit by default)."""
    rulesets: tuple[str, ...] = ()
    """Specs compiled at start besides the default rule set in force."""
    token: str | None = None
    """The bearer token every request but ``/health`` must send, if set."""
    store: Path | None = None
    """The SQLite file of the idempotency records (:func:`default_store_path` if ``None``)."""
    retention_seconds: float = 24 * 3600.0
    shutdown_seconds: int = 30
    """How long a shutdown waits for requests in flight before it ends them."""

    @property
    def warm(self) -> tuple[str, ...]:
        """The specs every validation process compiles at start: the default rule set, then ``rulesets``."""
        return tuple(dict.fromkeys((default_ruleset(), *self.rulesets)))
