"""Python's cycle collector held off while a validation runs.

The totals layer reads every line of an invoice into Python objects that live until
the layer ends. CPython's cycle collector runs whenever allocations outnumber
deallocations by a threshold, and each of its oldest-generation passes visits every
live object: on a 100,000-line invoice those passes took about a second of the four
the totals layer took, a cost that grows faster than the document. A validation
creates no reference cycles that must be freed while it runs, so for a large document
(``LARGE_DOCUMENT``) the collector is paused from the XSD layer to the report and then
put back as it was; garbage from before or elsewhere is collected at its next pass. Pauses nest and may overlap across
threads: the first to begin pauses the collector, the last to end restores it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]

_lock = threading.Lock()
_active = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block (restored when the last pause ends)."""
    global _active, _was_enabled
    with _lock:
        if _active == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _was_enabled:
                gc.enable()
