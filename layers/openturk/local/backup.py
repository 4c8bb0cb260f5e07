"""`openturk export` and `openturk import`: a whole installation's data in one .tar.gz, and back.

The archive holds
    manifest.json                 {"Format": 1, "Tables": {key: item count}, "Objects": n}
    tables/<key>.jsonl            every item of a table (keys as in data/tables.TABLES), DynamoDB JSON, one a line
    s3/<bucket>/...               the local AWS endpoint's buckets and objects, as serve keeps them (s3_store.py)
    cognito/users.json            the local workers' identities (identity_store.py)

Export reads a stopped `openturk serve --data-dir` (its own DynamoDB Local on the same files). Import
writes into a data directory (then `openturk serve --data-dir` it), a DynamoDB endpoint, or a deployed
stack's tables with the caller's AWS credentials. Items are written as they were: ids, times, balances
and ledger entries move together, so the ledger still sums to every balance. A target that already
holds data is refused unless `force` (items with the same key are then overwritten, others are kept).
"""

import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

FORMAT = 1
DATABASE = "shared-local-instance.db"  # where DynamoDB Local -sharedDb keeps every table
REGION = "us-east-1"
_BATCH = 25  # BatchWriteItem's limit


class Progress:
    """A one-line progress bar on stderr (plain lines when stderr is not a terminal)."""

    def __init__(self, what: str, total: int, stream: Any = None):
        self.what, self.total, self.done = what, max(total, 0), 0
        self.stream = stream or sys.stderr
        self._lock = threading.Lock()
        self._shown = 0.0
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def add(self, count: int) -> None:
        with self._lock:
            self.done += count
            now = time.monotonic()
            if self._tty and now - self._shown > 0.1:
                self._shown = now
                self._draw("\r")

    def _draw(self, start: str) -> None:
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(share * 30)
        self.stream.write(f"{start}{self.what:<10} [{bar:<30}] {self.done:,}/{self.total:,}")
        self.stream.flush()

    def close(self) -> None:
        self._draw("\r" if self._tty else "")
        self.stream.write("\n")
        self.stream.flush()


class Refused(Exception):
    """The import would write over data that is already there."""


def _dynamodb(endpoint: str | None, region: str = REGION) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(max_pool_connections=16, retries={"max_attempts": 10, "mode": "adaptive"})
    if endpoint:  # DynamoDB Local takes any key
        return boto3.client(
            "dynamodb",
            endpoint_url=endpoint,
            region_name=region,
            aws_access_key_id="openturklocal",
            aws_secret_access_key="openturklocal",
            config=config,
        )
    return boto3.client("dynamodb", region_name=region, config=config)


def local_table_names() -> dict[str, str]:
    from openturk.data.tables import TABLES

    return {key: f"openturk-{key}" for key in TABLES}


@contextmanager
def engine_on(data_dir: Path) -> Iterator[str]:
    """A DynamoDB Local of our own on a data directory's tables (serve must not be running on it)."""
    from openturk.local.engines import DynamoDBLocal

    engine = DynamoDBLocal(data_dir=str(data_dir)).start().wait_until_ready()
    try:
        yield engine.endpoint
    finally:
        engine.stop()


def create_tables(endpoint: str) -> None:
    """Every openturk table, as `openturk serve` creates them, at a DynamoDB endpoint."""
    from openturk import config
    from openturk.data import base
    from openturk.data.tables import MODELS, create_all

    saved = [(model, model.Meta.host, model.Meta.region) for model in MODELS]
    try:
        for model in MODELS:
            model.Meta.host, model.Meta.region, model._connection = endpoint, REGION, None
        base.use_endpoint(endpoint, REGION)
        create_all()
    finally:
        for model, host, region in saved:
            model.Meta.host, model.Meta.region, model._connection = host, region, None
        base.use_endpoint(config.DYNAMODB_ENDPOINT, config.REGION)


# ---- export ---------------------------------------------------------------------------------------------


def export(data_dir: Path, output: Path) -> dict[str, Any]:
    if not (data_dir / DATABASE).exists():
        raise FileNotFoundError(f"{data_dir} holds no openturk data (no {DATABASE})")
    names = local_table_names()
    manifest: dict[str, Any] = {"Format": FORMAT, "Tables": {}, "Objects": 0}
    with engine_on(data_dir) as endpoint, tarfile.open(output, "w:gz") as archive:
        client = _dynamodb(endpoint)
        existing = set(client.list_tables()["TableNames"])
        total = sum(
            client.describe_table(TableName=name)["Table"]["ItemCount"]
            for name in names.values()
            if name in existing
        )
        progress = Progress("tables", total)
        for key, name in names.items():
            lines = io.BytesIO()
            count = 0
            if name in existing:
                for page in client.get_paginator("scan").paginate(TableName=name, ConsistentRead=True):
                    for item in page["Items"]:
                        lines.write(json.dumps(item, separators=(",", ":")).encode() + b"\n")
                    count += len(page["Items"])
                    progress.add(len(page["Items"]))
            manifest["Tables"][key] = count
            _add_bytes(archive, f"tables/{key}.jsonl", lines.getvalue())
        progress.close()
        files = [
            p for p in sorted((data_dir / "s3").rglob("*")) if p.is_file() and not p.name.startswith(".")
        ]
        files += (
            [data_dir / "cognito" / "users.json"] if (data_dir / "cognito" / "users.json").exists() else []
        )
        progress = Progress("files", len(files))
        for path in files:
            archive.add(path, arcname=str(path.relative_to(data_dir)))
            manifest["Objects"] += "/objects/" in str(path)
            progress.add(1)
        progress.close()
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(time.time())
    archive.addfile(info, io.BytesIO(data))


