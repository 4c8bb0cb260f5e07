"""The local runtime started in this process, and what the benchmarks need around it.

openturk reads its settings from the environment when its modules are first imported, and
Runtime.start() sets that environment; so nothing of openturk beyond openturk.local is imported before
start() has run.
"""

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
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

    def __init__(self, data_dir: str | None = None) -> None:
        self.data_dir = data_dir  # None: in memory
        self.counter = DynamoDBCounter()
        self.errors = ErrorLog()
        self.dispatch_seconds: list[float] = []  # the gateway's time per request (routing + handler)
        self.runtime: Any = None
        self.info: dict[str, Any] = {}
        self._templates: dict[tuple[str, int, bool], Template] = {}

    # ---- lifecycle -------------------------------------------------------------------------------

    def start(self) -> "Bench":
        import os

        os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
        from openturk.local.runtime import Runtime

        self.runtime = Runtime(port=0, aws_port=0, data_dir=self.data_dir)
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

    def requester(self, name: str | None = None, funds: str = "1000000.00") -> dict[str, str]:
        """A new requester with its key pair, funded so that the HITs it posts never run out of money."""
        client = Client(self.endpoint)
        name = name or f"bench-{uuid.uuid4().hex[:8]}"
        status, keys = client.call("POST", "/local/requesters", {"name": name})
        if status != 200:
            raise RuntimeError(f"creating a requester failed: {status} {keys}")
        status, body = client.call(
            "POST", "/local/requesters/fund", {"RequesterId": keys["RequesterId"], "Amount": funds}
        )
        client.close()
        if status != 200:
            raise RuntimeError(f"funding a requester failed: {status} {body}")
        return keys

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
        self, keys: dict[str, str], count: int, max_assignments: int = 3, submitted: bool = False
    ) -> list[str]:
        """Write `count` HITs of a requester straight into the tables with BatchWriteItem.

        Each is a copy of a template HIT made through the API (CreateHIT), with its own id and times: the
        same attributes CreateHIT stores, and the ledger entry of its hold. With `submitted`, the
        template had one assignment accepted and submitted through the worker API first, and each copy
        comes with its own copy of that assignment (a synthetic worker's, awaiting review).
        """
        template = self._template(keys, max_assignments, submitted)
        from openturk.domain import ids
        from openturk.domain.assignments import assignment_id

        items: list[Any] = []
        hit_ids: list[str] = []
        held = {"available": 0, "on_hold": 0}
        for index in range(count):
            hit_id = ids.entity_id(20)
            hit_ids.append(hit_id)
            shift = template.age() - (count - index) * 0.05  # copies spread over the recent past
            replace = [(template.hit_id, hit_id)]
            if template.assignment is not None:
                worker_id = "A" + ids.derived_id("bench-worker", str(index % 500), length=13)
                replace = [
                    (template.assignment.assignment_id, assignment_id(hit_id, worker_id)),
                    (template.worker_id, worker_id),
                ] + replace
                items.append(_copy(template.assignment, replace, shift))
            items.append(_copy(template.hit, replace, shift))
            for entry in template.entries:
                item = _copy(entry, replace, shift)
                item.entry_id = item.entry_id.split("#")[0] + "#" + ids.entity_id(12)
                held["available"] += int(entry.available_delta or 0)
                held["on_hold"] += int(entry.on_hold_delta or 0)
                items.append(item)
        _batch_write(items, threads=4)
        if template.entries:  # the balance says what the ledger entries say
            from openturk.data.ledger import Balance, requester_account

            Balance(requester_account(template.requester_id)).update(
                actions=[
                    Balance.available_cents.add(held["available"]),
                    Balance.on_hold_cents.add(held["on_hold"]),
                ]
            )
        return hit_ids

    def _template(self, keys: dict[str, str], max_assignments: int, submitted: bool) -> "Template":
        cache_key = (keys["RequesterId"], max_assignments, submitted)
        if cache_key not in self._templates:
            self._templates[cache_key] = Template.make(self, keys, max_assignments, submitted)
        return self._templates[cache_key]

    def warm_up(self, cycles: int = 1200, creates: int = 200) -> dict[str, Any]:
        """Bring DynamoDB Local's JVM to its steady state, then remove every item the warm-up wrote.

        Just after start, a cycle costs about twice what it costs after ~1,000 cycles (the JIT compiles
        DynamoDB Local's hot paths), which would make any early figure look worse than the steady state.
        The cycles run in this thread through Gateway.dispatch (no HTTP), so they are quick.
        """
        import json

        from openturk.data.assignments import Assignment
        from openturk.data.hits import Hit
        from openturk.data.ledger import Balance, Entry, requester_account
        from openturk.domain import clock, hits
        from openturk.domain.assignments import assignment_id

        keys = self.requester("bench-warm-up")
        requester_id = keys["RequesterId"]
        hit_ids = self.seed_hits(keys, cycles, max_assignments=3)
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

        templates = [t.hit_id for key, t in self._templates.items() if key[0] == requester_id]
        with Hit.batch_write() as hit_batch:
            for hit_id in hit_ids + created + templates:
                hit_batch.delete(Hit(hit_id))
        with Assignment.batch_write() as assignment_batch:
            for hit_id in hit_ids:
                assignment_batch.delete(Assignment(assignment_id(hit_id, worker_id)))
        account = requester_account(requester_id)
        with Entry.batch_write() as entry_batch:
            for entry in Entry.query(account):
                entry_batch.delete(entry)
        Balance(account).delete()
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
        from openturk.data.ledger import Entry

        client = connection().client
        return {
            model.__name__: int(client.describe_table(TableName=model.Meta.table_name)["Table"]["ItemCount"])
            for model in (Hit, Assignment, Entry)
        }


