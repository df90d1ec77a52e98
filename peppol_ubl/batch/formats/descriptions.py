"""What a rule says in general, for rule descriptions (SARIF ``shortDescription``).

A Schematron check's message is a template: literal text with ``value-of`` and ``name``
parts filled in per failure (the value found, the element's name). The rule's own text
is that template with each dynamic part left out, shown as ``…``, and its white space
collapsed: ``[BR-CO-16]-Amount due for payment (BT-115) = …``. The texts come from the
Schematron files a report names among its artefacts (official ones through the pinned
lookup, the user's own by path) and are read once per process. Our own ``PU-…`` ids are
described by their meaning in :mod:`peppol_ubl.codes`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ...artifacts import artifact_path
from ...codes import CODES
from ...errors import ArtifactError
from ...validation.report import Report
from ...validation.schematron import SchematronError
from ...validation.schematron.include import assemble
from ...validation.schematron.model import MessagePart, read_schema

__all__ = ["rule_descriptions", "template_text"]

_DYNAMIC = "…"


def template_text(parts: tuple[MessagePart, ...]) -> str:
    """A message template as text: literal parts kept, dynamic parts as ``…``."""
    text = "".join(part.value if part.kind == "text" else f" {_DYNAMIC} " for part in parts)
    return " ".join(text.split())


@cache
def _schema_texts(path: Path, user: bool) -> dict[str, str]:
    """Rule id -> the text of its first check in ``path`` (empty when the file is not a
    whole schema, e.g. an included pattern); a user's file may include only files beside
    it, as when it ran."""
    try:
        schema = read_schema(assemble(path, within=path.resolve().parent if user else None).root)
    except (SchematronError, OSError, ValueError):
        return {}
    texts: dict[str, str] = {}
    for pattern in schema.patterns:
        for rule in pattern.rules:
            for check in rule.checks:
                texts.setdefault(check.id, template_text(check.message))
    return texts


def _schematron_files(report: Report) -> list[tuple[Path, bool]]:
    """The Schematron files the report ran, each with whether it is the user's own."""
    files = []
    for ref in report.artefacts:
        if not ref.path.endswith(".sch"):
            continue
        try:
            user = ref.bundle == "user"
            files.append((Path(ref.path) if user else artifact_path(ref.bundle, ref.path), user))
        except ArtifactError:
            continue  # described by the first finding's message instead
    return files


def rule_descriptions(reports: list[Report]) -> dict[str, str]:
    """Rule id -> its own text, for every rule of the Schematron files these reports
    ran and every ``PU-…`` id."""
    texts = {code.id: code.meaning for code in CODES.values()}
    seen: set[tuple[Path, bool]] = set()
    for report in reports:
        for source in _schematron_files(report):
            if source not in seen:
                seen.add(source)
                for rule_id, text in _schema_texts(*source).items():
                    if text:
                        texts.setdefault(rule_id, text)
    return texts
