"""Powertools logger and metrics, shared by every handler.

No Powertools Tracer: it imports the X-Ray SDK (110 ms here), more than half of a handler's import
budget. Lambda's active tracing (set in infra/) still records every invocation in X-Ray.
"""

import os

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="openturk")
metrics = Metrics(namespace="openturk", service="openturk")
# Off in the laptop runtime: Powertools would still print a metrics line every 100 values.
_METRICS_ON = os.environ.get("POWERTOOLS_METRICS_DISABLED", "").lower() != "true"


def count(name: str) -> None:
    """One more of `name` in this invocation's metrics (CloudWatch EMF, flushed by flush())."""
    if _METRICS_ON:
        metrics.add_metric(name=name, unit="Count", value=1)


def flush() -> None:
    if _METRICS_ON:
        metrics.flush_metrics()
