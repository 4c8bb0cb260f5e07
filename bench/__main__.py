"""`python -m bench`: run every benchmark, print the figures next to their targets, write .bench/results.json.

    python -m bench                        everything (about three minutes on two cores)
    python -m bench --quick                shorter runs, for trying the bench itself
    python -m bench --only throughput,serve

Sections needing the runtime share one in-process runtime, in this order: a warm-up (DynamoDB Local's JVM
is about 1.7x slower for its first couple of thousand requests; the warm-up's items are removed again),
the 100-HIT baseline, the per-operation figures, throughput, the profile, then the store is filled to
20,000 HITs and measured again.
Import times and `openturk serve` run after the runtime has stopped, so nothing competes with them.
Last, `durable` (bench/durable.py): `openturk serve --data-dir` with 100 and with 100,000 HITs on disk; its
100,000-HIT store takes about 12 minutes to build the first time, then is reused from .bench/durable/.
Nothing here fails on a timing; the exit status is 1 only if a benchmark could not run.
"""

import argparse
import datetime
import json
import os
import platform
import sys
import traceback
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from bench.counting import describe
from bench.stats import table

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / ".bench" / "results.json"
SECTIONS = (
    "scale",
    "operations",
    "qualifications",
    "throughput",
    "profile",
    "sweeper",
    "pages",
    "imports",
    "serve",
    "batches",
    "durable",
)


