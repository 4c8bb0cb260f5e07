"""Cold import time of each handler, as a Lambda cold start pays it.

For each functions/<module>.py: a fresh interpreter with the environment a deployed function has (region,
function name, Powertools settings; no local-runtime variables) times `import functions.<module>`;
median of three. The slowest handler's heaviest imports are listed from `python -X importtime`.
"""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.stats import median, table

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 200.0
RUNS = 3
_SNIPPET = "import time; t = time.perf_counter(); import functions.{0}; print(time.perf_counter() - t)"


def lambda_environment(module: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_LAMBDA_FUNCTION_NAME": f"openturk-{module}",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11",
        "POWERTOOLS_SERVICE_NAME": "openturk",
        "POWERTOOLS_METRICS_NAMESPACE": "openturk",
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }


def modules() -> list[str]:
    return sorted(p.stem for p in (ROOT / "functions").glob("*.py") if p.stem != "__init__")


def _time_import(module: str) -> float:
    completed = subprocess.run(
        [sys.executable, "-c", _SNIPPET.format(module)],
        cwd=ROOT,
        env=lambda_environment(module),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"importing functions.{module} failed: {completed.stderr.strip()[-500:]}")
    return float(completed.stdout.strip().splitlines()[-1])


def heaviest_imports(module: str, count: int = 6) -> list[tuple[str, float]]:
    """Import time per top-level package (the sum of its modules' own times, ms), from -X importtime."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import functions.{module}"],
        cwd=ROOT,
        env=lambda_environment(module),
        capture_output=True,
        text=True,
        timeout=120,
    )
    packages: dict[str, float] = {}
    for line in completed.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        top = parts[2].strip().split(".")[0]
        packages[top] = packages.get(top, 0.0) + int(parts[0]) / 1000
    return sorted(packages.items(), key=lambda item: -item[1])[:count]


def run() -> dict[str, Any]:
    timings = {module: [_time_import(module) for _ in range(RUNS)] for module in modules()}
    rows = {module: round(median(times) * 1000, 1) for module, times in timings.items()}
    fastest = {module: round(min(times) * 1000, 1) for module, times in timings.items()}
    slowest = max(rows, key=lambda module: rows[module])
    heavy = heaviest_imports(slowest)
    result = {
        "TargetMs": TARGET_MS,
        "MedianMs": rows,
        "MinMs": fastest,
        "Slowest": slowest,
        "SlowestMs": rows[slowest],
        "SlowestHeaviestImports": [{"Package": name, "Ms": round(value, 1)} for name, value in heavy],
        "AllUnderTarget": all(value < TARGET_MS for value in rows.values()),
        "Environment": {k: v for k, v in lambda_environment("<module>").items() if k != "PATH"},
    }
    _print(result)
    return result


def _print(result: dict[str, Any]) -> None:
    print(f"\n== Handler import time (fresh interpreter, Lambda-like environment, median of {RUNS})")
    rows = [
        [module, f"{value:.0f}", f"{result['MinMs'][module]:.0f}", "meets" if value < TARGET_MS else "MISSES"]
        for module, value in sorted(result["MedianMs"].items(), key=lambda item: -item[1])
    ]
    print(table(["functions.<module>", "median ms", "min ms", f"< {TARGET_MS:.0f} ms"], rows))
    heavy = ", ".join(f"{row['Package']} {row['Ms']:.0f} ms" for row in result["SlowestHeaviestImports"])
    print(f"  where {result['Slowest']}'s import time goes (-X importtime, own time per package): {heavy}")