class Template:
    """A HIT made through the API, as stored, with its hold's ledger entries and maybe one submitted assignment."""

    def __init__(self, hit: Any, entries: list[Any], assignment: Any, worker_id: str, created: float):
        self.hit, self.entries, self.assignment, self.worker_id = hit, entries, assignment, worker_id
        self.hit_id, self.requester_id, self.created = hit.hit_id, hit.requester_id, created

    def age(self) -> float:
        return time.time() - self.created

    @classmethod
    def make(cls, bench: "Bench", keys: dict[str, str], max_assignments: int, submitted: bool) -> "Template":
        from openturk.data.assignments import Assignment
        from openturk.data.hits import Hit
        from openturk.data.ledger import Entry, requester_account

        created = time.time()
        hit_id = bench.mturk(keys).create_hit(**hit_args(MaxAssignments=max_assignments))["HIT"]["HITId"]
        assignment, worker_id = None, ""
        if submitted:
            worker = bench.worker_client()
            status, body = worker.accept(hit_id)
            if status != 201:
                raise RuntimeError(f"accepting the template HIT failed: {status} {body}")
            accepted = body["Assignment"]
            status, body = worker.submit(accepted["AssignmentId"], {"comment": "a cat on a red sofa"})
            worker.close()
            if status != 200:
                raise RuntimeError(f"submitting the template assignment failed: {status} {body}")
            assignment = Assignment.get(accepted["AssignmentId"], consistent_read=True)
            worker_id = assignment.worker_id
        hit = Hit.get(hit_id, consistent_read=True)
        entries = list(
            Entry.query(requester_account(keys["RequesterId"]), filter_condition=Entry.hit_id == hit_id)
        )
        return cls(hit, entries, assignment, worker_id, created)


def _copy(item: Any, replace: list[tuple[str, str]], shift: float) -> Any:
    """The same item with ids replaced in every string and every time moved by `shift` seconds."""
    return type(item).from_raw_data(_moved(item.serialize(), replace, Decimal(repr(shift))))


def _moved(value: Any, replace: list[tuple[str, str]], shift: Decimal) -> Any:
    if isinstance(value, dict):
        if value.keys() == {"S"}:
            text = value["S"]
            for old, new in replace:
                text = text.replace(old, new)
            stamp = _SORT_KEY.match(text)  # "<epoch ms, 13 digits>#…"
            if stamp:
                text = f"{int(stamp.group(1)) + int(shift * 1000):013d}" + text[13:]
            return {"S": text}
        if value.keys() == {"N"}:
            number = Decimal(value["N"])
            return {"N": str(number + shift) if _EPOCH[0] < number < _EPOCH[1] else value["N"]}
        return {key: _moved(inner, replace, shift) for key, inner in value.items()}
    if isinstance(value, list):
        return [_moved(inner, replace, shift) for inner in value]
    return value


_SORT_KEY = re.compile(r"^(\d{13})#")
_EPOCH = (Decimal(1_000_000_000), Decimal(100_000_000_000))  # numbers in this range are times


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
