"""`openturk serve --data-dir`: what the local AWS endpoint (moto, in memory) must not forget, kept on disk.

A WSGI middleware in front of moto's app. A request that changes S3 (any bucket) or the workers' user
pool is answered by moto as usual; if moto says it succeeded, the new state is written to the data
directory durably before the answer goes back, and if that write fails the client gets a 500 instead
of a success that would not survive a restart. Reads pass straight through. At start, before the
endpoint serves anything, the S3 buckets and objects are put back; the users come back when the runtime
creates its user pool again.

Not kept: SQS messages and queues, SNS topics, EventBridge rules made by hand at the endpoint. openturk's
own state does not live there: the events outbox is a DynamoDB table, so notifications not yet delivered
are delivered after a restart to whatever queue or topic then exists.
"""

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from openturk.local.identity_store import IdentityStore
from openturk.local.s3_store import S3Store, _s3_backend

log = logging.getLogger(__name__)

_COGNITO = "AWSCognitoIdentityProviderService."
_COGNITO_RECORDED = {"AdminCreateUser", "AdminSetUserPassword", "CreateUserPool"}
_CHANGES = {"PUT", "POST", "DELETE"}
# moto reads the service from the credential scope; it does not check signatures.
_S3_AUTH = "AWS4-HMAC-SHA256 Credential=openturklocal/20200101/{region}/s3/aws4_request, SignedHeaders=host, Signature=0"


class DurableAws:
    """moto's WSGI app, with its S3 objects and user pool users kept under `data_dir`."""

    def __init__(self, data_dir: str | Path):
        root = Path(data_dir)
        self.s3 = S3Store(root / "s3")
        self.identities = IdentityStore(root / "cognito")
        self.app: Callable | None = None
        self.loaded: dict[str, int] = {}

    def wrap(self, app: Callable) -> "DurableAws":
        """Take moto's app, and put back what was stored (before the endpoint answers anyone)."""
        self.app = app
        try:
            self.loaded = self.s3.load(self._replay_s3)
        except Exception:  # serve on: what could not be read stays on disk, and new writes are kept
            log.exception("restoring S3 from %s failed", self.s3.root)
        return self

    # ---- requests ----------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        assert self.app is not None
        method = environ["REQUEST_METHOD"]
        if method not in _CHANGES:
            return self.app(environ, start_response)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith(_COGNITO) and target[len(_COGNITO) :] in _COGNITO_RECORDED:
            body = self._body(environ)
            return self._answer_then(environ, start_response, lambda out: self._cognito(target, body, out))
        s3 = self._s3_request(environ)
        if s3 is None:
            return self.app(environ, start_response)
        bucket, key, query = s3
        body = b"" if key else self._body(environ)  # bucket settings are small; objects are read from moto
        return self._answer_then(
            environ, start_response, lambda out: self.s3.record(method, bucket, key, query, body)
        )

    def _answer_then(
        self, environ: dict[str, Any], start_response: Callable, record: Callable[[bytes], None]
    ) -> Iterable[bytes]:
        """Let moto answer; on success run `record` before the client hears of it."""
        assert self.app is not None
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list, exc_info: Any = None) -> Callable:
            captured.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: None  # moto's Flask app returns its body; it never writes

        chunks = self.app(environ, capture)
        try:
            payload = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()
        if captured["status"][:1] == "2":
            try:
                record(payload)
            except Exception:
                log.exception("keeping an AWS change on disk failed")
                start_response("500 Internal Server Error", [("Content-Type", "application/xml")])
                return [
                    b"<Error><Code>InternalError</Code><Message>openturk could not keep this change on"
                    b" disk.</Message></Error>"
                ]
        start_response(captured["status"], captured["headers"], captured["exc_info"])
        return [payload]

    @staticmethod
    def _body(environ: dict[str, Any]) -> bytes:
        import io

        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        return body

    @staticmethod
    def _s3_request(environ: dict[str, Any]) -> tuple[str, str, dict[str, str]] | None:
        """(bucket, key, query) of an S3 request, or None for another service's."""
        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        auth = environ.get("HTTP_AUTHORIZATION", "")
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
        bucket, _, key = path.lstrip("/").partition("/")
        host = environ.get("HTTP_HOST", "").split(":")[0]
        first_label, dot, rest = host.partition(".")
        if dot and (rest == "localhost" or ".amazonaws.com" in "." + rest) and first_label != "s3":
            bucket, key = first_label, path.lstrip("/")  # virtual-hosted style: the bucket is in the host
        if auth:
            is_s3 = "/s3/aws4_request" in auth
        else:  # unsigned: a presigned URL, or a bucket moto has
            is_s3 = not environ.get("HTTP_X_AMZ_TARGET") and (
                "/s3/" in query.get("X-Amz-Credential", "") or _bucket_exists(bucket)
            )
        return (bucket, key, query) if is_s3 and bucket else None

    def _cognito(self, target: str, body: bytes, answer: bytes) -> None:
        from openturk import config

        operation = target[len(_COGNITO) :]
        request = json.loads(body or b"{}")
        if operation == "CreateUserPool":
            restored = self.identities.restore_pool(config.REGION, json.loads(answer)["UserPool"]["Id"])
            self.loaded["Users"] = restored
        else:
            self.identities.record_user(config.REGION, request["UserPoolId"], request["Username"])

    # ---- at start ----------------------------------------------------------------------------------

    def _replay_s3(self, method: str, bucket: str, query: dict[str, str], body: bytes) -> None:
        from urllib.parse import urlencode

        from werkzeug.test import EnvironBuilder

        region = _s3_backend(bucket).get_bucket(bucket).region_name
        environ = EnvironBuilder(
            method=method,
            path=f"/{bucket}",
            query_string=urlencode(query),
            data=body,
            headers=[("Authorization", _S3_AUTH.format(region=region)), ("Host", "127.0.0.1")],
        ).get_environ()
        status: list[str] = []
        assert self.app is not None
        b"".join(self.app(environ, lambda s, h, e=None: status.append(s)))
        if not status or status[0][:1] != "2":
            log.warning("restoring %s ?%s of bucket %s answered %s", method, query, bucket, status)


def _bucket_exists(bucket: str) -> bool:
    from moto.s3.models import s3_backends

    return bucket in s3_backends.bucket_accounts
