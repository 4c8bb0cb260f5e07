"""The web app's edge: who is asking (session cookie or bearer token), CSRF on the app's forms, errors as
pages. A page handler takes (PageRequest, PageCaller) and returns a response from render.page/redirect.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote

from openturk.domain import clock, ids
from openturk.domain.errors import DomainError
from openturk.edge import observability
from openturk.edge.http import body_of, headers_of, request_id
from openturk.edge.observability import logger
from openturk.edge.worker import claims_of
from openturk.web import render, session


@dataclass(frozen=True)
class PageCaller:
    worker_id: str
    name: str
    now: float
    token: str | None  # the session's token (None when a bearer authenticated a script)
    csrf: str


@dataclass
class PageRequest:
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    form: dict[str, list[str]]
    event: dict[str, Any]

    def field(self, name: str, default: str = "") -> str:
        values = self.form.get(name)
        return values[-1] if values else default


def _form(event: dict[str, Any]) -> dict[str, list[str]]:
    if "application/x-www-form-urlencoded" not in headers_of(event).get("content-type", ""):
        return {}
    return parse_qs(body_of(event).decode("utf-8", "replace"), keep_blank_values=True)


def request_of(event: dict[str, Any]) -> PageRequest:
    http = (event.get("requestContext") or {}).get("http") or {}
    query = {k: v[-1] for k, v in parse_qs(event.get("rawQueryString") or "").items()}
    return PageRequest(
        http.get("method", "GET"),
        event.get("rawPath") or http.get("path") or "/",
        event.get("pathParameters") or {},
        query,
        _form(event),
        event,
    )


def caller_of(event: dict[str, Any]) -> PageCaller | None:
    """The worker a request comes from: claims a JWT authorizer (or the local gateway) already checked for
    a bearer token, else the session cookie's token, checked here."""
    claims = claims_of(event)
    token, bearer = session.token_of(event)
    if claims is None and token:
        claims = session.verify(token)
    if not claims or not claims.get("sub"):
        return None
    name = claims.get("cognito:username") or claims.get("username") or claims["sub"]
    session_token = None if bearer else token
    csrf = session.csrf_token(session_token) if session_token else ""
    return PageCaller(ids.worker_id(claims["sub"]), name, clock.now(), session_token, csrf)


def sign_in_redirect(path: str) -> dict[str, Any]:
    return render.redirect("/worker/sign-in?next=" + quote(path, safe="/"))


def error_page(error: DomainError, caller: PageCaller | None) -> dict[str, Any]:
    return render.page(
        "error.html", error.status, caller=caller, code=error.code, message=error.message, title="Sorry"
    )


def page_operation(name: str, authenticated: bool = True) -> Callable:
    """Authenticated pages redirect to the sign-in without a valid session. A POST made with the session
    cookie must carry the form's CSRF token; one made with a bearer token (a script) needs none, since a
    browser never adds that header by itself."""

    def decorate(function: Callable[[PageRequest, Any], dict[str, Any]]) -> Callable:
        @functools.wraps(function)
        def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
            logger.append_keys(operation=name, request_id=request_id(context))
            caller = None
            try:
                request = request_of(event)
                caller = caller_of(event)
                if authenticated:
                    if caller is None:
                        return sign_in_redirect(request.path)
                    if (
                        request.method == "POST"
                        and caller.token
                        and not session.csrf_ok(caller.token, request.field("csrf"))
                    ):
                        return render.page(
                            "error.html",
                            403,
                            caller=caller,
                            code="InvalidCsrfToken",
                            message="This form has expired. Go back, reload the page and try again.",
                            title="Sorry",
                        )
                result = function(request, caller)
                observability.count("WorkerPages")
                return result
            except DomainError as error:
                return error_page(error, caller)
            except Exception:
                logger.exception("page handler failed")
                return render.page(
                    "error.html",
                    500,
                    caller=None,
                    code="ServiceFault",
                    message="Something went wrong on our side. Try again.",
                    title="Sorry",
                )
            finally:
                observability.flush()

        return handler

    return decorate
