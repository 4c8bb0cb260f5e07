"""Amounts in MTurk's string form and integer cents."""

import pytest

from openturk.domain import money


@pytest.mark.parametrize(
    ("text", "cents"),
    [("0.25", 25), ("1", 100), ("1.", 100), ("1.5", 150), ("10000.00", 1_000_000), ("0.01", 1)],
)
def test_amounts_parse_to_cents(text, cents):
    assert money.parse(text) == cents


@pytest.mark.parametrize("text", ["abc", "1.234", "-1", "", ".5", "1,00"])
def test_what_is_not_a_currency_amount_is_refused(text):
    with pytest.raises(ValueError):
        money.parse(text)


@pytest.mark.parametrize(
    ("cents", "text"), [(25, "0.25"), (100, "1.00"), (1_000_000, "10000.00"), (5, "0.05"), (-5, "-0.05")]
)
def test_cents_print_as_mturk_prints_them(cents, text):
    assert money.format(cents) == text
