"""Batches through S3 against a local runtime of its own: a 10,000-row CSV uploaded to the batch bucket
until every row is a HIT (rows/s, DynamoDB requests per row), then the results CSV written (rows/s).

    python -m bench.batches            prints the figures
    python -m bench.batches --json     prints them as one JSON object (what `python -m bench` reads)

It runs in a process of its own: openturk binds its endpoints when first imported, so it cannot share a
process with the other sections' runtime. The target: 10,000 rows published in under 5 s, with at most
1/20 of a BatchWriteItem per row plus the ledger's writes.
"""

import argparse
import csv
import io
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.counting import DynamoDBCounter

ROWS = 10_000
WARM_UP_ROWS = 3_000
ANSWERED = 1_000  # rows whose HIT gets a submitted assignment before the results are written
TARGET_SECONDS = 5.0
TEMPLATE = (
    "<p>What does the picture show?</p><img src='${image_url}'/><p>${caption}</p>"
    "<form method='post' action='https://www.mturk.com/mturk/externalSubmit'>"
    "<input type='hidden' name='assignmentId'/><textarea name='label'></textarea></form>"
)


def batch_csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["image_url", "caption"])
    for i in range(rows):
        writer.writerow([f"https://example.org/images/{i:06d}.jpg", f'picture {i}, "as taken" — été'])
    return out.getvalue().encode("utf-8")


def run(rows: int = ROWS, answered: int = ANSWERED) -> dict[str, Any]:
    from openturk.local.runtime import Runtime

    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
    runtime = Runtime(port=0, aws_port=0)
    runtime.start()
    counter = DynamoDBCounter()
    try:
        counter.install()
        return _measure(runtime, counter, rows, answered)
    finally:
        counter.uninstall()
        runtime.stop()


def _measure(runtime, counter: DynamoDBCounter, rows: int, answered: int) -> dict[str, Any]:
    import boto3

    from openturk.data.batches import BATCH_PART, Batch
    from openturk.domain import assignments, batch_results, batches, clock, credentials

    requester = credentials.DEFAULT_REQUESTER_ID
    s3 = boto3.client("s3", endpoint_url=runtime.info["AwsEndpoint"], region_name="us-east-1")
    bucket, prefix = runtime.info["BatchBucket"], f"requesters/{requester}/"
    project = {
        "Title": "Label a picture", "Description": "Say what it shows", "Reward": "0.05", "MaxAssignments": 1,
        "AssignmentDurationInSeconds": 600, "LifetimeInSeconds": 86_400, "Template": TEMPLATE,
    }  # fmt: skip
    s3.put_object(Bucket=bucket, Key=f"{prefix}projects/bench.json", Body=json.dumps(project).encode())
    data = batch_csv(rows)
    bid = batches.batch_id(requester, "bench")

    # Warm-up, as the other sections do: DynamoDB Local's JVM is much slower for its first few thousand
    # requests. A batch of its own, not measured.
    warm_id = batches.batch_id(requester, "warm-up")
    s3.put_object(Bucket=bucket, Key=f"{prefix}batches/bench/warm-up.csv", Body=batch_csv(WARM_UP_ROWS))
    while not (_exists(Batch, warm_id) and Batch.get(warm_id, BATCH_PART).status == "Published"):
        time.sleep(0.05)

    polling = {"requests": 0}

    started_at: list[float] = []

    def published() -> bool:
        polling["requests"] += 1  # one GetItem per look, not counted as the batch's
        try:
            found = Batch.get(bid, BATCH_PART, consistent_read=True)
        except Batch.DoesNotExist:
            return False
        if not started_at:
            started_at.append(time.perf_counter())
        return found.status in ("Published", "Refused")

    counter.counts.clear()
    counter.seconds = 0.0
    java_pid = runtime.dynamodb.process.pid
    java_cpu, own_cpu = _cpu_seconds(java_pid), _cpu_seconds(os.getpid())
    started = upload_started = time.perf_counter()
    s3.put_object(Bucket=bucket, Key=f"{prefix}batches/bench/bench.csv", Body=data)
    while not published():
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    java_cpu, own_cpu = _cpu_seconds(java_pid) - java_cpu, _cpu_seconds(os.getpid()) - own_cpu
    requests = dict(counter.counts)
    requests["GetItem"] = requests.get("GetItem", 0) - polling["requests"]
    dynamodb_seconds = counter.seconds
    total = sum(requests.values())
    status = batches.status(requester, "bench")

    # Work on some of the HITs, then the results CSV of the whole batch.
    now = clock.now()

    def work(row: int) -> None:
        worker = f"A{row:013d}"
        hit_id = batches.hit_id(bid, row)
        assignment = assignments.accept(worker, hit_id, now)
        assignments.submit(worker, assignment.assignment_id, {"label": f"a picture, #{row}"}, now)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(answered)))
    started = time.perf_counter()
    key = batch_results.export(requester, "bench", clock.now())
    export_seconds = time.perf_counter() - started
    lines = s3.get_object(Bucket=bucket, Key=key)["Body"].read().count(b"\r\n") - 1
    return {
        "Rows": rows,
        "HITsCreated": status["HITsCreated"],
        "PublishSeconds": round(seconds, 2),
        "PublishRowsPerSecond": round(rows / seconds),
        "CheckedAndHeldAfterSeconds": round(started_at[0] - upload_started, 2) if started_at else None,
        "SecondsInDynamoDBCalls": round(dynamodb_seconds, 2),
        # CPU time while publishing: DynamoDB Local's JVM, and this process (openturk, moto, the bench)
        "JavaCPUSeconds": round(java_cpu, 2),
        "PythonCPUSeconds": round(own_cpu, 2),
        "TargetSeconds": TARGET_SECONDS,
        "LoadAverage": round(os.getloadavg()[0], 1),
        "CPUs": os.cpu_count(),
        "DynamoDBRequests": requests,
        "DynamoDBRequestsPerRow": round(total / rows, 4),
        "BatchWriteItemPerRow": round(requests.get("BatchWriteItem", 0) / rows, 4),
        "ResultsRows": rows,
        "ResultsWithAssignments": answered,
        "ResultsLines": lines,
        "ResultsSeconds": round(export_seconds, 2),
        "ResultsRowsPerSecond": round(rows / export_seconds),
    }


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _exists(model: Any, bid: str) -> bool:
    from openturk.data.batches import BATCH_PART

    try:
        model.get(bid, BATCH_PART, consistent_read=True)
        return True
    except model.DoesNotExist:
        return False


