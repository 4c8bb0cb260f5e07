"""Money: one balance item per account, and the immutable ledger entries that explain it.

Accounts are requesters ("R#<RequesterId>") and workers ("W#<WorkerId>"). A balance item changes only
in the same transaction that puts the ledger entry for the change, under a condition that keeps it from
going below zero, so the entries of an account always sum to its balance.

Access patterns and what serves each:
- an account's balance (GetAccountBalance, every charge) .. GetItem / conditional UpdateItem on Account
- an account's history, newest first (worker earnings) .... Query on Account, EntryId descending
- a requester's bonuses (ListBonusPayments) ................ Query GSI Bonuses: BonusKey = requester#HIT,
  BonusSort = <AssignmentId>#<EntryId> (an AssignmentId starts with its HITId, so by assignment is a
  begins_with on the same key)
"""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from openturk import config
from openturk.data.base import BaseMeta

# Kinds of ledger entry.
FUNDING = "Funding"  # money in: available +
HOLD = "Hold"  # HIT posted or extended: available -, on hold +
RELEASE = "Release"  # work rejected or never done: on hold -, available +
PAYMENT = "Payment"  # work approved: on hold - (reward + fee leave the account)
BONUS = "Bonus"  # bonus paid: available - (bonus + fee)
EARNING = "Earning"  # a worker's reward: worker available +
BONUS_EARNING = "BonusEarning"  # a worker's bonus: worker available +


def requester_account(requester_id: str) -> str:
    return f"R#{requester_id}"


def worker_account(worker_id: str) -> str:
    return f"W#{worker_id}"


class Balance(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("balances")

    account = UnicodeAttribute(hash_key=True, attr_name="Account")
    available_cents = NumberAttribute(default=0, attr_name="AvailableCents")
    on_hold_cents = NumberAttribute(default=0, attr_name="OnHoldCents")
    # A worker's earnings by kind (their sum is AvailableCents).
    rewards_cents = NumberAttribute(default=0, attr_name="RewardsCents")
    bonuses_cents = NumberAttribute(default=0, attr_name="BonusesCents")


class Bonuses(GlobalSecondaryIndex):
    class Meta:
        index_name = "Bonuses"
        projection = AllProjection()

    bonus_key = UnicodeAttribute(hash_key=True, attr_name="BonusKey")
    bonus_sort = UnicodeAttribute(range_key=True, attr_name="BonusSort")


class Entry(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("ledger")

    account = UnicodeAttribute(hash_key=True, attr_name="Account")
    entry_id = UnicodeAttribute(range_key=True, attr_name="EntryId")  # <epoch ms, 13 digits>#<unique>
    kind = UnicodeAttribute(attr_name="Kind")
    available_delta = NumberAttribute(default=0, attr_name="AvailableDelta")
    on_hold_delta = NumberAttribute(default=0, attr_name="OnHoldDelta")
    amount_cents = NumberAttribute(default=0, attr_name="AmountCents")  # reward or bonus, before fees
    fee_cents = NumberAttribute(default=0, attr_name="FeeCents")
    time = NumberAttribute(attr_name="Time")
    hit_id = UnicodeAttribute(null=True, attr_name="HITId")
    assignment_id = UnicodeAttribute(null=True, attr_name="AssignmentId")
    worker_id = UnicodeAttribute(null=True, attr_name="WorkerId")
    requester_id = UnicodeAttribute(null=True, attr_name="RequesterId")
    reason = UnicodeAttribute(null=True, attr_name="Reason")
    # Set on a requester's Bonus entries only (the Bonuses index).
    bonus_key = UnicodeAttribute(null=True, attr_name="BonusKey")
    bonus_sort = UnicodeAttribute(null=True, attr_name="BonusSort")

    bonuses = Bonuses()
