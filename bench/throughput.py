"""Accept+submit cycles per second through the local gateway, one worker and four concurrent workers.

The load runs in separate processes (multiprocessing, spawn), each worker on one persistent HTTP/1.1
connection, so the client does not share the runtime's GIL. Each HIT has four slots and every worker walks
the same list in the same order: with four workers, all four race for the same HIT at the same moment,
which is the case where Turkle 3.1.0 loses 41-78 % of its accepts.
"""

import multiprocessing
import os
import queue
import resource
import threading
import time
from pathlib import Path
from typing import Any

from bench import loadgen
from bench.runtime import Bench
from bench.stats import median, ms, percentile

TURKLE_SINGLE = 62.0  # cycles/s, Turkle 3.1.0, one worker, this machine class
TARGET_SINGLE = 2 * TURKLE_SINGLE
SLOTS = 4
WARMUP = 10


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _machine_busy_seconds() -> float:
    """CPU time the whole machine has spent not idle, summed over its CPUs."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _cpu_snapshot(bench: Bench) -> tuple[float, float, float, float]:
    java = bench.runtime.dynamodb.process
    return (
        time.monotonic(),
        _cpu_seconds(os.getpid()),
        _cpu_seconds(java.pid) if java else 0.0,
        _machine_busy_seconds(),
    )


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
    children_before = _children_cpu_seconds()
    for process in processes:
        process.start()
    outcomes: list[dict[str, Any]] = []
    try:
        barrier.wait(timeout=300)
        cpu_before = _cpu_snapshot(bench)
        for _ in processes:
            outcomes.append(results.get(timeout=duration + 120))
        cpu_after = _cpu_snapshot(bench)
    except (queue.Empty, threading.BrokenBarrierError) as error:
        raise RuntimeError(f"{label}: a load generator did not report ({type(error).__name__})") from None
    finally:
        for process in processes:
            process.join(10)
            if process.is_alive():
                process.terminate()
    load_generators = _children_cpu_seconds() - children_before
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
        "CPU": {**_cpu_use(cpu_before, cpu_after), "LoadGenerators": round(load_generators / elapsed, 2)},
    }


def _cpu_use(before: tuple[float, ...], after: tuple[float, ...]) -> dict[str, float]:
    """CPUs kept busy during the phase: the runtime's process, DynamoDB Local, the whole machine."""
    wall = after[0] - before[0]
    runtime, java, machine = ((after[i] - before[i]) / wall for i in (1, 2, 3))
    return {
        "RuntimeProcess": round(runtime, 2),
        "DynamoDBLocal": round(java, 2),
        "Machine": round(machine, 2),
        "OfCPUs": os.cpu_count() or 1,
    }


def _repeated(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several runs of a phase: the median run's rate, failures summed over all runs."""
    ordered = sorted(runs, key=lambda run: run["CyclesPerSecond"])
    middle = ordered[len(ordered) // 2]
    accepts = sum(run["Accepts"] for run in runs)
    failed = sum(run["FailedAccepts"] for run in runs)
    errors: dict[str, int] = {}
    for run in runs:
        for code, count in run["Errors"].items():
            errors[code] = errors.get(code, 0) + count
    return {
        **middle,
        "CyclesPerSecond": middle["CyclesPerSecond"],
        "RunRates": [run["CyclesPerSecond"] for run in runs],
        "Cycles": sum(run["Cycles"] for run in runs),
        "Seconds": round(sum(run["Seconds"] for run in runs), 2),
        "Accepts": accepts,
        "FailedAccepts": failed,
        "FailedAcceptPercent": round(100 * failed / accepts, 2) if accepts else 0.0,
        "FailedSubmits": sum(run["FailedSubmits"] for run in runs),
        "Errors": errors,
        "ServerErrorsLogged": sum(run["ServerErrorsLogged"] for run in runs),
        "RanOutOfHITs": any(run["RanOutOfHITs"] for run in runs),
    }


def run(bench: Bench, duration: float = 8.0, repeats: int = 3) -> dict[str, Any]:
    keys = bench.requester("bench-throughput")
    tokens = [bench.worker(f"bench-load-{i}-{int(time.time())}")[1] for i in range(5)]
    phases: dict[str, list[dict[str, Any]]] = {"OneWorker": [], "FourWorkers": []}
    for _ in range(repeats):
        # Enough HITs for twice the target with one worker, and (every worker taking every HIT) for
        # 1,000 cycles/s with four; a run that runs out of HITs says so.
        single_hits = bench.seed_hits(keys, WARMUP + int(duration * TARGET_SINGLE * 2), SLOTS)
        phases["OneWorker"].append(_phase(bench, "one worker", tokens[:1], single_hits, duration))
        four_hits = bench.seed_hits(keys, WARMUP + int(duration * 250), SLOTS)
        phases["FourWorkers"].append(_phase(bench, "four workers", tokens[1:], four_hits, duration))
    result: dict[str, Any] = {"DurationSeconds": duration, "Repeats": repeats}
    result.update({name: _repeated(runs) for name, runs in phases.items()})
    _print(result)
    return result


def _print(result: dict[str, Any]) -> None:
    print(
        "\n== Accept+submit cycles through the local gateway (worker API, keep-alive, load in separate"
        f" processes; median of {result['Repeats']} runs of {result['DurationSeconds']:.0f} s)"
    )
    for label, key in (("1 worker ", "OneWorker"), ("4 workers", "FourWorkers")):
        phase = result[key]
        print(
            f"  {label}: {phase['CyclesPerSecond']:7.1f} cycles/s  (runs: {', '.join(map(str, phase['RunRates']))})"
            f"  accept median {phase['AcceptMedianMs']} ms (p90 {phase['AcceptP90Ms']}),"
            f" submit median {phase['SubmitMedianMs']} ms (p90 {phase['SubmitP90Ms']})"
        )
        print(
            f"             failed accepts {phase['FailedAccepts']} of {phase['Accepts']}"
            f" ({phase['FailedAcceptPercent']} %), failed submits {phase['FailedSubmits']}"
            + (f", errors {phase['Errors']}" if phase["Errors"] else "")
            + (" — RAN OUT OF HITs" if phase["RanOutOfHITs"] else "")
        )
        cpu = phase["CPU"]
        print(
            f"             CPUs busy in the median run: runtime process {cpu['RuntimeProcess']},"
            f" DynamoDB Local {cpu['DynamoDBLocal']}, load generators {cpu['LoadGenerators']},"
            f" whole machine {cpu['Machine']} of {cpu['OfCPUs']}"
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
