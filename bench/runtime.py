"""The local runtime started in this process, and what the benchmarks need around it.

openturk reads its settings from the environment when its modules are first imported, and
Runtime.start() sets that environment; so nothing of openturk beyond openturk.local is imported before
start() has run.
"""

import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.counting import DynamoDBCounter
from bench.loadgen import Client

HTML_QUESTION = (
    '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd">'
    "<HTMLContent><![CDATA[<!DOCTYPE html><html><body><form name='mturk_form' method='post' "
    "action='https://www.mturk.com/mturk/externalSubmit'><input type='hidden' name='assignmentId'/>"
    "<p>What does the picture show?</p><img src='https://example.org/images/0001.jpg'/>"
    "<textarea name='comment'></textarea><input type='submit'/></form></body></html>]]></HTMLContent>"
    "<FrameHeight>0</FrameHeight></HTMLQuestion>"
)


def hit_args(**overrides: Any) -> dict[str, Any]:
    """CreateHIT arguments a typical script sends."""
    args: dict[str, Any] = {
        "Title": "Label an image",
        "Description": "Say what the picture shows",
        "Keywords": "image, labelling",
        "Reward": "0.25",
        "MaxAssignments": 3,
        "LifetimeInSeconds": 86_400,
        "AssignmentDurationInSeconds": 600,
        "AutoApprovalDelayInSeconds": 259_200,
        "Question": HTML_QUESTION,
    }
    args.update(overrides)
    return args


