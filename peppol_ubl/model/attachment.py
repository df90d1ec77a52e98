"""Additional supporting documents (BG-24: BT-122 … BT-125)."""

from __future__ import annotations

import base64
import binascii

from pydantic import field_validator

from .common import ContractModel, text

__all__ = ["Attachment"]


class Attachment(ContractModel):
    """An attached document, embedded (base64 ``data``) or referenced by URL."""

    id: str | None = text(255)
    """Supporting document reference BT-122; defaults to the file name. An addition to
    the seed contract."""
    filename: str | None = text(255)
    """Attached document filename (``filename`` attribute of BT-125)."""
    mime_type: str | None = text(100)
    """Attached document MIME code (``mimeCode`` of BT-125)."""
    description: str | None = text(255)
    """Supporting document description BT-123."""
    data: str | None = None
    """Attached document BT-125, base64 encoded."""
    external_reference: str | None = text(500)
    """External document location BT-124 (a URL)."""

    @field_validator("data")
    @classmethod
    def _base64(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ValueError(f"data is not valid base64: {exc}") from None
        return value
