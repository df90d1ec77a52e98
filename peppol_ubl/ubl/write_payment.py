"""Writer for payment instructions (BG-16 … BG-19), payment terms BT-20, delivery BG-13.

Each bank account becomes its own ``PaymentMeans`` (Peppol allows one
``PayeeFinancialAccount`` per payment means), so "credit transfer to one of two
accounts" is two payment means with the same code. The account identifier BT-84 is
the ``iban`` or, for any other account, the ``account_id``. On a credit note the due date
(BT-9) is written in every payment means as ``PaymentDueDate``.
"""

from __future__ import annotations

import datetime as dt

from ..model import BankAccount, Delivery, Payment, PaymentMeans
from .build import Node, Writer, require
from .write_party import write_address

__all__ = ["write_delivery", "write_payment_means", "write_payment_terms"]

_DISCOUNT_LINE = "#SKONTO#"


def _one_means(
    w: Writer, parent: Node, means: PaymentMeans, path: str,
    account: BankAccount | None, due_date: dt.date | None, first: bool,
) -> None:
    code = require(means.means_code, f"{path}.means_code", "payment means type code (BT-81)")
    node = w.group(parent, "PaymentMeans", source=path)
    w.text(node, "PaymentMeansCode", code, name=means.means_text if first else None)
    w.date(node, "PaymentDueDate", due_date)
    w.text(node, "PaymentID", means.payment_id)
    card = means.card
    if card is not None and (card.pan or card.network or card.holder_name):
        account_node = w.group(node, "CardAccount")
        w.text(account_node, "PrimaryAccountNumberID", card.pan)
        w.text(account_node, "NetworkID", card.network)
        w.text(account_node, "HolderName", card.holder_name)
    if account is not None and (account.iban or account.account_id or account.account_name or account.bic):
        account_node = w.group(node, "PayeeFinancialAccount")
        w.text(account_node, "ID", account.iban or account.account_id)
        w.text(account_node, "Name", account.account_name)
        w.wrapped(account_node, "FinancialInstitutionBranch", "ID", account.bic)
    debit = means.direct_debit
    if debit is not None and (debit.mandate_id or debit.debited_account):
        mandate = w.group(node, "PaymentMandate")
        w.text(mandate, "ID", debit.mandate_id)
        w.wrapped(mandate, "PayerFinancialAccount", "ID", debit.debited_account)


def write_payment_means(
    w: Writer, parent: Node, payment: Payment | None, due_date: dt.date | None
) -> None:
    """``PaymentMeans`` elements for the legacy single payment and the ``payments`` array.

    ``due_date`` is passed only for credit notes (``PaymentDueDate``).
    """
    if payment is None:
        return
    legacy = payment.legacy_means()
    entries = [("payment", legacy)] if legacy else []
    entries += [(f"payment.payments[{i}]", means) for i, means in enumerate(payment.payments or [])]
    for path, means in entries:
        for index, account in enumerate(means.bank_accounts or [None]):
            _one_means(w, parent, means, path, account, due_date, first=index == 0)


def write_payment_terms(w: Writer, parent: Node, payment: Payment | None) -> None:
    """``PaymentTerms/Note`` (BT-20), as given, with the line break XRechnung asks after
    its discount lines (``#SKONTO#…#``, BR-DE-18) when the text ends with one."""
    if payment is None or not payment.terms:
        return
    terms = payment.terms
    last = terms.rstrip("\r\n").rsplit("\n", 1)[-1]
    if last.startswith(_DISCOUNT_LINE) and last.endswith("#") and not terms.endswith("\n"):
        terms += "\n"
    w.wrapped(parent, "PaymentTerms", "Note", terms)


def write_delivery(w: Writer, parent: Node, delivery: Delivery | None) -> None:
    """``Delivery`` (BG-13): date BT-72, location BT-71 with address BG-15, party BT-70."""
    if delivery is None:
        return
    node = w.group(parent, "Delivery", source="delivery")
    w.date(node, "ActualDeliveryDate", delivery.date)
    if delivery.location_id or delivery.address is not None:
        location = w.group(node, "DeliveryLocation")
        w.scheme_id(location, "ID", delivery.location_id, delivery.location_scheme)
        write_address(w, location, "Address", delivery.address, "delivery.address")
        if len(location) == 0:
            node.remove(location)
    if delivery.party_name:
        w.wrapped(w.group(node, "DeliveryParty"), "PartyName", "Name", delivery.party_name)
    if len(node) == 0:
        parent.remove(node)
