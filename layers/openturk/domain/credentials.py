"""Requester key pairs. A secret is HMAC(master secret, access key id): derived on demand, never stored.

The master secret is the deployment's (AWS Secrets Manager, read once per process) or, in the laptop
runtime, a fixed development value so that the README's default key works by copy and paste.
"""

import base64
import hashlib
import hmac
import os
import secrets
from functools import cache

from openturk import config

DEFAULT_REQUESTER_ID = "AOPENTURKLOCAL"
DEFAULT_ACCESS_KEY_ID = "OTKLOCALDEFAULTKEY01"


@cache
def master_secret() -> bytes:
    if os.environ.get("OPENTURK_MASTER_SECRET"):
        return os.environ["OPENTURK_MASTER_SECRET"].encode()
    arn = os.environ.get("OPENTURK_MASTER_SECRET_ARN")
    if arn:
        import boto3  # only deployed, and only on the first signed request of a process

        return boto3.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"].encode()
    if config.LOCAL:
        return config.LOCAL_MASTER_SECRET.encode()
    raise RuntimeError(
        "No master secret: set OPENTURK_MASTER_SECRET_ARN (deployed) or run the local runtime."
    )


def secret_for(access_key_id: str, master: bytes | None = None) -> str:
    """The secret key of an access key id, under this deployment's master secret or the one given."""
    digest = hmac.new(master or master_secret(), access_key_id.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()[:40]


def new_access_key_id() -> str:
    return "OTK" + "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(17))