class _WithoutMetrics:
    """stdout without the CloudWatch EMF lines Powertools prints (every 100 metric values, even when disabled)."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.dropped = 0
        self._newline_pending = False

    def write(self, text: str) -> int:
        if text.startswith('{"_aws"'):
            self.dropped += 1
            self._newline_pending = True
            return len(text)
        if self._newline_pending and text == "\n":
            self._newline_pending = False
            return len(text)
        self._newline_pending = False
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs (figures are rougher)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated: {', '.join(SECTIONS)}")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")

    original_environment = dict(os.environ)  # before the runtime sets its own
    stdout = _WithoutMetrics(sys.stdout)
    sys.stdout = stdout  # type: ignore[assignment]
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    results: dict[str, Any] = {
        "StartedAt": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "Machine": {
            "CPUs": os.cpu_count(),
            "Python": platform.python_version(),
            "Platform": platform.platform(),
        },
        "Quick": args.quick,
        "LoadAverageAtStart": _load(),
    }
    failed: list[str] = []

    def section(name: str, action: Callable[[], Any]) -> Any:
        try:
            results[name] = action()
            return results[name]
        except Exception as error:
            print(f"\n!! {name} could not run: {type(error).__name__}: {error}", flush=True)
            traceback.print_exc()
            results[name] = {"Error": f"{type(error).__name__}: {error}"}
            failed.append(name)
            return None

    print(f"openturk benchmarks{' (quick)' if args.quick else ''}: {', '.join(chosen)}", flush=True)
    busy = results["LoadAverageAtStart"]
    if busy is not None and busy > (os.cpu_count() or 1) / 2:
        print(
            f"   note: the machine is already busy (load average {busy} on {os.cpu_count()} CPUs)", flush=True
        )
    if set(chosen) & {"scale", "operations", "qualifications", "throughput", "profile", "sweeper", "pages"}:
        _with_runtime(chosen, args.quick, section, results)
    if "imports" in chosen:
        from bench import imports

        section("Imports", imports.run)
    if "serve" in chosen:
        from bench import serve

        section("Serve", lambda: serve.run(original_environment))
    if "batches" in chosen:
        from bench import batches

        section("Batches", lambda: batches.in_subprocess(original_environment, quick=args.quick))

    if "durable" in chosen:  # serve --data-dir with 100,000 HITs (the store is built once, then cached)
        from bench import durable

        section("Durable", lambda: durable.run(large_hits=20_000 if args.quick else 100_000))

    results["EMFLinesSuppressed"] = stdout.dropped
    results["LoadAverageAtEnd"] = _load()
    results["FinishedAt"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    rows = summary(results)
    results["Summary"] = [
        dict(zip(("Figure", "Measured", "Target", "Verdict"), row, strict=True)) for row in rows
    ]
    print("\n== Summary\n" + table(["figure", "measured", "target", ""], rows))
    print(
        f"load average {results['LoadAverageAtStart']} at start, {results['LoadAverageAtEnd']} at the end"
        f" ({os.cpu_count()} CPUs)"
    )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"\nresults written to {RESULTS.relative_to(ROOT)}", flush=True)
    if failed:
        print(f"could not run: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def _with_runtime(
    chosen: list[str], quick: bool, section: Callable[[str, Callable[[], Any]], Any], results: dict[str, Any]
) -> None:
    from bench import operations, profile, throughput
    from bench.runtime import Bench

    bench = Bench()
    if section("Runtime", lambda: {"ReadyInSeconds": bench.start().info["ReadyInSeconds"]}) is None:
        return
    try:
        warm = section("WarmUp", lambda: bench.warm_up(cycles=300 if quick else 2500))
        if warm:
            print(
                f"\n== Warm-up: {warm['Cycles']} accept+submit cycles in-process; a cycle took"
                f" {warm['FirstCyclesMedianMs']} ms at first, {warm['LastCyclesMedianMs']} ms at the end"
                " (DynamoDB Local's JVM warming up); its items were removed again",
                flush=True,
            )
        scale = None
        if "scale" in chosen:
            from bench.scale import Scale

            scale = Scale(bench, iterations=15 if quick else 40)
            if section("ScaleBaseline", scale.small) is None:
                scale = None
        if "operations" in chosen:
            section("Operations", lambda: operations.run(bench, iterations=8 if quick else 40))
        if "qualifications" in chosen:
            from bench import qualifications

            section("Qualifications", lambda: qualifications.run(bench, iterations=8 if quick else 25))
        if "throughput" in chosen:
            section("Throughput", lambda: throughput.run(bench, 3.0 if quick else 8.0, 1 if quick else 3))
        if "profile" in chosen:
            section("Profile", lambda: profile.run(bench, cycles=40 if quick else 150))
        if scale is not None:
            section("Scale", scale.large)
        if "sweeper" in chosen:
            from bench import sweeper

            section("Sweeper", lambda: sweeper.run(bench, due=500 if quick else 10_000))
        if "pages" in chosen:
            from bench import pages

            section("Pages", lambda: pages.run(bench, iterations=30 if quick else 100))
        results["RuntimeErrorsLogged"] = {"Count": bench.errors.count, "Samples": bench.errors.samples}
        if bench.errors.count:
            print(f"\n!! the runtime logged {bench.errors.count} errors; first:\n{bench.errors.samples[0]}")
    finally:
        bench.stop()


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("meets" if ok else "MISSES")


def summary(results: dict[str, Any]) -> list[list[str]]:
    """One row per figure with a target: (figure, measured, target, verdict)."""
    rows: list[list[str]] = []
    load = results.get("Throughput") or {}
    if "OneWorker" in load:
        from bench.throughput import TARGET_SINGLE, TURKLE_SINGLE

        one, four = load["OneWorker"], load["FourWorkers"]
        rate = one["CyclesPerSecond"]
        rows.append(
            [
                f"accept+submit cycles/s, 1 worker (median of {load['Repeats']} runs)",
                f"{rate}/s ({rate / TURKLE_SINGLE:.2f}x Turkle 3.1.0)",
                f">= {TARGET_SINGLE:.0f}/s (2x Turkle's {TURKLE_SINGLE:.0f}/s)",
                _verdict(rate >= TARGET_SINGLE),
            ]
        )
        rows.append(
            [
                f"accept+submit cycles/s, 4 workers (median of {load['Repeats']})",
                f"{four['CyclesPerSecond']}/s",
                "",
                "",
            ]
        )
        rows.append(
            [
                "failed accepts, 4 concurrent workers",
                f"{four['FailedAccepts']} of {four['Accepts']} ({four['FailedAcceptPercent']} %)",
                "0 (Turkle 3.1.0: 41-78 %)",
                _verdict(four["FailedAccepts"] == 0),
            ]
        )
    operations = (results.get("Operations") or {}).get("Operations") or {}
    for name, row in ((results.get("Qualifications") or {}).get("Operations") or {}).items():
        rows.append(
            [
                f"DynamoDB requests, {name}",
                describe(Counter(row["DynamoDB"])),
                row["Target"],
                _verdict(row["MeetsTarget"]),
            ]
        )
    if operations:
        for name, row in operations.items():
            if row["Target"]:
                rows.append(
                    [
                        f"DynamoDB requests, {name}",
                        describe(Counter(row["DynamoDB"])),
                        row["Target"],
                        _verdict(row["MeetsTarget"]),
                    ]
                )
        scans = results["Operations"]["Scans"]
        rows.append(["Scan, any operation measured", f"Scan: {scans}", "0", _verdict(scans == 0)])
    scale = (results.get("Scale") or {}).get("Comparison") or {}
    for name, row in scale.items():
        rows.append(
            [
                f"{name} median, 100 -> 20,000 HITs stored",
                f"{row['SmallMs']} -> {row['LargeMs']} ms ({row['Ratio']}x; gateway {row['GatewayRatio']}x)",
                f"<= {results['Scale']['TargetRatio']}x",
                _verdict(row["Ratio"] <= results["Scale"]["TargetRatio"]),
            ]
        )
    web = (results.get("Pages") or {}).get("Pages") or {}
    for name, figure in web.items():
        rows.append(
            [
                f"{name}: median time to first byte, bytes",
                f"{figure['MedianTTFBMs']} ms, {figure['Bytes']:,} B",
                f"< {results['Pages']['TargetTTFBMs']:.0f} ms, < {results['Pages']['TargetBytes']:,} B",
                _verdict(
                    figure["MedianTTFBMs"] < results["Pages"]["TargetTTFBMs"]
                    and figure["Bytes"] < results["Pages"]["TargetBytes"]
                ),
            ]
        )
    imports = results.get("Imports") or {}
    if "MedianMs" in imports:
        rows.append(
            [
                "handler import, slowest",
                f"{imports['Slowest']} {imports['SlowestMs']} ms",
                f"each < {imports['TargetMs']:.0f} ms",
                _verdict(imports["AllUnderTarget"]),
            ]
        )
    serve = results.get("Serve") or {}
    if serve.get("MedianReadySeconds") is not None:
        rows.append(
            [
                "`openturk serve` until /health 200",
                f"{serve['MedianReadySeconds']} s",
                f"< {serve['TargetSeconds']:.0f} s",
                _verdict(serve["MedianReadySeconds"] < serve["TargetSeconds"]),
            ]
        )
        rows.append(
            [
                "DynamoDB Local orphaned after stop",
                f"SIGTERM: {serve['OrphanedAfterSIGTERM']} of {len(serve['Runs'])}, Ctrl-C: {serve['OrphanedAfterSIGINT']}",
                "0",
                _verdict(serve["OrphanedAfterSIGTERM"] + serve["OrphanedAfterSIGINT"] == 0),
            ]
        )
    durable = results.get("Durable") or {}
    if "Large" in durable:
        small, large = durable["Small"], durable["Large"]
        for name, ratio in durable["Ratios"].items():
            rows.append(
                [
                    f"{name} median, serve --data-dir, {small['Hits']:,} -> {large['Hits']:,} HITs",
                    f"{small['Operations'][name]} -> {large['Operations'][name]} ms ({ratio})",
                    f"<= {durable['TargetRatio']}x",
                    _verdict(float(ratio.rstrip("x")) <= durable["TargetRatio"]),
                ]
            )
        restart = large["RestartMedianSeconds"]
        rows.append(
            [
                f"serve --data-dir restart, {large['Hits']:,} HITs (median of 3)",
                f"{restart} s",
                f"< {durable['TargetRestartSeconds']:.0f} s",
                _verdict(restart < durable["TargetRestartSeconds"]),
            ]
        )
    errors = results.get("RuntimeErrorsLogged")
    if errors is not None:
        rows.append(
            ["errors logged by the runtime", str(errors["Count"]), "0", _verdict(errors["Count"] == 0)]
        )
    return rows


if __name__ == "__main__":
    sys.exit(main())
