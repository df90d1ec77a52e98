"""Fingerprint: a SHA-256 over the canonical form of an invoice's contract content.

The same invoice always gives the same fingerprint, however its JSON was written: key
order, whitespace, number spelling (``12.5``/``12.50``, ``1E+1``/``10``) and ``null`` vs
an absent key vs an empty list or object do not count. Any change of a value does.

Canonical form: the model dumped to plain data; ``None``, empty lists and empty objects
removed (recursively, so an object left empty disappears too); every ``Decimal`` written
in its shortest plain form (``Decimal("1.50")`` -> ``"1.5"``, ``-0`` -> ``"0"``); dates
and UUIDs as ISO strings; then JSON with sorted keys and no whitespace. Integers (cents)
stay JSON numbers, so a quantity ``"10"`` never equals an amount ``10``. Texts are kept
exactly as given.

Decisions: every contract field counts, the platform ones included
(``business_entity_id`` names the seller when ``seller`` is absent,
``header.invoice_number_series`` decides the number when ``invoice_number`` is absent,
``calculate_totals`` decides which amounts are sent, ``related_invoice_id`` links the
record); documented defaults are not applied (``base_quantity`` 1 and an absent
``base_quantity`` differ), because the fingerprint is of the content as given, not of
the UBL that would be written. :func:`document_fingerprint` fingerprints XML instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any
from uuid import UUID

from lxml import etree

from .model import Invoice

__all__ = ["canonical_form", "document_fingerprint", "fingerprint"]


def _plain_decimal(value: Decimal) -> str:
    normal = value.normalize()
    if normal.is_zero():
        return "0"
    return format(normal, "f")


def _canonical(value: Any) -> Any:
    """The value with empties dropped and numbers, dates and UUIDs spelled one way."""
    if isinstance(value, dict):
        pairs = ((key, _canonical(item)) for key, item in value.items())
        return {key: item for key, item in pairs if item is not None} or None
    if isinstance(value, list | tuple):
        items = [item for item in (_canonical(entry) for entry in value) if item is not None]
        return items or None
    if isinstance(value, Decimal):
        return _plain_decimal(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def canonical_form(invoice: Invoice) -> str:
    """The canonical JSON text of ``invoice`` that :func:`fingerprint` hashes."""
    data = _canonical(invoice.model_dump(mode="python")) or {}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(invoice: Invoice) -> str:
    """SHA-256 (hex) of the canonical form of ``invoice``'s contract content."""
    return hashlib.sha256(canonical_form(invoice).encode("utf-8")).hexdigest()


def document_fingerprint(root: etree._Element) -> str:
    """SHA-256 (hex) of a UBL document's canonical XML (C14N 2.0, prefixes rewritten,
    text stripped of surrounding whitespace): the fingerprint of an XML source, which has
    no contract model. Equal documents hash equal whatever their prefixes, indentation
    or attribute order; unlike :func:`fingerprint` it sees number spelling."""
    canonical = etree.canonicalize(etree.tostring(root, encoding="unicode"), strip_text=True,
                                   rewrite_prefixes=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
