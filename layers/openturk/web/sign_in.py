"""Signing in and out of the web app. Locally: the development sign-in by name (no password). Deployed:
workers get their ID token from the user pool (see README); a hosted sign-in page is not wired yet."""

from typing import Any

from openturk import config
from openturk.domain import clock, ids, workers
from openturk.domain.errors import DomainError
from openturk.web import render, session
from openturk.web.pages import PageRequest
from openturk.web.views import safe_next


def page(request: PageRequest, error: str = "", status: int = 200) -> dict[str, Any]:
    return render.page(
        "sign_in.html",
        status,
        caller=None,
        title="Sign in",
        local=config.LOCAL,
        hosted_ui="",
        next=safe_next(request.query.get("next") or request.field("next") or "/worker/"),
        error=error,
    )


def dev_sign_in(request: PageRequest) -> dict[str, Any]:
    from openturk.edge import dev_identity

    try:
        identity = dev_identity.sign_in(request.field("name"))
    except DomainError as refused:
        return page(request, refused.message, refused.status)
    workers.register(ids.worker_id(identity["sub"]), identity["name"], clock.now())
    return render.redirect(
        safe_next(request.field("next") or "/worker/"), {"Set-Cookie": session.set_cookie(identity["token"])}
    )


def sign_out() -> dict[str, Any]:
    return render.redirect("/worker/sign-in", {"Set-Cookie": session.clear_cookie()})
