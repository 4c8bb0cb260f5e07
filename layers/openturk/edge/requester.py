"""The requester API edge: AWS JSON 1.1 in and out, SigV4 check, model validation, error mapping.

Every requester handler is `@requester_operation("<Operation>")` over `handler(request, caller)`.
"""

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openturk.domain import clock, requesters
from openturk.domain.credentials import secret_for
from openturk.domain.errors import DomainError, NotAuthorized
from openturk.edge import model, observability, sigv4
from openturk.edge.http import body_of, epoch_ms, headers_of, request_id, respond
from openturk.edge.observability import logger

TARGET_PREFIX = "MTurkRequesterServiceV20170117"
CONTENT_TYPE = "application/x-amz-json-1.1"


@dataclass(frozen=True)
class Caller:
    requester_id: str
    now: float


def wire_error(
    kind: str, message: str, rid: str, status: int = 400, turk_code: str | None = None
) -> dict[str, Any]:
    payload = {"__type": kind, "Message": f"{message} ({epoch_ms()})"}
    if turk_code:
        payload["TurkErrorCode"] = turk_code
    return respond(status, payload, CONTENT_TYPE, {"x-amzn-RequestId": rid})


def _turk_code(error: DomainError) -> str:
    return "AWS.NotAuthorized" if isinstance(error, NotAuthorized) else f"AWS.MechanicalTurk.{error.code}"


def authenticate(event: dict[str, Any], headers: dict[str, str], body: bytes) -> str:
    """The requester who signed this request, or NotAuthorized."""
    match = sigv4.parse_authorization(headers)
    requester_id = requesters.requester_for_key(match.group("key"))
    if requester_id is None:
        raise NotAuthorized(
            "This user is not authorized to perform the requested operation. "
            "(The security token included in the request is invalid.)"
        )
    http = event.get("requestContext", {}).get("http", {})
    host = headers.get("x-openturk-host")
    if host:
        headers = {**headers, "host": host}
    path = headers.get("x-openturk-path") or event.get("rawPath") or "/"
    sigv4.verify(
        match,
        secret_for(match.group("key")),
        http.get("method", "POST"),
        path,
        event.get("rawQueryString", ""),
        headers,
        body,
    )
    return requester_id


def requester_operation(operation: str) -> Callable:
    target = f"{TARGET_PREFIX}.{operation}"

    def decorate(function: Callable[[dict[str, Any], Caller], dict[str, Any] | None]) -> Callable:
        @functools.wraps(function)
        def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
            rid = request_id(context)
            headers = headers_of(event)
            logger.append_keys(operation=operation, request_id=rid)
            # Every call counts under its outcome, so that no flush is empty (Powertools warns on those).
            outcome = "RequesterRefusals"
            try:
                if headers.get("x-amz-target") != target:
                    return wire_error("UnknownOperationException", f"This endpoint serves {target}.", rid)
                body = body_of(event)
                requester_id = authenticate(event, headers, body)
                try:
                    parsed = json.loads(body or b"{}")
                except ValueError:
                    return wire_error("SerializationException", "The request body is not valid JSON.", rid)
                request = model.validate(operation, parsed)
                result = function(request, Caller(requester_id, clock.now())) or {}
                outcome = "RequesterCalls"
                return respond(200, result, CONTENT_TYPE, {"x-amzn-RequestId": rid})
            except DomainError as error:
                logger.info("refused", error=error.message, code=error.code)
                return wire_error("RequestError", error.message, rid, turk_code=_turk_code(error))
            except Exception:
                outcome = "RequesterFaults"
                logger.exception("service fault")
                return wire_error(
                    "ServiceFault",
                    "The service is temporarily unable to process your request. Try your call again.",
                    rid,
                    500,
                )
            finally:
                observability.count(outcome)
                observability.flush()

        return handler

    return decorate
