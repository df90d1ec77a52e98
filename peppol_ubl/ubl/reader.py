"""The UBL 2.1 reader: a Peppol BIS 3.0 Invoice or CreditNote to an
:class:`~peppol_ubl.model.Invoice`, with everything the model cannot carry reported.

``parse(source)`` returns the model; ``parse_report(source)`` also returns what was left
out: ``unmapped`` lists every element text and attribute of the document that the model
does not carry (see :mod:`peppol_ubl.ubl.unmapped` for the XPath form), ``warnings``
every value the model holds only approximately or refused. The input goes through the
same hardened parsing as validation (:func:`peppol_ubl.xml.safe.load_document`:
no DTD, entities, network or XInclude; size and depth limits; SBDH envelopes unwrapped),
and anything that cannot be read as an invoice raises
:class:`~peppol_ubl.errors.ParseError` naming the rule or the field, never quoting the
document.

The reader is the writer's inverse: for every model ``m`` the writer accepts,
``to_xml(parse(to_xml(m))) == to_xml(m)``, and ``parse(to_xml(m)) == canonical(m)``
(:func:`peppol_ubl.ubl.read_canonical.canonical` states the normal form: defaults made
explicit, amounts computed). It never validates: a document that breaks business rules
is read as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from ..errors import ParseError
from ..model import Invoice
from ..xml.paths import path_of
from ..xml.safe import InputLimits, Source, load_document
from .read_context import INVALID, Node, ReadContext, Sourced, compact
from .read_header import read_attachments, read_header, read_references
from .read_lines import read_allowance_charges, read_line
from .read_party import read_buyer, read_payee, read_seller, read_tax_representative
from .read_payment import read_delivery, read_payment
from .read_totals import read_monetary_total, read_tax_totals
from .terms import VAT_CURRENCY_TOTALS
from .unmapped import ParseWarning, Unmapped, collect_unmapped

__all__ = ["ParseReport", "parse", "parse_report"]

_Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class ParseReport:
    """The model read from a document, and what the model could not carry."""

    invoice: Invoice
    unmapped: tuple[Unmapped, ...]
    """Element texts and attributes with content that the model does not carry."""
    warnings: tuple[ParseWarning, ...]
    """Values held only approximately (rounded, time zone dropped) or refused."""


def parse(source: Source) -> Invoice:
    """Read a UBL Invoice or CreditNote (XML bytes or a file path) as a model."""
    return parse_report(source).invoice


def parse_report(source: Source, *, limits: InputLimits | None = None) -> ParseReport:
    """Read a UBL Invoice or CreditNote and report what the model does not carry.

    ``limits`` bounds the input as for ``validate``; the reader runs no Saxon, so it takes
    limits above the defaults too."""
    parsed = load_document(source, limits=limits)
    assert parsed.root is not None  # load_document raises when the input is refused
    ctx = ReadContext(parsed.root)
    raw = _read_document(ctx, parsed.root, parsed.document_type == "CreditNote")
    invoice = _build(ctx, raw)
    unmapped = collect_unmapped(parsed.root, ctx.taken, ctx.taken_attributes)
    return ParseReport(invoice, tuple(unmapped), tuple(ctx.warnings))


def _read_document(ctx: ReadContext, root: Node, credit: bool) -> dict[str, object]:
    """Every area of the document as contract fields (leaves still :class:`Sourced`)."""
    header = read_header(ctx, root, credit)
    refs = read_references(ctx, root)
    header.update(refs["header"])
    references = refs["references"]
    documents = read_attachments(ctx, root, credit)
    if documents.get("project_reference") is not None:
        header["project_reference"] = documents["project_reference"]
    if documents.get("invoiced_object"):
        references["invoiced_object"] = documents["invoiced_object"]
    payment = read_payment(ctx, root, credit)
    if payment["due_date"] is not None:
        header["due_date"] = payment["due_date"]
    vat_currency = header.get("vat_currency")
    tax = read_tax_totals(ctx, root, vat_currency.value if isinstance(vat_currency, Sourced)
                          and isinstance(vat_currency.value, str) else None)
    totals = read_monetary_total(ctx, root) or {}
    totals.update(compact(tax_amount=tax.get("tax_amount"),
                          tax_amount_in_vat_currency=tax.get("tax_amount_in_vat_currency")) or {})
    totals.update(compact(**{field: documents.get(field) for field in VAT_CURRENCY_TOTALS}) or {})
    charges = read_allowance_charges(ctx, root, document=True)
    lines = ctx.all(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    document = compact(
        header=header,
        seller=read_seller(ctx, root),
        buyer=read_buyer(ctx, root),
        payee=read_payee(ctx, root),
        tax_representative=read_tax_representative(ctx, root),
        delivery=read_delivery(ctx, root),
        payment=payment["payment"],
        references=references,
        totals=totals,
        allowances=charges["allowances"],
        charges=charges["charges"],
        tax_breakdown=tax.get("tax_breakdown"),
        attachments=documents["attachments"],
    ) or {}
    document["items"] = [read_line(ctx, line, credit) for line in lines]
    return document


class _Plain:
    """Unwraps :class:`Sourced` leaves, remembering where each value came from."""

    def __init__(self, ctx: ReadContext) -> None:
        self.ctx = ctx
        self.origins: dict[_Loc, Sourced[object]] = {}
        self.refused: dict[_Loc, Sourced[object]] = {}

    def unwrap(self, value: object, loc: _Loc = ()) -> object:
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                plain = self.unwrap(item, (*loc, key))
                if plain is not INVALID:
                    out[key] = plain
            return out
        if isinstance(value, list):
            return [self.unwrap(item, (*loc, index)) for index, item in enumerate(value)]
        if isinstance(value, Sourced):
            if value.value is INVALID:
                self.refuse(loc, value, "the value is not valid for its data type")
                return INVALID
            self.origins[loc] = value
            return value.value
        return value

    def refuse(self, loc: _Loc, value: Sourced[object], reason: str) -> None:
        """Leave a value out of the model: it becomes unmapped, with a warning."""
        self.ctx.release(value)
        self.ctx.warn(value, "invalid", f"{_dotted(loc)}: {reason}; left out of the model")
        self.refused[loc] = value


def _build(ctx: ReadContext, raw: dict[str, object]) -> Invoice:
    """Validate the read fields as an ``Invoice``; values the contract refuses are left
    out (and reported) when the field is optional, a ``ParseError`` otherwise."""
    plain = _Plain(ctx)
    data = plain.unwrap(raw)
    assert isinstance(data, dict)
    while True:
        try:
            return Invoice.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False)
        for error in reversed(errors):
            loc = tuple(error["loc"])
            source = plain.origins.pop(loc, None)
            if source is None:
                refused = plain.refused.get(loc)
                raise ParseError(_missing(loc, error["type"], refused),
                                 xpath=refused.xpath if refused else path_of(ctx.root)) from None
            plain.refuse(loc, source, f"refused by the contract ({error['type']})")
            _delete(data, loc)


def _delete(data: dict[str, object], loc: _Loc) -> None:
    container: object = data
    for key in loc[:-1]:
        container = container[key]  # type: ignore[index]
    del container[loc[-1]]  # type: ignore[attr-defined]


def _dotted(loc: _Loc) -> str:
    """A contract field path: ``("items", 2, "price")`` -> ``items[2].price``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "invoice"


def _missing(loc: _Loc, error_type: str, refused: Sourced[object] | None) -> str:
    field = _dotted(loc)
    if refused is not None:
        return f"cannot read the document as an invoice: {field} is required, but this value is not valid"
    if error_type == "too_short" and loc == ("items",):
        return "cannot read the document as an invoice: items: it has no invoice or credit note lines"
    if error_type == "missing":
        return f"cannot read the document as an invoice: {field} is required but the document has none"
    return f"cannot read the document as an invoice: {field} is not valid ({error_type})"
