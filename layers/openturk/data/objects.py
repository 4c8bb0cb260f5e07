"""The batch bucket: projects, batch CSVs, results, reviews, errors and workers' uploaded files.

Every object of a requester lives under requesters/<RequesterId>/, so that an IAM policy can confine a
requester to its own prefix (README, "Batches through S3"). The client is made once per process, lazily,
so that the local runtime can start moto first.
"""

import os
from collections.abc import Iterator
from functools import cache
from typing import Any

from openturk import config

LOCAL_BUCKET = "openturk-local"
# Deployed, how long a presigned URL lives: MTurk's GetFileUploadURL gives 60 seconds.
DOWNLOAD_URL_SECONDS = 60
UPLOAD_URL_SECONDS = 15 * 60


def bucket() -> str:
    return os.environ.get("OPENTURK_BATCH_BUCKET") or LOCAL_BUCKET


def prefix(requester_id: str) -> str:
    return f"requesters/{requester_id}/"


@cache
def client() -> Any:
    import boto3
    from botocore.config import Config

    endpoint = os.environ.get("OPENTURK_AWS_ENDPOINT") or None
    return boto3.client(
        "s3",
        region_name=config.REGION,
        endpoint_url=endpoint,
        # Path-style locally: moto's endpoint has no per-bucket host names.
        config=Config(
            s3={"addressing_style": "path"} if endpoint else {},
            signature_version="s3v4",  # presigned URLs say how long they live (X-Amz-Expires)
            max_pool_connections=32,
        ),
    )


# Without s3:ListBucket (which no function is granted), S3 answers 403, not 404, for a key that does not
# exist; the grants name exact key patterns, so a 403 on one of them means the object is not there.
_ABSENT = ("404", "NoSuchKey", "NotFound", "403", "AccessDenied", "Forbidden")


def head(key: str) -> dict[str, Any] | None:
    from botocore.exceptions import ClientError

    try:
        return client().head_object(Bucket=bucket(), Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in _ABSENT:
            return None
        raise


def read(key: str) -> bytes | None:
    from botocore.exceptions import ClientError

    try:
        return client().get_object(Bucket=bucket(), Key=key)["Body"].read()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in _ABSENT:
            return None
        raise


def stream(key: str, start: int = 0, end: int | None = None, etag: str | None = None) -> Iterator[bytes]:
    """The object's bytes [start, end) in pieces, from one GET; with etag, only that version of it."""
    arguments: dict[str, Any] = {"Bucket": bucket(), "Key": key}
    if start or end is not None:
        arguments["Range"] = f"bytes={start}-{'' if end is None else end - 1}"
    if etag:
        arguments["IfMatch"] = etag
    body = client().get_object(**arguments)["Body"]
    yield from body.iter_chunks(1 << 20)


def write(key: str, data: bytes, content_type: str = "text/csv; charset=utf-8") -> None:
    client().put_object(Bucket=bucket(), Key=key, Body=data, ContentType=content_type)


def upload(key: str, file: Any, content_type: str = "text/csv; charset=utf-8") -> None:
    """A file of any size (multipart when large), streamed from disk."""
    client().upload_fileobj(file, bucket(), key, ExtraArgs={"ContentType": content_type})


def list_keys(key_prefix: str) -> Iterator[str]:
    pages = client().get_paginator("list_objects_v2").paginate(Bucket=bucket(), Prefix=key_prefix)
    for page in pages:
        for item in page.get("Contents", []):
            yield item["Key"]


def upload_url(key: str, content_type: str | None = None) -> str:
    params: dict[str, Any] = {"Bucket": bucket(), "Key": key}
    if content_type:
        params["ContentType"] = content_type
    return client().generate_presigned_url("put_object", Params=params, ExpiresIn=UPLOAD_URL_SECONDS)


def download_url(key: str) -> str:
    return client().generate_presigned_url(
        "get_object", Params={"Bucket": bucket(), "Key": key}, ExpiresIn=DOWNLOAD_URL_SECONDS
    )