class ErrorLog(logging.Filter):
    """Keeps the runtime's error logs (service faults) out of the printed figures; counts them, keeps a few."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.samples: list[str] = []
        self._lock = threading.Lock()
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return True
        with self._lock:
            self.count += 1
            if len(self.samples) < 3:
                text = record.getMessage()
                if record.exc_info:
                    text += "\n" + self._formatter.formatException(record.exc_info)
                self.samples.append(text[-1500:])
        return False


class Bench:
    """One in-process runtime, a DynamoDB request counter and a clock of the gateway's own time per call."""

    def __init__(self) -> None:
        self.counter = DynamoDBCounter()
        self.errors = ErrorLog()
        self.dispatch_seconds: list[float] = []  # the gateway's time per request (routing + handler)
        self.runtime: Any = None
        self.info: dict[str, Any] = {}

    # ---- lifecycle -------------------------------------------------------------------------------

    def start(self) -> "Bench":
        import os

        os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
        from openturk.local.runtime import Runtime

        self.runtime = Runtime(port=0, aws_port=0)
        try:
            self.info = self.runtime.start()
        except Exception:
            self.runtime.stop()
            raise
        logging.getLogger("openturk").addFilter(self.errors)
        self.counter.install()
        self._time_dispatch()
        return self

    def stop(self) -> None:
        self.counter.uninstall()
        if self.runtime is not None:
            self.runtime.stop()

    def _time_dispatch(self) -> None:
        gateway = self.runtime.gateway
        dispatch: Callable = gateway.dispatch
        record = self.dispatch_seconds.append

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return dispatch(*args, **kwargs)
            finally:
                record(time.perf_counter() - started)

        gateway.dispatch = timed  # an instance attribute: the HTTP handler calls self.gateway.dispatch

    @property
    def endpoint(self) -> str:
        return self.info["Endpoint"]

    # ---- callers ---------------------------------------------------------------------------------

    def requester(self, name: str | None = None) -> dict[str, str]:
        client = Client(self.endpoint)
        status, body = client.call(
            "POST", "/local/requesters", {"name": name or f"bench-{uuid.uuid4().hex[:8]}"}
        )
        client.close()
        if status != 200:
            raise RuntimeError(f"creating a requester failed: {status} {body}")
        return body

    def mturk(self, keys: dict[str, str]) -> Any:
        """boto3's mturk client signed with a requester's key pair, no retries (a retry would hide an error)."""
        import boto3
        from botocore.config import Config

        return boto3.client(
            "mturk",
            region_name="us-east-1",
            endpoint_url=self.endpoint,
            aws_access_key_id=keys["AccessKeyId"],
            aws_secret_access_key=keys["SecretAccessKey"],
            config=Config(retries={"total_max_attempts": 1}),
        )

    def worker(self, name: str | None = None) -> tuple[str, str]:
        """Sign a worker in: (WorkerId, bearer token)."""
        client = Client(self.endpoint)
        name = name or f"bench-{uuid.uuid4().hex[:10]}"
        status, body = client.call("POST", "/worker/api/dev/sign-in", {"name": name})
        client.close()
        if status != 200:
            raise RuntimeError(f"signing in worker {name} failed: {status} {body}")
        return body["WorkerId"], body["Token"]

    def worker_client(self, name: str | None = None) -> Client:
        return Client(self.endpoint, self.worker(name)[1])

    # ---- the store -------------------------------------------------------------------------------

    def seed_hits(
        self, requester_id: str, count: int, max_assignments: int = 3, submitted: int = 0, threads: int = 4
    ) -> list[str]:
        """Write `count` HITs straight into the tables (BatchWriteItem), as CreateHIT would have stored them.

        `submitted` assignments per HIT (fewer than max_assignments) are written too, submitted by a pool
        of synthetic workers and awaiting review, with the HIT's slot counters to match.
        """
        from openturk.data.assignments import SUBMITTED, Assignment
        from openturk.data.hits import MARKET_OPEN, Hit, sort_key
        from openturk.domain import answers, clock, hits, ids
        from openturk.domain.assignments import assignment_id

        if not 0 <= submitted < max_assignments:
            raise ValueError("submitted must be below max_assignments")
        now = clock.now()
        request = hit_args(MaxAssignments=max_assignments)
        hit_type = hits.get_hit_type(requester_id, hits.create_hit_type(requester_id, request, now))
        answer = answers.question_form_answers({"comment": "a cat on a red sofa"})
        free = max_assignments - submitted
        items: list[Any] = []
        hit_ids: list[str] = []
        for index in range(count):
            hit_id = ids.entity_id(20)
            created = now - (count - index) * 0.05
            expiration = created + request["LifetimeInSeconds"]
            listed_at = sort_key(created, hit_id)
            hit_ids.append(hit_id)
            items.append(
                Hit(
                    hit_id,
                    hit_type_id=hit_type.hit_type_id,
                    requester_id=requester_id,
                    title=hit_type.title,
                    description=hit_type.description,
                    keywords=hit_type.keywords,
                    question=request["Question"],
                    reward_cents=hit_type.reward_cents,
                    creation_time=created,
                    expiration=expiration,
                    assignment_duration=hit_type.assignment_duration,
                    auto_approval_delay=hit_type.auto_approval_delay,
                    max_assignments=max_assignments,
                    available=free,
                    pending=0,
                    open=free,
                    completed=0,
                    submitted_awaiting_review=submitted,
                    qualification_requirements=hit_type.qualification_requirements,
                    listed_by=requester_id,
                    listed_at=listed_at,
                    review_key=f"{requester_id}#Reviewable",
                    reviewable_at=expiration,
                    market_key=MARKET_OPEN,
                    market_at=listed_at,
                )
            )
            for slot in range(submitted):
                worker_id = "A" + ids.derived_id("bench-worker", str((index * 7 + slot) % 500), length=13)
                accepted = created + 1 + slot
                done = accepted + 60
                aid = assignment_id(hit_id, worker_id)
                items.append(
                    Assignment(
                        aid,
                        hit_id=hit_id,
                        worker_id=worker_id,
                        requester_id=requester_id,
                        status=SUBMITTED,
                        accept_time=accepted,
                        deadline=accepted + hit_type.assignment_duration,
                        reward_cents=hit_type.reward_cents,
                        auto_approval_delay=hit_type.auto_approval_delay,
                        submit_time=done,
                        auto_approval_time=done + hit_type.auto_approval_delay,
                        answer=answer,
                        listed_at=sort_key(done, aid),
                        accepted_at=sort_key(accepted, hit_id),
                    )
                )
        _batch_write(items, threads)
        return hit_ids

    def warm_up(self, cycles: int = 1200, creates: int = 200) -> dict[str, Any]:
        """Bring DynamoDB Local's JVM to its steady state, then remove every item the warm-up wrote.

        Just after start, a cycle costs about twice what it costs after ~1,000 cycles (the JIT compiles
        DynamoDB Local's hot paths), which would make any early figure look worse than the steady state.
        The cycles run in this thread through Gateway.dispatch (no HTTP), so they are quick.
        """
        import json

        from openturk.data.assignments import Assignment
        from openturk.data.hits import Hit
        from openturk.domain import clock, hits
        from openturk.domain.assignments import assignment_id

        requester_id = self.requester("bench-warm-up")["RequesterId"]
        hit_ids = self.seed_hits(requester_id, cycles, max_assignments=3)
        worker_id, token = self.worker()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        body = json.dumps({"Answers": {"comment": "warm-up"}}).encode()
        gateway = self.runtime.gateway
        times: list[float] = []
        for hit_id in hit_ids:
            started = time.perf_counter()
            status, _, payload = gateway.dispatch("POST", f"/worker/api/hits/{hit_id}/accept", headers, b"{}")
            if status != 201:
                raise RuntimeError(f"warm-up accept answered {status}: {payload[:200]!r}")
            aid = json.loads(payload)["Assignment"]["AssignmentId"]
            gateway.dispatch("POST", f"/worker/api/assignments/{aid}/submit", headers, body)
            times.append(time.perf_counter() - started)
        created = [hits.create_hit(requester_id, hit_args(), clock.now()).hit_id for _ in range(creates)]
        for _ in range(creates):
            hits.list_hits(requester_id, 10, None)
        with Hit.batch_write() as batch:
            for hit_id in hit_ids + created:
                batch.delete(Hit(hit_id))
        with Assignment.batch_write() as assignments:
            for hit_id in hit_ids:
                assignments.delete(Assignment(assignment_id(hit_id, worker_id)))
        first, last = sorted(times[:100]), sorted(times[-100:])
        return {
            "Cycles": cycles,
            "FirstCyclesMedianMs": round(first[len(first) // 2] * 1000, 2),
            "LastCyclesMedianMs": round(last[len(last) // 2] * 1000, 2),
        }

    def item_counts(self) -> dict[str, int]:
        """Items per table, from DescribeTable (DynamoDB Local counts live; no Scan)."""
        from openturk.data.assignments import Assignment
        from openturk.data.base import connection
        from openturk.data.hits import Hit

        client = connection().client
        return {
            model.__name__: int(client.describe_table(TableName=model.Meta.table_name)["Table"]["ItemCount"])
            for model in (Hit, Assignment)
        }


def _batch_write(items: list[Any], threads: int) -> None:
    """BatchWriteItem in parallel: each thread writes its share, 25 items per request, per model."""

    def write(share: list[Any]) -> None:
        by_model: dict[Any, list[Any]] = {}
        for item in share:
            by_model.setdefault(type(item), []).append(item)
        for model, models_items in by_model.items():
            with model.batch_write() as batch:
                for item in models_items:
                    batch.save(item)

    shares = [items[i::threads] for i in range(threads)]
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(write, shares))
