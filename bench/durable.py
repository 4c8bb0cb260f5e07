"""`python -m bench.durable`: `openturk serve --data-dir` with 100,000 HITs and 300,000 assignments on disk.

For 100 HITs and for 100,000 HITs (each with three submitted assignments, 300 and 300,000), in a data
directory on disk: the restart time of `openturk serve --data-dir` (until GET /health answers 200), then
the median cost of worker accept, worker submit, ApproveAssignment, GetHIT and a ListHITs page (10
HITs), each in its own process after the same JVM warm-up. Targets: each call within 1.5x of its cost at
100 HITs, restart under 10 s.

The data directories are built once and kept under .bench/durable/ (the 100,000-HIT one takes minutes
to load; rebuilt after 20 days, before its HITs and auto-approvals fall due). They are filled with
BatchWriteItem of copies of a HIT made through the API (CreateHIT, three workers' accept and submit),
through the real models, with the ledger entries of its hold, so balances still match the ledger.

    python -m bench.durable                   both sizes, figures to .bench/durable.json
    python -m bench.durable --large 20000     a smaller "large" store, for trying the bench itself
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from bench.stats import median, ms, table

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench" / "durable"
PER_HIT = 3  # submitted assignments per stored HIT
TARGET_RATIO, TARGET_RESTART_SECONDS = 1.5, 10.0
MAX_AGE_SECONDS = 20 * 24 * 3600
CHUNK = 5_000  # HITs per BatchWriteItem round (bounded memory)
MEASURED = ("worker accept", "worker submit", "ApproveAssignment", "GetHIT", "ListHITs page")


def _python(*args: str) -> dict[str, Any]:
    """Run a step of this module in a process of its own (a runtime per process); its JSON result."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.durable", *args], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed (its errors are above):\n{out.stdout[-2000:]}")
    results = [line for line in out.stdout.splitlines() if line.startswith("{") and '"_aws"' not in line]
    return json.loads(results[-1])


# ---- building a store -----------------------------------------------------------------------------------


def build(directory: Path, hits: int) -> dict[str, Any]:
    """Fill a new data directory with `hits` HITs of one requester, PER_HIT submitted assignments each."""
    from bench.runtime import Bench, _moved, hit_args

    bench = Bench(str(directory)).start()
    try:
        keys = bench.requester("bench-durable")
        mturk = bench.mturk(keys)
        args = hit_args(
            MaxAssignments=PER_HIT, LifetimeInSeconds=31_536_000, AutoApprovalDelayInSeconds=2_592_000
        )
        template_id = mturk.create_hit(**args)["HIT"]["HITId"]
        from openturk.data.assignments import Assignment
        from openturk.data.hits import Hit
        from openturk.data.ledger import Balance, Entry, requester_account
        from openturk.domain import ids
        from openturk.domain.assignments import assignment_id

        workers = []
        for _ in range(PER_HIT):
            worker = bench.worker_client()
            status, body = worker.accept(template_id)
            assert status == 201, body
            accepted = body["Assignment"]["AssignmentId"]
            status, body = worker.submit(accepted, {"comment": "a cat on a red sofa"})
            assert status == 200, body
            workers.append(Assignment.get(accepted, consistent_read=True))
        hit = Hit.get(template_id, consistent_read=True)
        account = requester_account(keys["RequesterId"])
        entries = list(Entry.query(account, filter_condition=Entry.hit_id == template_id))
        created = time.time()
        started = time.perf_counter()
        templates = [(Assignment, a.serialize()) for a in workers] + [(Hit, hit.serialize())]
        templates += [(Entry, e.serialize()) for e in entries]
        held = [
            sum(int(e.available_delta or 0) for e in entries),
            sum(int(e.on_hold_delta or 0) for e in entries),
        ]
        for first in range(0, hits, CHUNK):
            items: list[tuple[str, dict]] = []
            for index in range(first, min(first + CHUNK, hits)):
                hit_id = ids.entity_id(20)
                shift = Decimal(-(hits - index)) / 100  # spread over the recent past, newest last
                replace: list[tuple[str, str]] = []
                for slot, assignment in enumerate(workers):
                    number = str((index * PER_HIT + slot) % 5000)
                    worker_id = "A" + ids.derived_id("bench-worker", number, length=13)
                    replace += [
                        (assignment.assignment_id, assignment_id(hit_id, worker_id)),
                        (assignment.worker_id, worker_id),
                    ]
                replace.append((template_id, hit_id))
                for model, raw in templates:
                    item = _moved(raw, replace, shift)
                    if model is Entry:
                        item["EntryId"]["S"] = item["EntryId"]["S"].split("#")[0] + "#" + ids.entity_id(12)
                    items.append((model.Meta.table_name, item))
            _write_raw(items)
            print(f"  {min(first + CHUNK, hits):,} of {hits:,} HITs", file=sys.stderr, flush=True)
        held = [held[0] * hits, held[1] * hits]
        Balance(account).update(
            actions=[Balance.available_cents.add(held[0]), Balance.on_hold_cents.add(held[1])]
        )
        seconds = time.perf_counter() - started
    finally:
        bench.stop()
    items_written = hits * (1 + PER_HIT + len(entries))
    ready = {
        "Hits": hits + 1,
        "Assignments": (hits + 1) * PER_HIT,
        "Keys": keys,
        "BuiltAt": created,
        "LoadSeconds": round(seconds, 1),
        "ItemsPerSecond": round(items_written / seconds),
    }
    (directory / "READY.json").write_text(json.dumps(ready, indent=1))
    return ready


