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


@pytest.mark.parametrize(
    ("reward", "assignments", "masters", "fee"),
    [
        ("0.05", 1, False, "0.01"),  # 20 % of 5 cents is 1 cent
        ("0.01", 1, False, "0.01"),  # 0.002 -> the $0.01 minimum
        ("0.52", 1, False, "0.10"),  # 0.104 rounds down
        ("0.42", 1, True, "0.11"),  # 25 % = 0.105 rounds half up
        ("1.00", 9, False, "0.20"),
        ("1.00", 10, False, "0.40"),  # 10 or more assignments: 40 %
        ("1.00", 1, True, "0.25"),  # Masters: 25 %
        ("1.00", 10, True, "0.45"),
        ("0.00", 1, False, "0.00"),  # no reward, no fee
    ],
)
def test_assignment_fees_follow_mturks_table(reward, assignments, masters, fee):
    assert money.format(money.assignment_fee(money.parse(reward), assignments, masters)) == fee


@pytest.mark.parametrize(
    ("bonus", "fee"), [("0.52", "0.10"), ("1.00", "0.20"), ("0.01", "0.01"), ("10.03", "2.01")]
)
def test_bonus_fees_are_20_percent_with_a_cent_minimum(bonus, fee):
    assert money.format(money.bonus_fee(money.parse(bonus))) == fee


def test_only_the_masters_ids_count_as_masters():
    assert money.requires_masters(
        [{"QualificationTypeId": "2F1QJWKUDD8XADTFD2Q0G6UTO95ALH", "Comparator": "Exists"}]
    )
    assert money.requires_masters(
        [{"QualificationTypeId": "2ARFPLSP75KLA8M8DH1HTEQVJT3SY6", "Comparator": "Exists"}]
    )
    assert not money.requires_masters(
        [{"QualificationTypeId": "00000000000000000040", "Comparator": "Exists"}]
    )
    assert not money.requires_masters(None)
