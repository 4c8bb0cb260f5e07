"""`openturk serve --data-dir` as a real process the durability tests can start, kill and start again, and
a look at its tables afterwards (its own DynamoDB Local on the same files)."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from openturk.local.engines import DynamoDBLocal, free_port

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KEYS = {  # the local default requester's fixed key pair (README)
    "AccessKeyId": "OTKLOCALDEFAULTKEY01",
    "SecretAccessKey": "fLZkigl32IiOYncC4JgA9gon8L2rLGGIQ5meXzTS",
}


def _children(pid: int) -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[1]) == pid:
                found.append((int(entry.name), stat[stat.index("(") + 1 : stat.rindex(")")]))
    return found


def _gone(pid: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return
        if state == "Z":
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} is still running")


class Serve:
    """One data directory; start() runs `openturk serve` on it, on the same ports every time."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port, self.aws_port = free_port(), free_port()
        self.process: subprocess.Popen | None = None
        self.log = data_dir.parent / "serve.log"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def aws_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.aws_port}"

    def start(self, tick: float = 3600.0) -> "Serve":
        command = [str(Path(sys.executable).with_name("openturk")), "serve", "--data-dir", str(self.data_dir)]
        command += ["--port", str(self.port), "--aws-port", str(self.aws_port), "--tick", str(tick)]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("OPENTURK_")}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"openturk serve exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.endpoint}/health", timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError("openturk serve did not become ready")

    def java_pid(self) -> int:
        assert self.process is not None
        return next(pid for pid, name in _children(self.process.pid) if name == "java")

    def kill(self, with_java: bool = False) -> None:
        """SIGKILL the serve process (and, with_java, its DynamoDB Local at the same moment)."""
        assert self.process is not None
        java = self.java_pid()
        if with_java:
            os.kill(java, signal.SIGKILL)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        _gone(java)  # it stops with its parent (PR_SET_PDEATHSIG): the files are free for the next start

    def kill_java(self) -> None:
        os.kill(self.java_pid(), signal.SIGKILL)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            java = [pid for pid, name in _children(self.process.pid) if name == "java"]
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            for pid in java:
                _gone(pid)

    def mturk(self, keys: dict[str, str] = DEFAULT_KEYS) -> Any:
        return boto3.client(
            "mturk",
            region_name="us-east-1",
            endpoint_url=self.endpoint,
            aws_access_key_id=keys["AccessKeyId"],
            aws_secret_access_key=keys["SecretAccessKey"],
            config=Config(retries={"total_max_attempts": 1}),
        )

    def aws(self, service: str) -> Any:
        return boto3.client(
            service,
            region_name="us-east-1",
            endpoint_url=self.aws_endpoint,
            aws_access_key_id="openturklocal",
            aws_secret_access_key="openturklocal",
        )


def stored_items(data_dir: Path, *tables: str) -> dict[str, list[dict[str, Any]]]:
    """Every item of the named tables (openturk-<name>) as stored in data_dir, read with boto3 from a
    DynamoDB Local of our own on the same files (the server must be stopped)."""
    engine = DynamoDBLocal(data_dir=str(data_dir)).start().wait_until_ready()
    try:
        client = boto3.client("dynamodb", endpoint_url=engine.endpoint, region_name="us-east-1")
        found: dict[str, list[dict[str, Any]]] = {}
        for table in tables:
            pages = client.get_paginator("scan").paginate(TableName=f"openturk-{table}", ConsistentRead=True)
            found[table] = [item for page in pages for item in page["Items"]]
        return found
    finally:
        engine.stop()


def ledger_problems(data_dir: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """Accounts whose ledger entries do not sum to their balance (or went below zero); and the entries."""
    items = stored_items(data_dir, "ledger", "balances")
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for entry in items["ledger"]:
        sums[entry["Account"]["S"]][0] += int(entry.get("AvailableDelta", {"N": "0"})["N"])
        sums[entry["Account"]["S"]][1] += int(entry.get("OnHoldDelta", {"N": "0"})["N"])
    problems = []
    balances = {item["Account"]["S"]: item for item in items["balances"]}
    for account in set(sums) | set(balances):
        item = balances.get(account, {})
        stored = [int(item.get(name, {"N": "0"})["N"]) for name in ("AvailableCents", "OnHoldCents")]
        if stored != sums[account] or min(stored) < 0:
            problems.append(f"{account}: balance {stored}, ledger sums to {sums[account]}")
    return problems, items["ledger"]
