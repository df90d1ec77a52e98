"""Validation on a Dask cluster: a worker plugin that warms the rules, and chunks as tasks.

:class:`WarmRules` is registered with the client once per set of options; the scheduler
gives it to every worker, now and whenever one joins or is restarted, and its ``setup``
compiles the XSD and stylesheets in that worker before it runs a task. Each chunk of
sources is one task (:func:`peppol_ubl.batch.chunks.validate_chunk`) with a key of its
own; a worker that dies takes its tasks with it and the scheduler runs them again on
another one, so every chunk's reports arrive once, whatever happened to the workers.
Saxon work is serialised in a process, so workers with one thread each use a cluster
best. The workers need peppol-ubl (and fsspec, for URLs) installed.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from distributed import Client, WorkerPlugin

from .chunks import Source, validate_chunk, warm

__all__ = ["ClusterEngine", "WarmRules"]


class WarmRules(WorkerPlugin):
    """Compile the rules of ``options`` once in every worker."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        self.name = "peppol-ubl-warm-" + hashlib.sha256(repr(sorted(options.items())).encode()).hexdigest()[:16]

    def setup(self, worker: Any) -> None:
        warm(self.options)


class ClusterEngine:
    """Chunks as tasks on the cluster of ``client``; two in flight per worker thread."""

    def __init__(self, client: Client, options: dict[str, Any]) -> None:
        self._client = client
        self._options = options
        self._run = uuid.uuid4().hex[:12]
        self._submitted = 0
        client.register_plugin(WarmRules(options))
        self.window = 2 * max(1, sum(client.nthreads().values()))  # type: ignore[no-untyped-call]

    def submit(self, chunk: list[Source]) -> Any:
        self._submitted += 1
        return self._client.submit(validate_chunk, chunk, self._options,
                                   key=f"peppol-ubl-validate-{self._run}-{self._submitted}")

    def close(self) -> None:
        """Nothing to release: each chunk's future is dropped once its reports are taken."""