def in_subprocess(environment: dict[str, str], quick: bool = False) -> dict[str, Any]:
    """For `python -m bench`: this section in a process of its own, its figures read from its output."""
    import subprocess

    rows = ["--rows", "2000"] if quick else []
    done = subprocess.run(
        [sys.executable, "-m", "bench.batches", "--json", *rows],
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    figures = json.loads([line for line in done.stdout.splitlines() if line.startswith('{"Rows"')][-1])
    print(f"   batches: {figures['Rows']} rows published in {figures['PublishSeconds']} s, "
          f"{figures['DynamoDBRequestsPerRow']} DynamoDB requests per row, results at "
          f"{figures['ResultsRowsPerSecond']} rows/s", flush=True)  # fmt: skip
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.batches", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args(argv)
    figures = run(args.rows, min(ANSWERED, args.rows))
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"published {figures['Rows']} rows in {figures['PublishSeconds']} s "
          f"({figures['PublishRowsPerSecond']} rows/s; target under {TARGET_SECONDS} s; "
          f"load average {figures['LoadAverage']} on {figures['CPUs']} CPUs)")  # fmt: skip
    print(f"CPU while publishing: DynamoDB Local {figures['JavaCPUSeconds']} s, "
          f"openturk and moto {figures['PythonCPUSeconds']} s")  # fmt: skip
    print(f"DynamoDB requests per row: {figures['DynamoDBRequestsPerRow']} "
          f"(BatchWriteItem {figures['BatchWriteItemPerRow']} per row); {figures['DynamoDBRequests']}")  # fmt: skip
    print(f"results CSV: {figures['ResultsRows']} rows ({figures['ResultsWithAssignments']} with work) in "
          f"{figures['ResultsSeconds']} s ({figures['ResultsRowsPerSecond']} rows/s)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
