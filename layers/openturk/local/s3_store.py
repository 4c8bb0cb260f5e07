"""The local AWS endpoint's S3 buckets and objects, kept on disk under <data dir>/s3/.

moto keeps S3 in memory only. Every S3 request that changes something goes through moto first; when
moto has answered it with success, and before that answer reaches the client, the bucket or object as
moto now holds it is written here durably (fsync + rename), or removed. So an acknowledged upload
survives a crash, whatever the request was (PutObject, CompleteMultipartUpload, CopyObject, POST
uploads, DeleteObject(s)). At start, load() puts every bucket and object back into moto without
sending S3 event notifications (they were sent when the objects first arrived), then replays each
bucket's configuration requests (notification configuration, versioning, CORS, policy, tagging …).

Layout, for any bucket:
    s3/<bucket>/bucket.json            {"Region", "Config": {subresource: the last request that set it}}
    s3/<bucket>/objects/<sha256(key)>  one file per object: a JSON header line, then the bytes
"""

import base64
import hashlib
import json
import logging
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openturk.local.durable_files import fsync_directory, remove_durably, write_atomically

log = logging.getLogger(__name__)

# Query parameters that are not a bucket configuration subresource.
_NOT_CONFIG = {"x-id", "prefix", "delimiter", "max-keys", "list-type", "encoding-type"}


def _s3_backend(bucket: str) -> Any:
    """moto's S3 backend that holds `bucket` (or the default account's, for a bucket not made yet)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    partition, account = s3_backends.bucket_accounts.get(bucket, ("aws", DEFAULT_ACCOUNT_ID))
    return s3_backends[account][partition]


class S3Store:
    def __init__(self, directory: Path):
        self.root = directory
        self._lock = threading.Lock()

    # ---- after moto answered a change --------------------------------------------------------------

    def record(self, method: str, bucket: str, key: str, query: dict[str, str], body: bytes) -> None:
        """Make what moto now holds for this request durable. Called before the client sees success."""
        with self._lock:
            if key:
                if method == "PUT" and "uploadId" in query:
                    return  # a part: the object exists only once the upload completes (a POST)
                if method in ("PUT", "POST", "DELETE"):
                    self._sync_object(bucket, key)
                return
            if method == "POST" and "delete" in query:  # DeleteObjects: which keys is in the body
                self._sync_bucket_objects(bucket)
            elif method == "DELETE" and not query:
                self._forget_bucket(bucket)
            elif method in ("PUT", "DELETE"):
                self._sync_bucket(bucket, method, query, body)

    def _bucket_dir(self, bucket: str) -> Path:
        return self.root / bucket

    def _object_path(self, bucket: str, key: str) -> Path:
        return self._bucket_dir(bucket) / "objects" / hashlib.sha256(key.encode()).hexdigest()

    def _moto_bucket(self, bucket: str) -> Any:
        try:
            return _s3_backend(bucket).get_bucket(bucket)
        except Exception:  # MissingBucket and friends: it is gone
            return None

    def _sync_object(self, bucket: str, key: str) -> None:
        found = self._moto_bucket(bucket)
        current = found.keys.get(key) if found is not None else None
        path = self._object_path(bucket, key)
        if current is None or not hasattr(current, "value"):  # absent, or a delete marker
            remove_durably(path)
            return
        header = {
            "Key": key,
            "Metadata": dict(current.metadata),
            "StorageClass": current.storage_class,
        }
        write_atomically(path, json.dumps(header).encode() + b"\n" + current.value)

    def _sync_bucket_objects(self, bucket: str) -> None:
        found = self._moto_bucket(bucket)
        folder = self._bucket_dir(bucket) / "objects"
        wanted = set(found.keys.keys()) if found is not None else set()
        for path in folder.glob("*") if folder.exists() else []:
            if path.name.startswith("."):
                continue
            if _read_header(path)[0]["Key"] not in wanted:
                path.unlink()
        fsync_directory(folder)
        for key in wanted:
            self._sync_object(bucket, key)

    def _sync_bucket(self, bucket: str, method: str, query: dict[str, str], body: bytes) -> None:
        found = self._moto_bucket(bucket)
        if found is None:
            return
        path = self._bucket_dir(bucket) / "bucket.json"
        state = json.loads(path.read_text()) if path.exists() else {"Config": {}}
        state["Region"] = found.region_name
        subresources = sorted(set(query) - _NOT_CONFIG)
        if subresources:
            state["Config"]["&".join(subresources)] = {
                "Method": method,
                "Query": query,
                "Body": base64.b64encode(body).decode(),
            }
        write_atomically(path, json.dumps(state).encode())

    def _forget_bucket(self, bucket: str) -> None:
        if self._moto_bucket(bucket) is None and self._bucket_dir(bucket).exists():
            shutil.rmtree(self._bucket_dir(bucket))
            fsync_directory(self.root)

    # ---- at start ----------------------------------------------------------------------------------

    def load(self, replay: Callable[[str, str, dict[str, str], bytes], None]) -> dict[str, int]:
        """Put every stored bucket and object back into moto, then replay the buckets' configuration
        through `replay(method, bucket, query, body)` (so moto parses it as it parsed it the first time)."""
        counts = {"Buckets": 0, "Objects": 0}
        configs: list[tuple[str, dict]] = []
        for folder in sorted(self.root.glob("*")) if self.root.exists() else []:
            state_path = folder / "bucket.json"
            if not state_path.exists():
                continue
            state = json.loads(state_path.read_text())
            backend = _s3_backend(folder.name)
            backend.create_bucket(folder.name, state.get("Region") or "us-east-1")
            counts["Buckets"] += 1
            for path in sorted((folder / "objects").glob("*")):
                if path.name.startswith("."):  # a write cut short by a crash: never acknowledged
                    continue
                try:
                    header, value = _read_header(path)
                    created = backend.put_object(folder.name, header["Key"], value, disable_notification=True)
                    created.set_metadata(header.get("Metadata") or {})
                    counts["Objects"] += 1
                except Exception:  # one unreadable file must not keep the endpoint from starting
                    log.exception("could not restore the S3 object in %s", path)
            configs.extend((folder.name, config) for config in state.get("Config", {}).values())
        # Versioning first: it changes how later settings and objects behave.
        configs.sort(key=lambda item: "versioning" not in item[1]["Query"])
        for bucket, config in configs:
            replay(config["Method"], bucket, config["Query"], base64.b64decode(config["Body"]))
        return counts


def _read_header(path: Path) -> tuple[dict[str, Any], bytes]:
    data = path.read_bytes()
    line, _, value = data.partition(b"\n")
    return json.loads(line), value
