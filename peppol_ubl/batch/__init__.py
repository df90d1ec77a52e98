"""Many documents at once: the batch runner, the output formats of a run, and ``validate_many``.

:mod:`.runner` validates documents one by one or in a pool of processes and records what
became of each (:class:`~.runner.Batch`); :mod:`.formats` writes a batch as text, JSON,
JUnit XML or SARIF. :mod:`.many` is ``validate_many``: reports for any number of
documents, in order and in bounded memory, from local processes or a Dask cluster
(:mod:`.cluster`, the ``dask`` extra), each worker running :mod:`.chunks`; :mod:`.remote`
sends a batch to a running ``peppol-ubl serve``. This package sits above
:mod:`peppol_ubl.validation` (it calls ``validate`` per document) and below the server and
the command line. ``validate_many`` is public, imported from here (on first use); the
modules are internal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .many import validate_many as validate_many

__all__ = ["validate_many"]


def __getattr__(name: str) -> Any:
    if name == "validate_many":
        from .many import validate_many

        return validate_many
    raise AttributeError(f"module 'peppol_ubl.batch' has no attribute {name!r}")