# ---- import ---------------------------------------------------------------------------------------------


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    member = archive.extractfile("manifest.json")
    if member is None:
        raise ValueError("not an openturk export: no manifest.json")
    manifest = json.loads(member.read())
    if manifest.get("Format") != FORMAT:
        raise ValueError(f"export format {manifest.get('Format')} is not one this openturk reads ({FORMAT})")
    return manifest


def _refuse_if_not_empty(client: Any, names: dict[str, str]) -> None:
    holding = [key for key, name in names.items() if client.scan(TableName=name, Limit=1)["Items"]]
    if holding:
        raise Refused(
            f"the target already holds data (tables: {', '.join(holding)}). Import into an empty data"
            " directory or stack, or pass --force to write the export over it (items with the same key"
            " are replaced, all others are kept)."
        )


def _write_items(client: Any, table: str, lines: Iterator[bytes], progress: Progress) -> None:
    """BatchWriteItem, 4 requests in flight, resending what DynamoDB leaves unprocessed."""

    def write(batch: list[dict]) -> None:
        request = {table: [{"PutRequest": {"Item": item}} for item in batch]}
        attempt = 0
        while request:
            request = client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
            if request:
                attempt += 1
                time.sleep(min(0.05 * 2**attempt, 2))
        progress.add(len(batch))

    with ThreadPoolExecutor(4) as pool:
        batch: list[dict] = []
        futures = []
        for line in lines:
            if line.strip():
                batch.append(json.loads(line))
            if len(batch) == _BATCH:
                futures.append(pool.submit(write, batch))
                batch = []
        if batch:
            futures.append(pool.submit(write, batch))
        for future in futures:
            future.result()


def import_tables(archive: tarfile.TarFile, client: Any, names: dict[str, str], force: bool) -> dict:
    manifest = _read_manifest(archive)
    unknown = set(manifest["Tables"]) - set(names)
    if unknown:
        raise ValueError(f"the export has tables this openturk does not know: {', '.join(sorted(unknown))}")
    if not force:
        _refuse_if_not_empty(client, names)
    progress = Progress("tables", sum(manifest["Tables"].values()))
    for key in manifest["Tables"]:
        member = archive.extractfile(f"tables/{key}.jsonl")
        if member is not None:
            _write_items(client, names[key], iter(member), progress)
    progress.close()
    return manifest


def _file_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    return [m for m in archive.getmembers() if m.isfile() and m.name.split("/")[0] in ("s3", "cognito")]


def import_into_data_dir(source: Path, data_dir: Path, force: bool) -> dict[str, Any]:
    data_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source, "r:gz") as archive:
        files = _file_members(archive)
        if not force and any((data_dir / m.name).exists() for m in files):
            raise Refused(f"{data_dir} already holds S3 objects or workers; pass --force to overwrite them.")
        database = data_dir / DATABASE
        # DynamoDB Local on disk syncs every item it writes (~120 items/s): a new database is filled in
        # memory-backed /dev/shm when there is one, then moved into place.
        fresh = not database.exists() and Path("/dev/shm").is_dir()
        building = Path(tempfile.mkdtemp(prefix="openturk-import-", dir="/dev/shm")) if fresh else data_dir
        try:
            with engine_on(building) as endpoint:
                create_tables(endpoint)
                manifest = import_tables(archive, _dynamodb(endpoint), local_table_names(), force)
            if fresh:
                shutil.copyfile(building / DATABASE, data_dir / f".{DATABASE}.tmp")
                with open(data_dir / f".{DATABASE}.tmp", "rb+") as copied:
                    os.fsync(copied.fileno())
                os.replace(data_dir / f".{DATABASE}.tmp", database)
        finally:
            if fresh:
                shutil.rmtree(building, ignore_errors=True)
        progress = Progress("files", len(files))
        for member in files:
            archive.extract(member, data_dir, filter="data")
            progress.add(1)
        progress.close()
    return manifest


def import_into_endpoint(source: Path, endpoint: str, force: bool) -> dict[str, Any]:
    """Into the tables at a DynamoDB endpoint (e.g. a DynamoDB Local), created if missing. S3 objects
    and workers are not written there: import into a data directory to keep them."""
    create_tables(endpoint)
    with tarfile.open(source, "r:gz") as archive:
        return import_tables(archive, _dynamodb(endpoint), local_table_names(), force)


def import_into_stack(source: Path, stack_name: str, force: bool) -> dict[str, Any]:
    """Into a deployed stack's tables, with the caller's AWS credentials (the stack names its tables in
    its TableNames output, as for `openturk requester create --stack`)."""
    import boto3

    from openturk.deployed import stack_outputs

    session = boto3.session.Session()
    if not session.region_name:
        raise RuntimeError("No AWS region: set AWS_REGION (or a profile's region) to the stack's region.")
    names = json.loads(stack_outputs(stack_name, session)["TableNames"])
    with tarfile.open(source, "r:gz") as archive:
        return import_tables(archive, _dynamodb(None, session.region_name), names, force)
