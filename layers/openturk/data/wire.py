"""DynamoDB's JSON protocol spoken directly: the local runtime's transport to DynamoDB Local.

botocore spends about 1 ms of Python on each call (event hooks, signing, walking the response through
the service model) where DynamoDB Local answers a GetItem in about 0.5 ms, and a request to openturk
makes two to four calls. So the local runtime sends PynamoDB's data-plane calls here: the same JSON
request botocore would send, the same parsed response, and the same ClientError (with its
CancellationReasons) on a refusal, so PynamoDB and everything above it cannot tell the difference.
tests/unit/test_wire.py holds the two transports to that, call by call. Deployed functions keep
botocore: real credentials, SigV4 and AWS's retry rules. Control-plane calls (CreateTable, ...) always
go through botocore.
"""

import base64
import http.client
import json
import socket
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from botocore.exceptions import ClientError
from pynamodb.connection.base import Connection

DATA_PLANE = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
    }
)
# What botocore's standard retry mode retries for DynamoDB (PynamoDB asks for 3 retries).
_RETRY_CODES = frozenset(
    {
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "TransactionInProgressException",
        "InternalServerError",
        "ServiceUnavailable",
    }
)
_ATTEMPTS = 4
# DynamoDB Local checks the form of the Authorization header, not the signature.
_AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=openturk/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0"
)


def _binary_to_text(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    raise TypeError(f"{type(value).__name__} cannot be sent to DynamoDB")


def _text_to_binary(value: Any) -> Any:
    """botocore hands B and BS attribute values back as bytes; so must this transport."""
    if isinstance(value, dict):
        return {
            key: (
                base64.b64decode(item)
                if key == "B" and isinstance(item, str)
                else [base64.b64decode(v) for v in item]
                if key == "BS" and isinstance(item, list)
                else _text_to_binary(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_text_to_binary(item) for item in value]
    return value


class _Connection(http.client.HTTPConnection):
    """http.client sends a request's headers and its body in two writes; one is half the loopback work."""

    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _send_output(self, message_body: Any = None, encode_chunked: bool = False) -> None:
        if not isinstance(message_body, bytes):
            return super()._send_output(message_body, encode_chunked)  # type: ignore[misc]
        self._buffer.extend((b"", b""))  # type: ignore[attr-defined]
        request = b"\r\n".join(self._buffer) + message_body  # type: ignore[attr-defined]
        del self._buffer[:]  # type: ignore[attr-defined]
        self.send(request)


class Wire:
    """One keep-alive HTTP/1.1 connection per thread to one DynamoDB endpoint."""

    def __init__(self, endpoint: str):
        url = urlsplit(endpoint)
        if url.scheme != "http":
            raise ValueError(f"the direct transport speaks plain HTTP to a local engine, not {endpoint}")
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = _Connection(self.host, self.port, timeout=60)
            self._local.connection = connection
        return connection

    def _exchange(self, operation: str, body: bytes) -> tuple[int, bytes]:
        headers = {
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": f"DynamoDB_20120810.{operation}",
            "X-Amz-Date": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()),
            "Authorization": _AUTHORIZATION,
        }
        for attempt in range(2):
            connection = self._connection()
            try:
                connection.request("POST", "/", body=body, headers=headers)
                response = connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                connection.close()  # a kept-alive connection the engine closed: open a new one, once
                self._local.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def call(self, operation: str, arguments: dict[str, Any]) -> dict[str, Any]:
        # PynamoDB asks every call for its consumed capacity, which it only logs at debug level; DynamoDB
        # Local works it out item by item, so the local runtime does not ask.
        arguments = {k: v for k, v in arguments.items() if k != "ReturnConsumedCapacity"}
        body = json.dumps(arguments, default=_binary_to_text).encode()
        for attempt in range(_ATTEMPTS):
            status, raw = self._exchange(operation, body)
            parsed = json.loads(raw) if raw else {}
            if status == 200:
                # Only a B or BS value needs the walk ("BOOL" is not one: most items carry a flag).
                return _text_to_binary(parsed) if b'"B":' in raw or b'"BS":' in raw else parsed
            error = _client_error(operation, status, parsed)
            code = error.response["Error"]["Code"]
            if (code not in _RETRY_CODES and status < 500) or attempt + 1 == _ATTEMPTS:
                raise error
            time.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")


def _client_error(operation: str, status: int, parsed: dict[str, Any]) -> ClientError:
    """The ClientError botocore raises for the same answer: Code from __type, Message, and for a cancelled
    transaction its CancellationReasons."""
    code = str(parsed.get("__type", "")).rpartition("#")[2] or f"HTTP{status}"
    response: dict[str, Any] = {
        "Error": {"Code": code, "Message": parsed.get("message") or parsed.get("Message") or ""},
        "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": {}},
    }
    if "CancellationReasons" in parsed:
        response["CancellationReasons"] = _text_to_binary(parsed["CancellationReasons"])
    if "Item" in parsed:
        response["Item"] = _text_to_binary(parsed["Item"])
    return ClientError(response, operation)  # type: ignore[arg-type]


class _DirectClient:
    """A Connection's botocore client, but for data-plane calls, which go over the wire directly. PynamoDB
    calls client._make_api_call and translates a ClientError itself, so its behaviour is unchanged."""

    def __init__(self, wire: Wire, botocore_client: Any):
        self._wire = wire
        self.botocore_client = botocore_client

    def _make_api_call(self, operation_name: str, operation_kwargs: dict) -> dict:
        if operation_name in DATA_PLANE:
            return self._wire.call(operation_name, operation_kwargs)
        return self.botocore_client._make_api_call(operation_name, operation_kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.botocore_client, name)


_botocore_client = Connection.client


def install(endpoint: str) -> None:
    """From now on, in this process, send PynamoDB's data-plane calls to `endpoint` directly."""
    wire = Wire(endpoint)

    def client(self: Connection) -> Any:
        botocore_client = _botocore_client.fget(self)  # type: ignore[attr-defined]
        if self.host != endpoint:  # tables bound elsewhere (data.tables.bound_to): botocore
            return botocore_client
        direct = self.__dict__.get("_openturk_direct")
        if direct is None or direct.botocore_client is not botocore_client:
            direct = self.__dict__["_openturk_direct"] = _DirectClient(wire, botocore_client)
        return direct

    Connection.client = property(client)  # type: ignore[method-assign,assignment]


def uninstall() -> None:
    Connection.client = _botocore_client  # type: ignore[method-assign]
