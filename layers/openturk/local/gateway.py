"""The local gateway: what CloudFront and API Gateway do when deployed, in one small HTTP server.

- POST / with X-Amz-Target: MTurkRequesterServiceV20170117.<Op> becomes the API Gateway event that
  POST /requester/<Op> produces deployed (original host and path kept in X-Openturk-Host/-Path), and goes
  to the same functions/<module>.handler;
- worker routes check the Cognito JWT as API Gateway's JWT authorizer does and pass its claims along;
- /health, and the local-only /local/clock and /local/requesters.
"""

import base64
import gzip
import importlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt

from openturk.domain.errors import DomainError
from openturk.edge import routes
from openturk.edge.http import LambdaContext
from openturk.edge.observability import logger
from openturk.edge.requester import TARGET_PREFIX, wire_error
from openturk.edge.worker import error_response

Response = tuple[int, dict[str, str], bytes]


class TokenVerifier:
    """Checks Cognito ID tokens of the local user pool, as API Gateway's JWT authorizer does deployed."""

    def __init__(self, region: str, user_pool_id: str, client_id: str):
        import moto.cognitoidp

        jwks_path = Path(moto.cognitoidp.__file__).with_name("resources") / "jwks-public.json.gz"
        keys = json.loads(gzip.decompress(jwks_path.read_bytes()))["keys"]
        self.keys = {key["kid"]: jwt.PyJWK(key).key for key in keys}
        self.issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        self.client_id = client_id
        # Tokens already verified, until they expire: an RS256 check per request costs ~0.3 ms here.
        self._verified: dict[str, dict[str, Any]] = {}

    def claims(self, token: str) -> dict[str, Any] | None:
        known = self._verified.get(token)
        if known is not None and known.get("exp", 0) > time.time():
            return known
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            claims = jwt.decode(
                token, self.keys[kid], algorithms=["RS256"], audience=self.client_id, issuer=self.issuer
            )
        except (jwt.PyJWTError, KeyError):
            return None
        if len(self._verified) >= 10_000:
            self._verified.clear()
        self._verified[token] = claims
        return claims


def _compile(path: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "$")


class Gateway:
    def __init__(self, tokens: TokenVerifier, local_routes: dict[tuple[str, str], Callable[[dict], Any]]):
        self.tokens = tokens
        self.local_routes = local_routes
        self.worker_routes = [(route, _compile(route.path)) for route in routes.WORKER]
        self._handlers: dict[str, Callable] = {}
        self._lock = threading.Lock()

    def handler(self, module: str) -> Callable:
        found = self._handlers.get(module)
        if found is None:
            with self._lock:
                found = self._handlers[module] = importlib.import_module(f"functions.{module}").handler
        return found

    def dispatch(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Response:
        url = urlsplit(target)
        path, query = url.path or "/", url.query
        headers = {k.lower(): v for k, v in headers.items()}
        if path == "/health" and method == "GET":
            return 200, {"Content-Type": "application/json"}, b'{"status":"ok"}'
        local = self.local_routes.get((method, path))
        if local is not None:
            return self._local(local, body)
        if path == "/" and method == "POST":
            return self._requester(headers, body)
        if path == "/worker/":  # as the front door does: an API Gateway route cannot end with "/"
            path = "/worker"
        for route, pattern in self.worker_routes:
            match = pattern.match(path)
            if match and route.method == method:
                return self._worker(route, match.groupdict(), path, query, headers, body)
        return self._proxy(error_response(404, "NotFound", f"No route for {method} {path}."))

    def _event(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes, **extra
    ) -> dict:
        try:
            text, encoded = body.decode("utf-8"), False
        except UnicodeDecodeError:
            text, encoded = base64.b64encode(body).decode(), True
        event = {
            "version": "2.0",
            "rawPath": path,
            "rawQueryString": query,
            "headers": headers,
            "body": text,
            "isBase64Encoded": encoded,
            "requestContext": {"http": {"method": method, "path": path}, "requestId": str(uuid.uuid4())},
        }
        event.update(extra)
        return event

    def _invoke(self, module: str, event: dict) -> Response:
        context = LambdaContext(
            function_name=f"openturk-{module}", aws_request_id=event["requestContext"]["requestId"]
        )
        return self._proxy(self.handler(module)(event, context))

    @staticmethod
    def _proxy(result: dict) -> Response:
        return result["statusCode"], result.get("headers", {}), result.get("body", "").encode("utf-8")

    def _requester(self, headers: dict[str, str], body: bytes) -> Response:
        target = headers.get("x-amz-target", "")
        prefix, _, operation = target.partition(".")
        route = routes.REQUESTER.get(operation) if prefix == TARGET_PREFIX else None
        if route is None:
            return self._proxy(
                wire_error("UnknownOperationException", f"Unknown operation {target!r}.", str(uuid.uuid4()))
            )
        headers = {**headers, "x-openturk-host": headers.get("host", ""), "x-openturk-path": "/"}
        return self._invoke(route.module, self._event("POST", f"/requester/{operation}", "", headers, body))

    def _worker(
        self, route, params: dict, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> Response:
        extra: dict[str, Any] = {"pathParameters": params}
        event = self._event(route.method, path, query, headers, body, **extra)
        bearer = headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            claims = self.tokens.claims(bearer[7:].strip())
            if claims is None:
                return self._proxy(
                    error_response(401, "NotAuthenticated", "The bearer token is invalid or has expired.")
                )
            event["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
        return self._invoke(route.module, event)

    def _local(self, action: Callable[[dict], Any], body: bytes) -> Response:
        try:
            payload = json.loads(body or b"{}")
            result = action(payload)
        except DomainError as error:
            return self._proxy(error_response(error.status, error.code, error.message))
        except (ValueError, TypeError, KeyError) as error:
            return self._proxy(error_response(400, "InvalidParameterValue", f"Bad or missing field: {error}"))
        return 200, {"Content-Type": "application/json"}, json.dumps(result).encode()


def _content_length(value: str | None) -> int | None:
    """The body's length, or None when the header is not a plain number (a negative one would have the
    server wait for bytes that never come)."""
    text = (value or "0").strip()
    return int(text) if text.isascii() and text.isdigit() else None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else small keep-alive responses wait ~40 ms for the client's ACK
    wbufsize = 1 << 16  # the status line, headers and body leave in one send (flushed after each request)
    gateway: Gateway

    def _serve(self) -> None:
        length = _content_length(self.headers.get("Content-Length"))
        try:
            if length is None:
                status, headers, payload = Gateway._proxy(
                    error_response(400, "InvalidParameterValue", "Content-Length is not a number of bytes.")
                )
                self.close_connection = True  # where the body ends is unknown, so no next request
            else:
                body = self.rfile.read(length) if length else b""
                status, headers, payload = self.gateway.dispatch(
                    self.command, self.path, dict(self.headers.items()), body
                )
        except Exception:  # a bug must still answer, as API Gateway answers when a function fails
            logger.exception("gateway failed")
            status, headers, payload = Gateway._proxy(
                error_response(500, "ServiceFault", "The gateway failed.")
            )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:  # quiet: Powertools logs what matters
        pass


def serve(gateway: Gateway, host: str, port: int) -> ThreadingHTTPServer:
    handler = type("GatewayHandler", (_Handler,), {"gateway": gateway})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="gateway", daemon=True).start()
    return server
