"""What a batch worker does: read each source of a chunk, validate it, and warm up first.

These functions run wherever the documents are validated (this process, a local pool,
a Dask worker), so they are named by reference and take only picklable arguments. A
source is the document's bytes, a local path, or an fsspec URL (``s3://…``, ``file://…``:
anything with ``://``, read with fsspec where the function runs). A source that cannot be
read (missing, no permission, an unknown URL protocol) gives :class:`Unreadable` in its
place, holding the ``OSError``, so one bad file does not fail its chunk.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..validation.api import validate
from ..validation.report import Report
from ..xml.namespaces import INVOICE

__all__ = ["WARM_UP", "Source", "Unreadable", "is_url", "read_source", "validate_chunk", "warm"]

Source = str | os.PathLike[str] | bytes

WARM_UP = f'<Invoice xmlns="{INVOICE}"/>'.encode()
"""The smallest document the input layer accepts: validating it compiles the XSD and every
stylesheet of a rule set (the schema fails, and the later layers still run)."""


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A source that could not be read, in its place among the results."""

    error: OSError


def is_url(name: str) -> bool:
    """Whether ``name`` is an fsspec URL rather than a local path."""
    return "://" in name


def read_source(source: Source) -> bytes | Path:
    """The document to validate: bytes as given, a URL's bytes, or a path to read."""
    if isinstance(source, bytes):
        return source
    name = os.fspath(source)
    if not is_url(name):
        return Path(name)
    try:
        import fsspec
    except ImportError as exc:
        raise OSError(f"{name}: reading URLs needs fsspec (pip install 'peppol-ubl[dask]')") from exc
    with fsspec.open(name, "rb") as stream:
        data: bytes = stream.read()
    return data


def validate_chunk(sources: Sequence[Source], options: dict[str, Any]) -> list[Report | Unreadable]:
    """``validate(source, **options)`` for each source, in order."""
    results: list[Report | Unreadable] = []
    for source in sources:
        try:
            results.append(validate(read_source(source), **options))
        except OSError as exc:
            results.append(Unreadable(exc))
    return results


def warm(options: dict[str, Any]) -> None:
    """Compile the XSD and every stylesheet ``options`` will run, in this process."""
    validate(WARM_UP, **{**options, "stop_on_error": False})
