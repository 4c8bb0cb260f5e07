"""Settings read from the environment, the same names locally and deployed."""

import os

REGION = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"

# Local runs point at DynamoDB Local; deployed functions leave it unset.
DYNAMODB_ENDPOINT = os.environ.get("OPENTURK_DYNAMODB_ENDPOINT") or None
# The local runtime talks to DynamoDB Local without botocore's per-call overhead (data/wire.py).
DYNAMODB_DIRECT = DYNAMODB_ENDPOINT is not None and os.environ.get("OPENTURK_DYNAMODB_DIRECT") == "1"

# Set by `openturk serve --data-dir`: see data/base.py, Transaction.commit.
DYNAMODB_LOCAL_ON_DISK = os.environ.get("OPENTURK_DYNAMODB_LOCAL_ON_DISK") == "1"

# True only in the laptop runtime: enables the development sign-in and the test clock.
LOCAL = os.environ.get("OPENTURK_LOCAL") == "1"

# Fixed so that the README's default requester key works by copy and paste; see edge/credentials.py.
LOCAL_MASTER_SECRET = "openturk-local-development-master-secret-not-for-production"


def table_name(name: str) -> str:
    """Physical table name: deployed stacks pass each one in, locally they share a prefix."""
    return os.environ.get(f"OPENTURK_TABLE_{name.upper()}") or f"openturk-{name}"
