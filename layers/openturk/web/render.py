"""HTML responses of the worker web app: Jinja2 templates (autoescaped), a strict Content-Security-Policy.

Every page's own CSS and JavaScript carry a per-response nonce; nothing else may run or load on the app's
origin. Requester content is only ever shown in iframes (see content.py).
"""

import secrets
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from openturk.domain import money

TEMPLATES = Path(__file__).with_name("templates")
HTML = "text/html; charset=utf-8"


def _csp(nonce: str, framed: bool) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'nonce-{nonce}'",
            f"style-src 'nonce-{nonce}'",
            # QuestionForm Binary content and FormattedContent images come from the requester's URLs.
            "img-src 'self' data: https:",
            "media-src https:",
            # HTMLQuestion content comes from this origin (sandboxed), ExternalQuestion pages from HTTPS.
            "frame-src 'self' https:",
            "form-action 'self'",
            # Only the externalSubmit answer is shown inside a task's frame (of this app's work page).
            "frame-ancestors 'self'" if framed else "frame-ancestors 'none'",
            "base-uri 'none'",
        ]
    )


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            rest = seconds - count * size
            text = f"{count} {unit}{'s' if count != 1 else ''}"
            if rest and unit != "minute" and count < 3:
                text += " " + _duration(rest)
            return text
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def _when(epoch: float | None) -> str:
    if epoch is None:
        return ""
    import datetime

    return datetime.datetime.fromtimestamp(float(epoch), datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template, whatever its name
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["dollars"] = lambda cents: "$" + money.format(int(cents))
    env.filters["duration"] = _duration
    env.filters["when"] = _when
    return env


def page(
    template: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    framed: bool = False,
    **context: Any,
) -> dict[str, Any]:
    nonce = secrets.token_urlsafe(16)
    body = environment().get_template(template).render(nonce=nonce, **context)
    return {
        "statusCode": status,
        "headers": {
            "Content-Type": HTML,
            "Content-Security-Policy": _csp(nonce, framed),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Cache-Control": "no-store",
            **(headers or {}),
        },
        "body": body,
    }


def redirect(location: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "statusCode": 303,
        "headers": {"Location": location, "Cache-Control": "no-store", **(headers or {})},
        "body": "",
    }
