"""Barcodes (GTIN): one canonical form for the 8-, 12-, 13- and 14-digit ways of writing a code.

A UPC-A printed as 12 digits, the same code read as an EAN-13 with a leading zero, and the
GTIN-14 with two leading zeros are one product (GS1 General Specifications, 3.3: every GTIN
is right-aligned in a 14-digit field). The food table stores that 14-digit form, so a lookup
is one equality on an indexed column whatever form was scanned or typed.
"""

from __future__ import annotations

GTIN_LENGTH = 14
_ACCEPTED_LENGTHS = frozenset({8, 12, 13, 14})


def _digits(text: str) -> str | None:
    digits = "".join(ch for ch in (text or "") if ch not in " -")
    return digits if digits.isascii() and digits.isdigit() else None


def looks_like_barcode(text: str) -> bool:
    """Whether `text` is written as a barcode is (8, 12, 13 or 14 digits, or 8 to 14 after
    leading zeros), whether or not any product has it: a well-formed code that names no
    product, all zeros included, is an empty answer rather than a refusal."""
    digits = _digits(text)
    if not digits:
        return False
    return len(digits) in _ACCEPTED_LENGTHS or 8 <= len(digits.lstrip("0")) <= GTIN_LENGTH


def canonical_gtin(text: str) -> str | None:
    """The 14-digit form of a barcode, or None when `text` is not one.

    Spaces and hyphens are ignored; anything else but digits makes it no barcode. Leading
    zeros are free: "012345678905", "0012345678905" and "00012345678905" are the same code.
    """
    digits = _digits(text)
    if digits is None:
        return None
    stripped = digits.lstrip("0")
    if not stripped or len(stripped) > GTIN_LENGTH:
        return None
    if len(digits) not in _ACCEPTED_LENGTHS and len(stripped) < 8:
        return None
    return stripped.rjust(GTIN_LENGTH, "0")


def shown_gtin(canonical: str) -> str:
    """How a stored code is shown: the 12-digit UPC-A or 13-digit EAN-13 people see on packs."""
    if not canonical:
        return ""
    if len(canonical) == GTIN_LENGTH and canonical.startswith("00"):
        return canonical[2:]
    if len(canonical) == GTIN_LENGTH and canonical.startswith("0"):
        return canonical[1:]
    return canonical


def check_digit_ok(canonical: str) -> bool:
    """Whether the last digit is the GS1 check digit of the others (mod-10, weights 3 and 1)."""
    if len(canonical) != GTIN_LENGTH or not canonical.isdigit():
        return False
    body = [int(ch) for ch in canonical[:-1]]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    return (10 - total % 10) % 10 == int(canonical[-1])
