"""The NHS number check digit (modulus 11), with properties that follow from its maths."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gbo.schema.nhs_number import (
    CHECK_DIGIT_FAILS,
    NEVER_ISSUED,
    NOT_TEN_DIGITS,
    is_valid_nhs_number,
    nhs_check_digit,
    nhs_number_digits,
    nhs_number_problem,
)

NINE_DIGITS = st.text("0123456789", min_size=9, max_size=9)


@st.composite
def valid_numbers(draw: st.DrawFn) -> str:
    """Any nine digits with their check digit (bodies needing 10 are never issued)."""
    body = draw(NINE_DIGITS)
    check = nhs_check_digit(body)
    assume(check != NEVER_ISSUED)
    return body + str(check)


def test_worked_examples() -> None:
    assert is_valid_nhs_number("9434765919")
    assert nhs_check_digit("943476591") == 9
    assert not is_valid_nhs_number("9434765918")
    # In the test range (999...): 999123450 has check digit 0 (11 written as 0) and
    # 999123456 would need 10, so no NHS number starts with those nine digits.
    assert is_valid_nhs_number("9991234500")
    assert nhs_check_digit("999123456") == NEVER_ISSUED


@given(NINE_DIGITS)
def test_check_digit_agrees_with_the_formula_written_out(body: str) -> None:
    total = sum(int(d) * (10 - i) for i, d in enumerate(body))
    check = 11 - total % 11
    assert nhs_check_digit(body) == (0 if check == 11 else check)


@given(NINE_DIGITS)
def test_any_nine_digits_with_their_check_digit_are_valid_unless_never_issued(body: str) -> None:
    check = nhs_check_digit(body)
    assert 0 <= check <= NEVER_ISSUED
    if check == NEVER_ISSUED:
        assert not any(is_valid_nhs_number(body + str(d)) for d in range(10))
    else:
        assert is_valid_nhs_number(body + str(check))
        assert [is_valid_nhs_number(body + str(d)) for d in range(10)].count(True) == 1


@given(valid_numbers(), st.integers(0, 9), st.integers(1, 9))
def test_changing_any_one_digit_makes_it_invalid(number: str, where: int, shift: int) -> None:
    # The weighted sum moves by weight x difference: both below 11, so never by a multiple.
    changed = number[:where] + str((int(number[where]) + shift) % 10) + number[where + 1 :]
    assert not is_valid_nhs_number(changed)


@given(valid_numbers(), st.integers(0, 8))
def test_swapping_two_adjacent_unequal_digits_makes_it_invalid(number: str, where: int) -> None:
    # Neighbouring weights differ by 1 (the check digit weighs 1, the ninth digit 2), so the
    # weighted sum moves by the difference of the two digits: 1 to 9, never a multiple of 11.
    assume(number[where] != number[where + 1])
    swapped = number[:where] + number[where + 1] + number[where] + number[where + 2 :]
    assert not is_valid_nhs_number(swapped)


@given(valid_numbers(), st.integers(0, 9), st.integers(0, 9))
def test_swapping_any_two_unequal_digits_makes_it_invalid(number: str, i: int, j: int) -> None:
    assume(number[i] != number[j])
    digits = list(number)
    digits[i], digits[j] = digits[j], digits[i]
    assert not is_valid_nhs_number("".join(digits))


@given(st.text(max_size=14))
def test_only_ten_ascii_digits_can_be_valid(text: str) -> None:
    if is_valid_nhs_number(text):
        assert len(text) == 10 and all(c in "0123456789" for c in text)


@given(valid_numbers(), st.lists(st.sampled_from([" ", "-", "  ", "\t", "\u00a0"]), max_size=4))
def test_spaces_and_dashes_are_dropped(number: str, separators: list[str]) -> None:
    recorded = number[:3] + "".join(separators[:2]) + number[3:6] + "".join(separators[2:])
    recorded += number[6:]
    assert nhs_number_digits(recorded) == number
    assert nhs_number_problem(recorded) is None


@pytest.mark.parametrize(
    ("recorded", "problem"),
    [
        ("943 476 5919", None),
        ("943 476 5918", CHECK_DIGIT_FAILS),
        ("943 476 591", NOT_TEN_DIGITS),
        ("943 476 59190", NOT_TEN_DIGITS),
        ("943 476 591X", NOT_TEN_DIGITS),
        ("943/476/5919", NOT_TEN_DIGITS),
        ("٩٤٣٤٧٦٥٩١٩", NOT_TEN_DIGITS),  # Arabic-Indic digits are not NHS number digits
    ],
)
def test_problems_are_fixed_text(recorded: str, problem: str | None) -> None:
    assert nhs_number_problem(recorded) == problem


@pytest.mark.parametrize("bad", ["12345678", "1234567890", "12345678a", "١٢٣٤٥٦٧٨٩"])
def test_check_digit_needs_nine_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        nhs_check_digit(bad)
