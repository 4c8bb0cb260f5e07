"""Settings for every test process, made before any openturk module reads them at import.

openturk's modules read their endpoints from the environment when first imported, so the port of this
process's DynamoDB Local is chosen here, first; the integration fixtures start it on that port. Fake AWS
credentials make sure no test can reach a real account.
"""

import os

import pytest

from openturk.local.engines import free_port

os.environ.update(
    {
        "OPENTURK_LOCAL": "1",
        "OPENTURK_DYNAMODB_DIRECT": os.environ.get("OPENTURK_DYNAMODB_DIRECT", "1"),
        "AWS_ACCESS_KEY_ID": "openturklocal",
        "AWS_SECRET_ACCESS_KEY": "openturklocal",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("AWS_SESSION_TOKEN", None)
os.environ.pop("AWS_PROFILE", None)
TEST_DYNAMODB_PORT = free_port()
if hasattr(os, "sched_getaffinity") and "OPENTURK_DYNAMODB_CPUS" not in os.environ:
    # Each xdist worker's DynamoDB Local on a CPU of its own (by default they would share the last one).
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    cpus = sorted(os.sched_getaffinity(0))
    os.environ["OPENTURK_DYNAMODB_CPUS"] = str(cpus[-1 - worker % len(cpus)])
os.environ["OPENTURK_DYNAMODB_ENDPOINT"] = f"http://127.0.0.1:{TEST_DYNAMODB_PORT}"


@pytest.fixture(scope="session")
def runtime():
    """One local runtime per test process (DynamoDB Local + moto + the gateway), shared by the integration
    and the browser tests: a second one in the same process would take over the first's environment."""
    from openturk.local.runtime import Runtime

    # A short tick, as `openturk serve --tick 0.2` would run: events are delivered in the background.
    runtime = Runtime(port=0, aws_port=0, dynamodb_port=TEST_DYNAMODB_PORT, tick=0.2)
    runtime.start()
    yield runtime
    runtime.stop()


def pytest_collection_modifyitems(session, config, items):
    """In a plain run, tests that mock AWS in this process (moto's mock_aws resets moto's state when it
    ends, the shared runtime's user pool and event bus with it) run first, before any runtime starts, and
    the browser tests last. pytest-xdist schedules files in its own order, so under -n this does not
    hold: see the known issue about tests/infra/test_deployed.py."""
    first = [item for item in items if "tests/infra/test_deployed.py" in item.nodeid]
    last = [item for item in items if "tests/e2e/" in item.nodeid]
    middle = [item for item in items if item not in first and item not in last]
    items[:] = first + middle + last
