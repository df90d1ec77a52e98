"""Payment instructions (BG-16 … BG-19) and payment terms (BT-20).

The seed contract has both a ``payments`` array and the legacy single-payment fields
directly on ``payment``; both are accepted. :meth:`Payment.means` gives them as one
list, the legacy one first.
"""

from __future__ import annotations

import re

from pydantic import field_validator, model_validator

from .common import ContractModel, text

__all__ = ["BankAccount", "Card", "DirectDebit", "Payment", "PaymentMeans", "iban_shaped"]

_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}")


def iban_shaped(value: str) -> bool:
    """Whether ``value`` has the form of an IBAN (ISO 13616: country code, two check
    digits, up to 30 letters and digits; the print form's single spaces allowed)."""
    compact = value.replace(" ", "")
    return "  " not in value and _IBAN.fullmatch(compact) is not None


class BankAccount(ContractModel):
    """A payee account for credit transfer (BG-17)."""

    iban: str | None = text(34)
    """Account identifier BT-84 when it is an IBAN (ISO 13616 form, at most 34 characters)."""
    account_id: str | None = text(500)
    """Account identifier BT-84 when it is not an IBAN: a national account number, a
    proxy such as an e-mail address or a PayNow UEN, a payment URL (allowed outside
    SEPA, e.g. in Australia); an addition to the seed contract. Give ``iban`` or this."""
    bic: str | None = text(11)
    """Payment service provider BT-86."""
    account_name: str | None = text(255)
    """BT-85."""

    @field_validator("iban")
    @classmethod
    def _an_iban(cls, value: str | None) -> str | None:
        if value and not iban_shaped(value):
            raise ValueError("iban is not in the form of an IBAN (country code, check digits, "
                             "up to 30 letters and digits); put another account identifier in account_id")
        return value

    @model_validator(mode="after")
    def _one_account_identifier(self) -> BankAccount:
        if self.iban and self.account_id:
            raise ValueError("iban and account_id are both the account identifier BT-84; give one")
        return self


class Card(ContractModel):
    """Payment card information (BG-18)."""

    pan: str | None = text(20)
    """Primary account number BT-87 (Peppol: at most the last 4-6 digits)."""
    network: str | None = text(50)
    """Card network (cbc:NetworkID), e.g. VISA."""
    holder_name: str | None = text(255)
    """BT-88."""


class DirectDebit(ContractModel):
    """Direct debit (BG-19); the creditor id BT-90 is a seller identifier with scheme SEPA."""

    mandate_id: str | None = text(255)
    """Mandate reference BT-89."""
    debited_account: str | None = text(255)
    """Debited account BT-91."""


class PaymentMeans(ContractModel):
    """One payment means (BG-16)."""

    means_code: str | None = text(10)
    """Payment means type code BT-81 (UNCL 4461, e.g. 30, 31, 58, 48, 49, 59)."""
    means_text: str | None = text(255)
    """BT-82."""
    payment_id: str | None = text(255)
    """Remittance information BT-83."""
    bank_accounts: list[BankAccount] | None = None
    card: Card | None = None
    direct_debit: DirectDebit | None = None


class Payment(ContractModel):
    """Payment terms and means."""

    terms: str | None = None
    """Payment terms BT-20."""
    payments: list[PaymentMeans] | None = None
    means_code: str | None = text(10)
    means_text: str | None = text(255)
    payment_id: str | None = text(255)
    bank_account: BankAccount | None = None
    card: Card | None = None
    direct_debit: DirectDebit | None = None

    def legacy_means(self) -> PaymentMeans | None:
        """The legacy single payment as a ``PaymentMeans``, or None when none of its fields is set."""
        legacy = (self.means_code, self.means_text, self.payment_id, self.bank_account,
                  self.card, self.direct_debit)
        if all(part is None for part in legacy):
            return None
        return PaymentMeans(
            means_code=self.means_code,
            means_text=self.means_text,
            payment_id=self.payment_id,
            bank_accounts=[self.bank_account] if self.bank_account else None,
            card=self.card,
            direct_debit=self.direct_debit,
        )

    def means(self) -> list[PaymentMeans]:
        """All payment means: the legacy single payment (if any field is set) first."""
        legacy = self.legacy_means()
        return ([legacy] if legacy else []) + list(self.payments or [])
