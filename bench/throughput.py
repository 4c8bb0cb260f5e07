"""Accept+submit cycles per second through the local gateway, one worker and four concurrent workers.

The load runs in separate processes (multiprocessing, spawn), each worker on one persistent HTTP/1.1
connection, so the client does not share the runtime's GIL. Each HIT has four slots and every worker walks
the same list in the same order: with four workers, all four race for the same HIT at the same moment,
which is the case where Turkle 3.1.0 loses 41-78 % of its accepts.
"""

import multiprocessing
import queue
import threading
import time
from typing import Any

from bench import loadgen
from bench.runtime import Bench
from bench.stats import median, ms, percentile

TURKLE_SINGLE = 62.0  # cycles/s, Turkle 3.1.0, one worker, this machine class
TARGET_SINGLE = 2 * TURKLE_SINGLE
SLOTS = 4
WARMUP = 10


def _phase(
    bench: Bench, label: str, tokens: list[str], hit_ids: list[str], duration: float
) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(tokens) + 1)
    results = context.Queue()
    errors_before = bench.errors.count
    processes = [
        context.Process(
            target=loadgen.worker_loop,
            args=(bench.endpoint, token, hit_ids, WARMUP, duration, barrier, results, index),
            name=f"bench-worker-{index}",
        )
        for index, token in enumerate(tokens)
    ]
    for process in processes:
        process.start()
    outcomes: list[dict[str, Any]] = []
    try:
        barrier.wait(timeout=300)
        for _ in processes:
            outcomes.append(results.get(timeout=duration + 120))
    except (queue.Empty, threading.BrokenBarrierError) as error:
        raise RuntimeError(f"{label}: a load generator did not report ({type(error).__name__})") from None
    finally:
        for process in processes:
            process.join(10)
            if process.is_alive():
                process.terminate()
    crashed = [o["Crash"] for o in outcomes if "Crash" in o]
    if crashed:
        raise RuntimeError(f"{label}: load generator failed: {crashed[0]}")
    elapsed = max(o["Ended"] for o in outcomes) - min(o["Started"] for o in outcomes)
    cycles = sum(o["Cycles"] for o in outcomes)
    accepts = sum(o["Accepts"] for o in outcomes)
    accept_failures = sum(o["AcceptFailures"] for o in outcomes)
    accept_times = [t for o in outcomes for t in o["AcceptTimes"]]
    submit_times = [t for o in outcomes for t in o["SubmitTimes"]]
    errors: dict[str, int] = {}
    for outcome in outcomes:
        for code, count in outcome["Errors"].items():
            errors[code] = errors.get(code, 0) + count
    return {
        "Workers": len(tokens),
        "Seconds": round(elapsed, 2),
        "Cycles": cycles,
        "CyclesPerSecond": round(cycles / elapsed, 1) if elapsed > 0 else 0.0,
        "Accepts": accepts,
        "FailedAccepts": accept_failures,
        "FailedAcceptPercent": round(100 * accept_failures / accepts, 2) if accepts else 0.0,
        "FailedSubmits": sum(o["SubmitFailures"] for o in outcomes),
        "Errors": errors,
        "ServerErrorsLogged": bench.errors.count - errors_before,
        "AcceptMedianMs": ms(median(accept_times)),
        "AcceptP90Ms": ms(percentile(accept_times, 0.9)),
        "SubmitMedianMs": ms(median(submit_times)),
        "SubmitP90Ms": ms(percentile(submit_times, 0.9)),
        "RanOutOfHITs": any(o["Exhausted"] for o in outcomes),
    }


def run(bench: Bench, duration: float = 10.0) -> dict[str, Any]:
    requester_id = bench.requester("bench-throughput")["RequesterId"]
    tokens = [bench.worker(f"bench-load-{i}-{int(time.time())}")[1] for i in range(5)]
    # Enough HITs for three times the target with one worker, and (every worker taking every HIT) for
    # 1,000 cycles/s with four; a phase that runs out of HITs says so.
    single_hits = bench.seed_hits(requester_id, WARMUP + int(duration * TARGET_SINGLE * 3), SLOTS)
    four_hits = bench.seed_hits(requester_id, WARMUP + int(duration * 250), SLOTS)

    single = _phase(bench, "one worker", tokens[:1], single_hits, duration)
    four = _phase(bench, "four workers", tokens[1:], four_hits, duration)
    result = {"DurationSeconds": duration, "OneWorker": single, "FourWorkers": four}
    _print(result)
    return result


def _print(result: dict[str, Any]) -> None:
    print("\n== Accept+submit cycles through the local gateway (worker API, keep-alive, separate processes)")
    for label, key in (("1 worker ", "OneWorker"), ("4 workers", "FourWorkers")):
        phase = result[key]
        print(
            f"  {label}: {phase['CyclesPerSecond']:7.1f} cycles/s  ({phase['Cycles']} in {phase['Seconds']} s)"
            f"  accept median {phase['AcceptMedianMs']} ms (p90 {phase['AcceptP90Ms']}),"
            f" submit median {phase['SubmitMedianMs']} ms (p90 {phase['SubmitP90Ms']})"
        )
        print(
            f"             failed accepts {phase['FailedAccepts']} of {phase['Accepts']}"
            f" ({phase['FailedAcceptPercent']} %), failed submits {phase['FailedSubmits']}"
            + (f", errors {phase['Errors']}" if phase["Errors"] else "")
            + (" — RAN OUT OF HITs" if phase["RanOutOfHITs"] else "")
        )
    single = result["OneWorker"]["CyclesPerSecond"]
    print(
        f"  target: >= {TARGET_SINGLE:.0f}/s with one worker (2x Turkle 3.1.0's {TURKLE_SINGLE:.0f}/s):"
        f" measured {single}/s = {single / TURKLE_SINGLE:.2f}x Turkle"
    )
    print(
        "  target: no failed accept with four concurrent workers (Turkle 3.1.0: 41-78 % fail):"
        f" measured {result['FourWorkers']['FailedAccepts']}"
    )
