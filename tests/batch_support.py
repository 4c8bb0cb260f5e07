"""What the batch tests share: the batch bucket of the test runtime, projects, CSV uploads and waiting."""

import csv
import io
import json
import time
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

import boto3

BUCKET = "openturk-local"
TEMPLATE = (
    "<p>Describe ${image_url}</p><p>${caption}</p>"
    "<form method='post' action='https://www.mturk.com/mturk/externalSubmit'>"
    "<input type='hidden' name='assignmentId'/><textarea name='description'></textarea></form>"
)


def project(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Title": "Describe a picture",
        "Description": "Say what the picture shows",
        "Keywords": "image, description",
        "Reward": "0.10",
        "MaxAssignments": 1,
        "AssignmentDurationInSeconds": 600,
        "LifetimeInSeconds": 3600,
        "AutoApprovalDelayInSeconds": 86400,
        "Template": TEMPLATE,
    }
    body.update(overrides)
    return body


def s3_client(runtime):
    return boto3.client("s3", endpoint_url=runtime.info["AwsEndpoint"], region_name="us-east-1")


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def local(endpoint: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    request = urllib.request.Request(
        endpoint.rstrip("/") + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def wait_for(check: Callable[[], Any], timeout: float = 30.0, what: str = "the condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Batches:
    """A requester's corner of the batch bucket."""

    def __init__(self, runtime, requester_id: str):
        self.s3 = s3_client(runtime)
        self.endpoint = runtime.info["Endpoint"]
        self.requester_id = requester_id
        self.prefix = f"requesters/{requester_id}/"

    def put(self, key: str, data: bytes) -> None:
        self.s3.put_object(Bucket=BUCKET, Key=self.prefix + key, Body=data)

    def get(self, key: str) -> bytes | None:
        try:
            return self.s3.get_object(Bucket=BUCKET, Key=self.prefix + key)["Body"].read()
        except self.s3.exceptions.NoSuchKey:
            return None

    def wait_for_object(self, key: str, timeout: float = 30.0) -> bytes:
        return wait_for(lambda: self.get(key), timeout, key)

    def put_project(self, name: str, **overrides: Any) -> None:
        self.put(f"projects/{name}.json", json.dumps(project(**overrides)).encode())

    def status(self, name: str) -> dict[str, Any] | None:
        code, body = local(
            self.endpoint, "/local/batches/status", {"RequesterId": self.requester_id, "Name": name}
        )
        return body if code == 200 else None

    def publish(self, project_name: str, rows: list[list[str]], name: str | None = None) -> tuple[str, dict]:
        """Upload a batch and wait until it is Published or Refused."""
        name = name or f"batch-{uuid.uuid4().hex[:8]}"
        self.put(f"batches/{project_name}/{name}.csv", csv_bytes(rows))
        status = wait_for(
            lambda: (s := self.status(name)) and s["Status"] in ("Published", "Refused", "Complete") and s,
            what=f"batch {name} to be published",
        )
        return name, status

    def results(self, name: str) -> list[dict[str, str]]:
        code, body = local(
            self.endpoint, "/local/batches/results", {"RequesterId": self.requester_id, "Name": name}
        )
        assert code == 200, body
        return read_csv(self.s3.get_object(Bucket=BUCKET, Key=body["Key"])["Body"].read())
