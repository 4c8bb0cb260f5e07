"""Signing in and out of the web app. Locally: the development sign-in by name (no password). Deployed:
the worker's user name (or email) and password, checked by the user pool (Cognito's InitiateAuth with
USER_PASSWORD_AUTH, over TLS, which needs no AWS credentials); the session cookie holds the ID token."""

import os
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
        next=safe_next(request.query.get("next") or request.field("next") or "/worker/"),
        error=error,
    )


def submit(request: PageRequest) -> dict[str, Any]:
    if not config.LOCAL:
        return _user_pool_sign_in(request)
    from openturk.edge import dev_identity

    try:
        identity = dev_identity.sign_in(request.field("name"))
    except DomainError as refused:
        return page(request, refused.message, refused.status)
    workers.register(ids.worker_id(identity["sub"]), identity["name"], clock.now())
    return _signed_in(request, identity["token"])


def _signed_in(request: PageRequest, token: str) -> dict[str, Any]:
    return render.redirect(
        safe_next(request.field("next") or "/worker/"), {"Set-Cookie": session.set_cookie(token)}
    )


def _user_pool_sign_in(request: PageRequest) -> dict[str, Any]:
    import boto3

    name, password = request.field("name").strip(), request.field("password")
    if not name or not password:
        return page(request, "Enter your user name and password.", 400)
    cognito = boto3.client("cognito-idp", region_name=config.REGION)
    try:
        result = cognito.initiate_auth(
            ClientId=os.environ["OPENTURK_USER_POOL_CLIENT_ID"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": name, "PASSWORD": password},
        )
    except (cognito.exceptions.NotAuthorizedException, cognito.exceptions.UserNotFoundException):
        return page(request, "The user name or password is not right.", 401)
    except cognito.exceptions.UserNotConfirmedException:
        return page(request, "Confirm your account with the code we emailed you first.", 403)
    token = (result.get("AuthenticationResult") or {}).get("IdToken") or ""
    claims = session.verify(token) if token else None
    if not claims:
        # A challenge (a new password, or the one-time code of an account with MFA) is not handled here.
        return page(
            request, "This account needs a step this page cannot do yet (MFA or a new password).", 403
        )
    name = claims.get("cognito:username") or name
    workers.register(ids.worker_id(claims["sub"]), name, clock.now())
    return _signed_in(request, token)


def sign_out() -> dict[str, Any]:
    return render.redirect("/worker/sign-in", {"Set-Cookie": session.clear_cookie()})
