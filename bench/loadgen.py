"""The worker side of the load: a keep-alive JSON client and the accept+submit loop.

Only the standard library, so that the load generator processes (started with multiprocessing's spawn)
stay small and do not share the runtime's interpreter or GIL.
"""

import http.client
import json
import time
from collections import Counter
from typing import Any
from urllib.parse import urlsplit


class Client:
    """One persistent HTTP/1.1 connection to the gateway, speaking JSON."""

    def __init__(self, endpoint: str, token: str | None = None):
        url = urlsplit(endpoint)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.token = token
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, dict[str, Any]]:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine):
                self.connection.close()  # the server closed a kept-alive connection: open a new one
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        try:
            parsed = json.loads(data or b"{}")
        except ValueError:
            parsed = {"Raw": data[:200].decode("utf-8", "replace")}
        return response.status, parsed

    def accept(self, hit_id: str) -> tuple[int, dict[str, Any]]:
        return self.call("POST", f"/worker/api/hits/{hit_id}/accept", {})

    def submit(self, assignment_id: str, answers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        return self.call("POST", f"/worker/api/assignments/{assignment_id}/submit", {"Answers": answers})

    def close(self) -> None:
        self.connection.close()


def _error_code(status: int, body: dict[str, Any]) -> str:
    return f"{status} {(body.get('Error') or {}).get('Code', '')}".strip()


def cycle(client: Client, hit_id: str, answer: str) -> tuple[bool, bool, str, float, float]:
    """Accept a HIT and submit the assignment: (accepted, submitted, error, accept s, submit s)."""
    started = time.perf_counter()
    status, body = client.accept(hit_id)
    accepted_at = time.perf_counter()
    if status != 201:
        return False, False, _error_code(status, body), accepted_at - started, 0.0
    assignment_id = body["Assignment"]["AssignmentId"]
    status, body = client.submit(assignment_id, {"comment": answer})
    submitted_at = time.perf_counter()
    error = "" if status == 200 else _error_code(status, body)
    return True, status == 200, error, accepted_at - started, submitted_at - accepted_at


def worker_loop(
    endpoint: str,
    token: str,
    hit_ids: list[str],
    warmup: int,
    duration: float,
    start_barrier: Any,
    results: Any,
    index: int,
) -> None:
    """One worker: warm up on the first HITs, wait for the others, then cycle through the rest for `duration`."""
    client = Client(endpoint, token)
    outcome: dict[str, Any] = {"Index": index, "Errors": Counter()}
    try:
        for hit_id in hit_ids[:warmup]:
            cycle(client, hit_id, "warm-up")
        start_barrier.wait(timeout=300)
        started = time.time()
        deadline = time.perf_counter() + duration
        cycles = accept_failures = submit_failures = 0
        accept_times: list[float] = []
        submit_times: list[float] = []
        for hit_id in hit_ids[warmup:]:
            if time.perf_counter() >= deadline:
                break
            accepted, submitted, error, accept_s, submit_s = cycle(client, hit_id, "an answer")
            accept_times.append(accept_s)
            if not accepted:
                accept_failures += 1
                outcome["Errors"]["accept " + error] += 1
                continue
            submit_times.append(submit_s)
            if not submitted:
                submit_failures += 1
                outcome["Errors"]["submit " + error] += 1
                continue
            cycles += 1
        outcome.update(
            Started=started,
            Ended=time.time(),
            Cycles=cycles,
            Accepts=len(accept_times),
            AcceptFailures=accept_failures,
            SubmitFailures=submit_failures,
            AcceptTimes=accept_times,
            SubmitTimes=submit_times,
            Exhausted=len(accept_times) == len(hit_ids) - warmup,
        )
    except Exception as error:  # report, and do not leave the others waiting at the barrier
        outcome["Crash"] = f"{type(error).__name__}: {error}"
        start_barrier.abort()
    finally:
        client.close()
        outcome["Errors"] = dict(outcome["Errors"])
        results.put(outcome)
