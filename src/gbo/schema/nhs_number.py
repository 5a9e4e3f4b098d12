"""The NHS number: ten digits, the last a modulus 11 check digit over the first nine.

The check digit of nine digits ``d1 … d9`` is ``11 - (10·d1 + 9·d2 + … + 2·d9) mod 11``,
with 11 written as 0; a remainder that would need 10 as check digit means those nine digits
are never issued as an NHS number. Put another way, a ten-digit number is valid exactly when
``10·d1 + 9·d2 + … + 2·d9 + 1·d10`` is a multiple of 11.

Because 11 is prime and every weight (and every difference of two weights) lies between 1
and 10, the check catches **every** change of a single digit and **every** swap of two
unequal digits, adjacent or not: the weighted sum changes by a non-zero multiple of a number
below 11, which is never a multiple of 11. Two changes together can cancel out.

NHS England reserves the numbers starting ``999`` for testing; none is issued to a patient.
"""

from __future__ import annotations

import re

N_DIGITS = 10
MIN_DIGITS = 6  # fewer digits than this identify nobody (a fragment or a placeholder)
# Weights of the first nine digits; the check digit itself counts once.
WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
NEVER_ISSUED = 10  # the check digit nine digits would need when they are never issued
TEST_RANGE_PREFIX = "999"
# What may stand between the digits as recorded: spaces (also tabs, line breaks and
# no-break spaces) and dashes. Written so that Python's re and DuckDB's RE2 read it alike.
SEPARATOR_PATTERN = "[ \t\r\n\u00a0-]+"
_SEPARATORS = re.compile(SEPARATOR_PATTERN)
# Details of a data quality finding about an NHS number (fixed text, never the value).
NOT_TEN_DIGITS = "not ten digits"
CHECK_DIGIT_FAILS = "check digit fails"


def nhs_check_digit(first_nine: str) -> int:
    """The check digit of nine digits (10: those nine digits are never issued)."""
    if len(first_nine) != N_DIGITS - 1 or not first_nine.isdigit() or not first_nine.isascii():
        raise ValueError("an NHS number's check digit is computed over exactly nine digits")
    total = sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True))
    return (11 - total % 11) % 11


def is_valid_nhs_number(digits: str) -> bool:
    """Ten digits whose last is the modulus 11 check digit of the other nine."""
    if len(digits) != N_DIGITS or not digits.isdigit() or not digits.isascii():
        return False
    check = nhs_check_digit(digits[:9])
    return check != NEVER_ISSUED and check == int(digits[9])


def nhs_number_digits(text: str) -> str:
    """An NHS number as recorded, with its spaces and dashes dropped (``943 476 5919``)."""
    return _SEPARATORS.sub("", text)


def meaningful_nhs_digits(value: object) -> str | None:
    """The digits of a recorded NHS number, or None when they identify nobody.

    Blank, fewer than ``MIN_DIGITS`` digits, or one digit repeated (a dummy such as
    ``0000000000``) is None. The check digit is not enforced: a number mistyped by a digit
    still points at a person (linkage grades it; the leak audit must still find it).
    """
    if not isinstance(value, str | int):
        return None
    digits = "".join(ch for ch in str(value) if ch in "0123456789")
    if len(digits) < MIN_DIGITS or len(set(digits)) == 1:
        return None
    return digits


def nhs_number_problem(text: str) -> str | None:
    """Why a recorded NHS number is not a valid one (None when it is).

    The answer is fixed text, never the value: an NHS number identifies a person.
    """
    digits = nhs_number_digits(text)
    if len(digits) != N_DIGITS or not digits.isdigit() or not digits.isascii():
        return NOT_TEN_DIGITS
    return None if is_valid_nhs_number(digits) else CHECK_DIGIT_FAILS
