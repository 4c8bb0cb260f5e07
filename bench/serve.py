"""`openturk serve` readiness: from starting the command until GET /health answers 200; median of three.

Each run is stopped the way a process manager stops it (SIGTERM, then SIGKILL after 10 s), and one more
run the way a terminal does (SIGINT, Ctrl-C). After each stop the DynamoDB Local java process the server
started is checked: if it outlives its parent it is reported as orphaned (and then killed by its pid).
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.stats import median

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 5.0
RUNS = 3


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command name) of the direct children of pid, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append((int(entry.name), name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def one_run(environment: dict[str, str], stop_signal: int) -> dict[str, Any]:
    port, aws_port = free_port(), free_port()
    command = [str(Path(sys.executable).with_name("openturk")), "serve", "--port", str(port)]
    command += ["--aws-port", str(aws_port)]
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        ready = None
        try:
            deadline = started + 60
            while time.perf_counter() < deadline and process.poll() is None:
                if _healthy(f"http://127.0.0.1:{port}/health"):
                    ready = time.perf_counter() - started
                    break
                time.sleep(0.02)
            java = [pid for pid, name in _children(process.pid) if name == "java"]
            banner_deadline = time.perf_counter() + 2  # /health can answer before the banner is printed
            while ready is not None and time.perf_counter() < banner_deadline:
                output.seek(0)
                if b"openturk is ready in" in output.read():
                    break
                time.sleep(0.02)
        finally:
            process.send_signal(stop_signal)
            try:
                process.wait(10)
                killed = False
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
                killed = True
        time.sleep(1.0)
        orphans = [pid for pid in java if _alive(pid)]
        for pid in orphans:  # we started it (through openturk serve): clean up after it
            os.kill(pid, signal.SIGKILL)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    reported = re.search(r"openturk is ready in ([\d.]+) s", text)
    return {
        "ReadySeconds": round(ready, 2) if ready is not None else None,
        "ReportedReadySeconds": float(reported.group(1)) if reported else None,
        "StopSignal": signal.Signals(stop_signal).name,
        "NeededSIGKILL": killed,
        "ExitCode": process.returncode,
        "JavaChildren": len(java),
        "JavaOrphaned": len(orphans),
        "Output": text[-600:] if ready is None else "",
    }


def run(environment: dict[str, str] | None = None) -> dict[str, Any]:
    environment = dict(environment or os.environ)
    runs = [one_run(environment, signal.SIGTERM) for _ in range(RUNS)]
    ctrl_c = one_run(environment, signal.SIGINT)
    times = [r["ReadySeconds"] for r in runs if r["ReadySeconds"] is not None]
    result = {
        "TargetSeconds": TARGET_SECONDS,
        "MedianReadySeconds": round(median(times), 2) if times else None,
        "Runs": runs,
        "CtrlC": ctrl_c,
        "OrphanedAfterSIGTERM": sum(r["JavaOrphaned"] for r in runs),
        "OrphanedAfterSIGINT": ctrl_c["JavaOrphaned"],
    }
    _print(result)
    return result


def _print(result: dict[str, Any]) -> None:
    print(f"\n== `openturk serve` until GET /health answers 200 (median of {RUNS})")
    for number, run_ in enumerate(result["Runs"] + [result["CtrlC"]], 1):
        print(
            f"  run {number}: ready in {run_['ReadySeconds']} s (it reports {run_['ReportedReadySeconds']} s);"
            f" stopped with {run_['StopSignal']}{' then SIGKILL' if run_['NeededSIGKILL'] else ''},"
            f" exit {run_['ExitCode']}; DynamoDB Local left running: {run_['JavaOrphaned']} of {run_['JavaChildren']}"
        )
        if run_["Output"]:
            print("    output: " + run_["Output"].replace("\n", "\n    "))
    print(f"  median {result['MedianReadySeconds']} s (target < {TARGET_SECONDS:.0f} s)")
