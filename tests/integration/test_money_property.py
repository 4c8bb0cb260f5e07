"""A property test: random sequences of create / accept / submit / return / approve / reject / override /
bonus / expire / extend / add assignments / delete / time passing, through boto3 and the worker API.

After every step: the requester's ledger sums to its balance, neither part is below zero, what is on hold
is what a model of the HITs says (and what the HITs themselves hold), available + on hold equals the
funding less everything paid out, and each worker's balance is what the model says they earned. When
every HIT is expired and its work reviewed, nothing is left on hold and the balance is the funding less
Σ approved (reward + fee) less Σ bonus (bonus + fee).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from openturk.data.base import batch_get
from openturk.data.ledger import Balance, worker_account
from tests.integration.conftest import mturk_client
from tests.money_support import (
    INSUFFICIENT_FUNDS,
    YEAR,
    assert_requester_consistent,
    assert_worker_consistent,
    assignment_cost,
    balances,
    bonus_cost,
    stored_balance,
)
from tests.support import WorkerClient, advance_clock, funded_requester, hit_args

PAST = datetime(2015, 1, 1, tzinfo=UTC)
FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
FUNDING = "6.00"
DURATION = 600  # seconds a worker has for an assignment
QUICK = 60  # the auto-approval delay of "quick" HITs; the others wait 30 days
SHORT_LIFE = 60  # the lifetime of "short" HITs; the others live a year

ACCEPTED, SUBMITTED, APPROVED, REJECTED, GONE = "Accepted", "Submitted", "Approved", "Rejected", "Gone"


@dataclass
class ModelHit:
    reward: int
    cost: int
    slots: int
    quick: bool
    short: bool
    expired: bool = False
    deleted: bool = False
    assignments: dict[str, str] = field(default_factory=dict)  # AssignmentId -> status
    workers: set[str] = field(default_factory=set)

    def count(self, *statuses: str) -> int:
        return sum(1 for s in self.assignments.values() if s in statuses)

    def free(self) -> int:
        return self.slots - self.count(ACCEPTED, SUBMITTED, APPROVED, REJECTED)

    def held(self) -> int:
        """Slots whose cost is on hold once whatever is due has been settled."""
        if self.deleted:
            return 0
        if self.expired:
            return self.count(ACCEPTED, SUBMITTED)
        return self.slots - self.count(APPROVED, REJECTED)


class Money(RuleBasedStateMachine):
    endpoint: str = ""
    workers: list[WorkerClient] = []

    def __init__(self) -> None:
        super().__init__()
        keys = funded_requester(self.endpoint, FUNDING)
        self.requester_id = keys["RequesterId"]
        self.client = mturk_client(self.endpoint, keys)
        self.initial = int(FUNDING.replace(".", ""))
        self.available = self.initial
        self.paid = 0  # Σ approved (reward + fee) + Σ bonus (bonus + fee)
        self.hits: dict[str, ModelHit] = {}
        self.earned = {w.worker_id: 0 for w in self.workers}
        self.baseline = {w.worker_id: stored_balance(worker_account(w.worker_id))[0] for w in self.workers}
        self.tokens: set[str] = set()
        self._owner: dict[str, WorkerClient] = {}  # AssignmentId -> the worker who took it

    # ---- helpers ------------------------------------------------------------------------------------

    def refused(self, call, **kwargs) -> str | None:
        """None when the call succeeds, else the RequestError's message."""
        try:
            getattr(self.client, call)(**kwargs)
            return None
        except self.client.exceptions.RequestError as error:
            return error.response["Error"]["Message"]

    # Choices are drawn from lists in the order things were created (ids are random), so that an
    # example replays the same way when hypothesis shrinks it.
    def live(self) -> list[str]:
        return [h for h, m in self.hits.items() if not m.deleted]

    def with_status(self, *statuses: str) -> list[tuple[str, str]]:
        return [
            (hit_id, a) for hit_id, m in self.hits.items() for a, s in m.assignments.items() if s in statuses
        ]

    def approve_in_model(self, hit: ModelHit, assignment_id: str) -> None:
        hit.assignments[assignment_id] = APPROVED
        self.paid += hit.cost
        self.earned[self._owner[assignment_id].worker_id] += hit.reward

    # ---- rules --------------------------------------------------------------------------------------

    @rule(
        reward=st.sampled_from(["0.00", "0.01", "0.25", "0.42", "1.00"]),
        slots=st.sampled_from([1, 2, 3, 10]),
        quick=st.booleans(),
        short=st.booleans(),
    )
    def create_hit(self, reward, slots, quick, short):
        args = hit_args(
            Reward=reward,
            MaxAssignments=slots,
            LifetimeInSeconds=SHORT_LIFE if short else YEAR,
            AssignmentDurationInSeconds=DURATION,
            AutoApprovalDelayInSeconds=QUICK if quick else 2_592_000,
        )
        cost = assignment_cost(reward, slots)
        try:
            hit_id = self.client.create_hit(**args)["HIT"]["HITId"]
        except self.client.exceptions.RequestError as error:
            assert slots * cost > self.available, error.response
            assert error.response["Error"]["Message"].startswith(INSUFFICIENT_FUNDS)
            return
        assert slots * cost <= self.available
        self.hits[hit_id] = ModelHit(int(reward.replace(".", "")), cost, slots, quick, short)

    @precondition(lambda self: self.live())
    @rule(data=st.data(), worker=st.integers(0, 2))
    def accept(self, data, worker):
        hit_id = data.draw(st.sampled_from(self.live()))
        hit, client = self.hits[hit_id], self.workers[worker]
        status, body = client.accept(hit_id)
        can = not hit.expired and hit.free() > 0 and client.worker_id not in hit.workers
        assert (status == 201) == can, (status, body)
        if status == 201:
            assignment_id = body["Assignment"]["AssignmentId"]
            hit.assignments[assignment_id] = ACCEPTED
            hit.workers.add(client.worker_id)
            self._owner[assignment_id] = client

    def open_to(self, worker: WorkerClient) -> list[str]:
        return [
            h
            for h, m in self.hits.items()
            if not m.deleted and not m.expired and m.free() > 0 and worker.worker_id not in m.workers
        ]

    @precondition(lambda self: any(self.open_to(w) for w in self.workers))
    @rule(data=st.data(), worker=st.integers(0, 2))
    def work(self, data, worker):
        """A worker takes a HIT that has room for them and submits it at once."""
        client = self.workers[worker]
        choices = self.open_to(client)
        if not choices:
            return
        hit_id = data.draw(st.sampled_from(choices))
        status, body = client.accept(hit_id)
        assert status == 201, body
        assignment_id = body["Assignment"]["AssignmentId"]
        status, body = client.submit(assignment_id, {"comment": "done"})
        assert status == 200, body
        self.hits[hit_id].assignments[assignment_id] = SUBMITTED
        self.hits[hit_id].workers.add(client.worker_id)
        self._owner[assignment_id] = client

    @precondition(lambda self: self.with_status(ACCEPTED))
    @rule(data=st.data())
    def submit(self, data):
        hit_id, assignment_id = data.draw(st.sampled_from(self.with_status(ACCEPTED)))
        status, body = self._owner[assignment_id].submit(assignment_id, {"comment": "done"})
        assert status == 200, body
        self.hits[hit_id].assignments[assignment_id] = SUBMITTED

    @precondition(lambda self: self.with_status(ACCEPTED))
    @rule(data=st.data())
    def return_(self, data):
        hit_id, assignment_id = data.draw(st.sampled_from(self.with_status(ACCEPTED)))
        status, body = self._owner[assignment_id].return_(assignment_id)
        assert status == 200, body
        self.hits[hit_id].assignments[assignment_id] = GONE

    @precondition(lambda self: self.with_status(SUBMITTED))
    @rule(data=st.data())
    def approve(self, data):
        hit_id, assignment_id = data.draw(st.sampled_from(self.with_status(SUBMITTED)))
        assert self.refused("approve_assignment", AssignmentId=assignment_id) is None
        self.approve_in_model(self.hits[hit_id], assignment_id)

    @precondition(lambda self: self.with_status(SUBMITTED))
    @rule(data=st.data())
    def reject(self, data):
        hit_id, assignment_id = data.draw(st.sampled_from(self.with_status(SUBMITTED)))
        assert self.refused("reject_assignment", AssignmentId=assignment_id, RequesterFeedback="No") is None
        self.hits[hit_id].assignments[assignment_id] = REJECTED

    @precondition(lambda self: self.with_status(APPROVED, REJECTED))
    @rule(data=st.data())
    def review_again(self, data):
        """Approving or rejecting reviewed work is refused; overriding a rejection pays if it can."""
        hit_id, assignment_id = data.draw(st.sampled_from(self.with_status(APPROVED, REJECTED)))
        hit = self.hits[hit_id]
        assert self.refused("reject_assignment", AssignmentId=assignment_id, RequesterFeedback="No")
        assert self.refused("approve_assignment", AssignmentId=assignment_id)
        message = self.refused("approve_assignment", AssignmentId=assignment_id, OverrideRejection=True)
        can = hit.assignments[assignment_id] == REJECTED and not hit.deleted and hit.cost <= self.available
        assert (message is None) == can, message
        if can:
            self.approve_in_model(hit, assignment_id)

    @precondition(lambda self: self.with_status(SUBMITTED, APPROVED, REJECTED))
    @rule(
        data=st.data(),
        amount=st.sampled_from(["0.01", "0.52", "1.00", "3.00"]),
        token=st.sampled_from([None, "t1", "t2"]),
    )
    def bonus(self, data, amount, token):
        hit_id, assignment_id = data.draw(st.sampled_from(self.with_status(SUBMITTED, APPROVED, REJECTED)))
        worker = self._owner[assignment_id]
        extra = {"UniqueRequestToken": token} if token else {}
        message = self.refused(
            "send_bonus",
            WorkerId=worker.worker_id,
            AssignmentId=assignment_id,
            BonusAmount=amount,
            Reason="Thanks",
            **extra,
        )
        can = bonus_cost(amount) <= self.available and token not in self.tokens
        assert (message is None) == can, message
        if can:
            self.paid += bonus_cost(amount)
            self.earned[worker.worker_id] += int(amount.replace(".", ""))
            if token:
                self.tokens.add(token)

    @precondition(lambda self: self.live())
    @rule(data=st.data())
    def expire(self, data):
        hit_id = data.draw(st.sampled_from(self.live()))
        assert self.refused("update_expiration_for_hit", HITId=hit_id, ExpireAt=PAST) is None
        self.hits[hit_id].expired = True

    @precondition(lambda self: any(self.hits[h].expired for h in self.live()))
    @rule(data=st.data())
    def extend(self, data):
        hit_id = data.draw(st.sampled_from([h for h in self.live() if self.hits[h].expired]))
        hit = self.hits[hit_id]
        regained = hit.free() * hit.cost
        message = self.refused("update_expiration_for_hit", HITId=hit_id, ExpireAt=FUTURE)
        assert (message is None) == (regained <= self.available), message
        if message is None:
            hit.expired = False
            hit.short = False

    @precondition(lambda self: self.live())
    @rule(data=st.data(), count=st.sampled_from([1, 2]))
    def add_assignments(self, data, count):
        hit_id = data.draw(st.sampled_from(self.live()))
        hit = self.hits[hit_id]
        message = self.refused(
            "create_additional_assignments_for_hit", HITId=hit_id, NumberOfAdditionalAssignments=count
        )
        crosses_ten = hit.slots < 10 <= hit.slots + count
        can = not crosses_ten and count * hit.cost <= self.available
        assert (message is None) == can, message
        if can:
            hit.slots += count

    @precondition(lambda self: self.live())
    @rule(data=st.data())
    def delete(self, data):
        hit_id = data.draw(st.sampled_from(self.live()))
        hit = self.hits[hit_id]
        message = self.refused("delete_hit", HITId=hit_id)
        done = hit.count(ACCEPTED, SUBMITTED) == 0 and (hit.expired or hit.free() == 0)
        assert (message is None) == done, message
        if done:
            hit.deleted = True

    @rule(seconds=st.sampled_from([QUICK + 1, DURATION + 1]))
    def time_passes(self, seconds):
        advance_clock(self.endpoint, seconds)
        for hit in self.hits.values():
            if hit.short and seconds > SHORT_LIFE:
                hit.expired = True
            for assignment_id, status in list(hit.assignments.items()):
                if status == SUBMITTED and hit.quick and seconds > QUICK:
                    self.approve_in_model(hit, assignment_id)
                elif status == ACCEPTED and seconds > DURATION:
                    hit.assignments[assignment_id] = GONE

    # ---- invariants ---------------------------------------------------------------------------------

    @invariant()
    def money_adds_up(self):
        available, on_hold = balances(self.client)  # settles whatever is due first
        self.available = available
        assert available + on_hold == self.initial - self.paid
        assert on_hold == sum(h.held() * h.cost for h in self.hits.values())
        assert (available, on_hold) == assert_requester_consistent(self.requester_id)
        stored = batch_get(*[(Balance, worker_account(worker_id)) for worker_id in self.earned])
        for (worker_id, earned), balance in zip(self.earned.items(), stored, strict=True):
            assert (int(balance.available_cents) if balance else 0) - self.baseline[worker_id] == earned

    def teardown(self):
        """Expire everything, let every deadline pass, review what is left: nothing stays on hold."""
        for hit_id in self.live():
            if not self.hits[hit_id].expired:
                assert self.refused("update_expiration_for_hit", HITId=hit_id, ExpireAt=PAST) is None
                self.hits[hit_id].expired = True
        self.time_passes(DURATION + 1)
        for hit_id, assignment_id in self.with_status(SUBMITTED):
            assert self.refused("approve_assignment", AssignmentId=assignment_id) is None
            self.approve_in_model(self.hits[hit_id], assignment_id)
        self.money_adds_up()
        assert balances(self.client) == (self.initial - self.paid, 0)
        for worker_id, earned in self.earned.items():  # each worker's whole ledger, once per example
            assert assert_worker_consistent(worker_id) - self.baseline[worker_id] == earned


def test_money_always_adds_up(endpoint):
    Money.endpoint = endpoint
    Money.workers = [WorkerClient(endpoint) for _ in range(3)]
    run_state_machine_as_test(
        Money,
        settings=settings(
            max_examples=20,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
