"""A fresh requester per test, on the test process's one local runtime (the `runtime` fixture, in
tests/conftest.py, which the browser tests share)."""

import boto3
import pytest
from botocore.config import Config

from tests.support import WorkerClient, funded_requester


@pytest.fixture(scope="session")
def endpoint(runtime) -> str:
    return runtime.info["Endpoint"]


def mturk_client(endpoint: str, keys: dict[str, str]):
    return boto3.client(
        "mturk",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
        config=Config(retries={"max_attempts": 1}),
    )


@pytest.fixture
def requester(endpoint) -> dict[str, str]:
    """A new requester with $1,000.00 prepaid (a new requester starts at $0.00)."""
    return funded_requester(endpoint)


@pytest.fixture
def mturk(endpoint, requester):
    """boto3's mturk client for a requester of this test alone."""
    return mturk_client(endpoint, requester)


@pytest.fixture
def new_worker(endpoint):
    return lambda name=None: WorkerClient(endpoint, name)
