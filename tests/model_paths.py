"""Whether a contract path (``items[].price``, ``items[*].price``) names a field of the model."""

from __future__ import annotations

from typing import Any

from peppol_ubl.model import Invoice


def model_in(annotation: Any) -> Any:
    """The pydantic model inside ``X | None`` / ``list[X] | None`` (or the type itself)."""
    for arg in getattr(annotation, "__args__", ()):
        inner = model_in(arg)
        if hasattr(inner, "model_fields"):
            return inner
    return annotation


def is_model_path(path: str, model: Any = Invoice) -> bool:
    """Each dotted part of ``path`` (list markers ``[]``/``[*]`` ignored) is a field of the
    model the previous part leads to."""
    node = model
    for part in (p for p in path.replace("[*]", "").replace("[]", "").split(".") if p):
        fields = getattr(node, "model_fields", None)
        if fields is None or part not in fields:
            return False
        node = model_in(fields[part].annotation)
    return True
