"""The worker API edge: bearer-token identity, JSON in and out, errors as {"Error": {"Code", "Message"}}.

Deployed, API Gateway's JWT authorizer has checked the Cognito token before the handler runs and passes
its claims in requestContext.authorizer.jwt.claims; the local gateway checks moto's Cognito tokens and
passes the same claims the same way. A worker's id is derived from the token's subject.
"""

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from openturk.domain import clock, ids
from openturk.domain.errors import DomainError, InvalidParameter
from openturk.edge import observability
from openturk.edge.http import body_of, headers_of, request_id, respond
from openturk.edge.observability import logger

CONTENT_TYPE = "application/json"


@dataclass(frozen=True)
class WorkerCaller:
    worker_id: str
    name: str
    now: float


@dataclass
class WorkerRequest:
    path: dict[str, str]
    query: dict[str, str]
    body: dict[str, Any]
    form: dict[str, list[str]]


def error_response(status: int, code: str, message: str) -> dict[str, Any]:
    return respond(status, {"Error": {"Code": code, "Message": message}}, CONTENT_TYPE)


def claims_of(event: dict[str, Any]) -> dict[str, Any] | None:
    return ((event.get("requestContext") or {}).get("authorizer") or {}).get("jwt", {}).get("claims")


def _parse(event: dict[str, Any]) -> WorkerRequest:
    raw = body_of(event)
    content_type = headers_of(event).get("content-type", "")
    body: dict[str, Any] = {}
    form: dict[str, list[str]] = {}
    if raw and "application/x-www-form-urlencoded" in content_type:
        form = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
    elif raw:
        try:
            body = json.loads(raw)
        except ValueError:
            raise InvalidParameter("The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise InvalidParameter("The request body must be a JSON object.")
    query = {k: v[-1] for k, v in parse_qs(event.get("rawQueryString") or "").items()}
    return WorkerRequest(event.get("pathParameters") or {}, query, body, form)


def worker_operation(name: str, authenticated: bool = True, success_status: int = 200) -> Callable:
    def decorate(function: Callable[[WorkerRequest, WorkerCaller | None], Any]) -> Callable:
        @functools.wraps(function)
        def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
            logger.append_keys(operation=name, request_id=request_id(context))
            try:
                caller = None
                if authenticated:
                    claims = claims_of(event)
                    if not claims or not claims.get("sub"):
                        return error_response(
                            401, "NotAuthenticated", "Sign in first: send Authorization: Bearer <token>."
                        )
                    display = claims.get("cognito:username") or claims.get("username") or claims["sub"]
                    caller = WorkerCaller(ids.worker_id(claims["sub"]), display, clock.now())
                result = function(_parse(event), caller)
                observability.count("WorkerCalls")
                return respond(success_status, result, CONTENT_TYPE)
            except DomainError as error:
                return error_response(error.status, error.code, error.message)
            except Exception:
                logger.exception("worker handler failed")
                return error_response(500, "ServiceFault", "Something went wrong on our side. Try again.")
            finally:
                observability.flush()

        return handler

    return decorate
