"""Reader for payment instructions (BG-16 … BG-19), payment terms BT-20 and delivery
BG-13; the counterpart of :mod:`peppol_ubl.ubl.write_payment`.

Every ``PaymentMeans`` becomes one entry of ``payment.payments`` with at most one bank
account (the writer's form: one payee account per payment means); the legacy
single-payment fields of the contract are never filled. An account identifier BT-84 in
the form of an IBAN is the ``iban``, any other the ``account_id``. On a credit note the due date
BT-9 is read from ``PaymentDueDate`` (the first one; a different date in a later
payment means stays unmapped).
"""

from __future__ import annotations

import datetime as dt

from ..model import iban_shaped
from .read_context import Node, ReadContext, Sourced, compact
from .read_party import read_address

__all__ = ["read_delivery", "read_payment"]


def _means(ctx: ReadContext, node: Node) -> dict[str, object]:
    code = ctx.one(node, "cbc:PaymentMeansCode")
    card = ctx.one(node, "cac:CardAccount")
    account = ctx.one(node, "cac:PayeeFinancialAccount")
    mandate = ctx.one(node, "cac:PaymentMandate")
    account_id = ctx.text(account, "cbc:ID")
    iban = account_id is not None and iban_shaped(str(account_id.value))
    bank = compact(
        iban=account_id if iban else None,
        account_id=None if iban else account_id,
        account_name=ctx.text(account, "cbc:Name"),
        bic=ctx.text(ctx.one(account, "cac:FinancialInstitutionBranch"), "cbc:ID"),
    )
    return compact(
        means_code=ctx.node_text(code),
        means_text=ctx.attr(code, "name"),
        payment_id=ctx.text(node, "cbc:PaymentID"),
        bank_accounts=[bank] if bank else None,
        card=compact(
            pan=ctx.text(card, "cbc:PrimaryAccountNumberID"),
            network=ctx.text(card, "cbc:NetworkID"),
            holder_name=ctx.text(card, "cbc:HolderName"),
        ),
        direct_debit=compact(
            mandate_id=ctx.text(mandate, "cbc:ID"),
            debited_account=ctx.text(ctx.one(mandate, "cac:PayerFinancialAccount"), "cbc:ID"),
        ),
    ) or {}


def _due_date(ctx: ReadContext, means: list[Node]) -> Sourced[dt.date] | None:
    """The credit note's due date: the first ``PaymentDueDate``; equal later ones are the
    same value written again, others stay unmapped."""
    first: Sourced[dt.date] | None = None
    for node in means:
        due = ctx.date(node, "cbc:PaymentDueDate")
        if due is None:
            continue
        if first is None:
            first = due
        elif due.value != first.value:
            ctx.release(due)
    return first


def read_payment(ctx: ReadContext, root: Node, credit: bool) -> dict[str, object]:
    """Payment means and terms: ``{"payment": {...} | None, "due_date": ...}``."""
    nodes = ctx.all(root, "cac:PaymentMeans")
    payment = compact(
        terms=ctx.text(ctx.one(root, "cac:PaymentTerms"), "cbc:Note"),
        payments=[_means(ctx, node) for node in nodes],
    )
    return {"payment": payment, "due_date": _due_date(ctx, nodes) if credit else None}


def read_delivery(ctx: ReadContext, root: Node) -> dict[str, object] | None:
    """``Delivery`` (BG-13): date BT-72, location BT-71 with address BG-15, party BT-70."""
    node = ctx.one(root, "cac:Delivery")
    if node is None:
        return None
    location = ctx.one(node, "cac:DeliveryLocation")
    location_id = ctx.one(location, "cbc:ID")
    return compact(
        date=ctx.date(node, "cbc:ActualDeliveryDate"),
        location_id=ctx.node_text(location_id),
        location_scheme=ctx.attr(location_id, "schemeID"),
        address=read_address(ctx, ctx.one(location, "cac:Address")),
        party_name=ctx.text(ctx.path(node, "cac:DeliveryParty", "cac:PartyName"), "cbc:Name"),
    )
