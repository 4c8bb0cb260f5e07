"""API Gateway (HTTP API, payload 2.0) events in, proxy responses out."""

import base64
import json
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


def headers_of(event: dict[str, Any]) -> dict[str, str]:
    return {k.lower(): v for k, v in (event.get("headers") or {}).items()}


def body_of(event: dict[str, Any]) -> bytes:
    body = event.get("body") or ""
    return base64.b64decode(body) if event.get("isBase64Encoded") else body.encode("utf-8")


def request_id(context: Any) -> str:
    return getattr(context, "aws_request_id", None) or str(uuid.uuid4())


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, set):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def respond(
    status: int, payload: Any, content_type: str, extra_headers: dict[str, str] | None = None
) -> dict[str, Any]:
    headers = {"Content-Type": content_type}
    headers.update(extra_headers or {})
    return {
        "statusCode": status,
        "headers": headers,
        "body": json.dumps(payload, default=_default, separators=(",", ":")),
    }


def epoch_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class LambdaContext:
    """The parts of a Lambda context handlers and Powertools read; the local gateway makes one per call."""

    function_name: str
    aws_request_id: str
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:000000000000:function:openturk-local"
    log_group_name: str = "/aws/lambda/openturk-local"
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000
