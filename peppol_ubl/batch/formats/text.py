"""Text output of a batch, for people: each document's report, then the summary line.

Each document starts with ``FILE: `` and its report's text (the verdict line, then one
line per finding), or ``FILE: UNUSABLE: why`` when it could not be read; the last line
is the batch summary. ``ProgressBar`` draws progress on a terminal while a batch runs.
"""

from __future__ import annotations

from typing import TextIO

from ..runner import Batch, Outcome

__all__ = ["ProgressBar", "batch_to_text"]


def batch_to_text(batch: Batch) -> str:
    """Every document's report and the summary line, one document after another."""
    return "\n".join([*(_outcome_text(outcome) for outcome in batch.outcomes), batch.summary_line()])


def _outcome_text(outcome: Outcome) -> str:
    if outcome.report is None:
        return f"{outcome.file}: UNUSABLE: {outcome.error}"
    return f"{outcome.file}: {outcome.report.to_text()}"


class ProgressBar:
    """Progress of a batch, redrawn in place on one terminal line (``[####----] 4/8``)."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self._stream = stream
        self._width = width

    def __call__(self, done: int, total: int) -> None:
        filled = self._width * done // total
        self._stream.write(f"\r[{'#' * filled}{'-' * (self._width - filled)}] {done}/{total}")
        if done == total:
            self._stream.write("\r\033[K")
        self._stream.flush()