def _write_raw(items: list[tuple[str, dict]], threads: int = 4) -> None:
    """BatchWriteItem of items already in DynamoDB JSON, 25 a request, `threads` requests in flight."""
    from openturk.data.base import connection

    client = connection().client

    def write(batch: list[tuple[str, dict]]) -> None:
        request: dict[str, list] = {}
        for table_name, item in batch:
            request.setdefault(table_name, []).append({"PutRequest": {"Item": item}})
        while request:
            request = client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}

    batches = [items[i : i + 25] for i in range(0, len(items), 25)]
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(write, batches))


def ensure_built(hits: int) -> tuple[Path, dict[str, Any]]:
    directory = CACHE / f"hits-{hits}"
    ready = directory / "READY.json"
    if ready.exists():
        found = json.loads(ready.read_text())
        if time.time() - found["BuiltAt"] < MAX_AGE_SECONDS:
            return directory, {**found, "Cached": True}
    shutil.rmtree(directory, ignore_errors=True)
    # On disk, DynamoDB Local syncs every item it writes (~120 items/s here): fill it in memory-backed
    # /dev/shm when there is one, then move the finished files to the cache.
    shm = Path("/dev/shm")
    building = Path(tempfile.mkdtemp(prefix="openturk-bench-", dir=shm if shm.is_dir() else CACHE.parent))
    print(f"building a data directory with {hits:,} HITs in {building} …", flush=True)
    try:
        ready = _python("build", str(building), str(hits))
        directory.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(building), str(directory))
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return directory, {**ready, "Cached": False}


# ---- measuring ----------------------------------------------------------------------------------------


def restart_seconds(directory: Path, runs: int = 3) -> list[float]:
    """`openturk serve --data-dir` until GET /health answers 200, stopped with SIGTERM after each run."""
    from bench.serve import _healthy, free_port

    times = []
    for _ in range(runs):
        port = free_port()
        command = [str(Path(sys.executable).with_name("openturk")), "serve", "--data-dir", str(directory)]
        command += ["--port", str(port), "--aws-port", str(free_port()), "--tick", "3600"]
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while not _healthy(f"http://127.0.0.1:{port}/health"):
                if process.poll() is not None or time.perf_counter() - started > 120:
                    raise RuntimeError("openturk serve did not start")
                time.sleep(0.02)
            times.append(round(time.perf_counter() - started, 2))
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        time.sleep(1)  # its DynamoDB Local lets go of the files
    return times


