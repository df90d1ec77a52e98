"""Text output of a batch, for people: each document's report, then the summary line.

Each document starts with ``FILE: `` and its report's text (the verdict line, then one
line per finding), or ``FILE: UNUSABLE: why`` when it could not be used (missing, not a
regular file, or refused by the input layer: then ``why`` is that ``PU-INPUT-…``
finding); the last line is the batch summary. ``outcome_text`` is one document's block,
for front ends that print each document as it finishes.
"""

from __future__ import annotations

from ..runner import Batch, Outcome

__all__ = ["batch_to_text", "outcome_text"]


def batch_to_text(batch: Batch) -> str:
    """Every document's report and the summary line, one document after another."""
    return "\n".join([*(outcome_text(outcome) for outcome in batch.outcomes), batch.summary_line()])


def outcome_text(outcome: Outcome) -> str:
    """One document: ``FILE: `` and its report's text, or ``FILE: UNUSABLE: why``."""
    if outcome.status == "unusable":
        return f"{outcome.file}: UNUSABLE: {outcome.error}"
    assert outcome.report is not None
    return f"{outcome.file}: {outcome.report.to_text()}"
