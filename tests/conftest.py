"""Settings for every test process, made before any openturk module reads them at import.

openturk's modules read their endpoints from the environment when first imported, so the port of this
process's DynamoDB Local is chosen here, first; the integration fixtures start it on that port. Fake AWS
credentials make sure no test can reach a real account.
"""

import os

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
os.environ["OPENTURK_DYNAMODB_ENDPOINT"] = f"http://127.0.0.1:{TEST_DYNAMODB_PORT}"