def measure(directory: Path, iterations: int = 40, warmup_cycles: int = 800) -> dict[str, Any]:
    from bench.operations import expect, timed
    from bench.runtime import Bench

    keys = json.loads((directory / "READY.json").read_text())["Keys"]
    bench = Bench(str(directory)).start()
    try:
        bench.warm_up(cycles=warmup_cycles, creates=50)
        mturk = bench.mturk(keys)
        worker = bench.worker_client()
        targets = bench.seed_hits(keys, iterations + 5, max_assignments=3)
        samples: dict[str, list[float]] = {name: [] for name in MEASURED}
        for index, hit_id in enumerate(targets):
            sample, answer = timed(bench, partial(worker.accept, hit_id))
            took = {"worker accept": sample.seconds}
            assignment = expect(answer, 201)["Assignment"]["AssignmentId"]
            sample, answer = timed(bench, partial(worker.submit, assignment, {"comment": "a cat"}))
            took["worker submit"] = sample.seconds
            expect(answer, 200)
            took["ApproveAssignment"] = timed(
                bench, partial(mturk.approve_assignment, AssignmentId=assignment)
            )[0].seconds
            took["GetHIT"] = timed(bench, partial(mturk.get_hit, HITId=hit_id))[0].seconds
            took["ListHITs page"] = timed(bench, partial(mturk.list_hits, MaxResults=10))[0].seconds
            if index >= 5:
                for name, seconds in took.items():
                    samples[name].append(seconds)
        stored = bench.item_counts()
    finally:
        bench.stop()
    return {"Stored": stored, **{name: ms(median(values)) for name, values in samples.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.durable", description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=100_000)
    args, rest = parser.parse_known_args(argv)
    if rest[:1] == ["build"]:
        print(json.dumps(build(Path(rest[1]), int(rest[2]))))
        return 0
    if rest[:1] == ["measure"]:
        print(json.dumps(measure(Path(rest[1]))))
        return 0

    run(args.small, args.large)
    return 0


def run(small_hits: int = 100, large_hits: int = 100_000) -> dict[str, Any]:
    """Both stores measured, the comparison printed; for `python -m bench` too."""
    results: dict[str, Any] = {"TargetRatio": TARGET_RATIO, "TargetRestartSeconds": TARGET_RESTART_SECONDS}
    for label, hits in (("Small", small_hits), ("Large", large_hits)):
        directory, ready = ensure_built(hits)
        size = sum(f.stat().st_size for f in directory.rglob("*") if f.is_file())
        restarts = restart_seconds(directory)
        results[label] = {
            **{k: v for k, v in ready.items() if k != "Keys"},
            "DataDirMB": round(size / 1e6),
            "RestartSeconds": restarts,
            "RestartMedianSeconds": median(restarts),
            "Operations": _python("measure", str(directory)),
        }
        print(f"  {label}: {json.dumps(results[label])}", flush=True)
    rows = []
    small, large = results["Small"], results["Large"]
    for name in MEASURED:
        before, after = small["Operations"][name], large["Operations"][name]
        ratio = round(after / before, 2)
        rows.append(
            [
                name,
                before,
                after,
                f"{ratio}x",
                f"<= {TARGET_RATIO}x",
                "meets" if ratio <= TARGET_RATIO else "MISSES",
            ]
        )
    restart = large["RestartMedianSeconds"]
    rows.append(
        [
            "serve restart, s",
            small["RestartMedianSeconds"],
            restart,
            "",
            f"< {TARGET_RESTART_SECONDS:.0f} s",
            "meets" if restart < TARGET_RESTART_SECONDS else "MISSES",
        ]
    )
    print(
        f"\n== `openturk serve --data-dir`: {small['Hits']:,} HITs/{small['Assignments']:,} assignments vs"
        f" {large['Hits']:,}/{large['Assignments']:,} ({large['DataDirMB']} MB on disk; loaded at"
        f" {large['ItemsPerSecond']:,} items/s)\n"
        + table(
            ["median ms", f"{small['Hits']:,} HITs", f"{large['Hits']:,} HITs", "ratio", "target", ""], rows
        )
    )
    results["Ratios"] = {row[0]: row[3] for row in rows[:-1]}
    (ROOT / ".bench").mkdir(exist_ok=True)
    (ROOT / ".bench" / "durable.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    sys.exit(main())
