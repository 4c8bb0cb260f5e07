"""Powertools logger and metrics, shared by every handler.

No Powertools Tracer: it imports the X-Ray SDK (110 ms here), more than half of a handler's import
budget. Lambda's active tracing (set in infra/) still records every invocation in X-Ray.
"""

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="openturk")
metrics = Metrics(namespace="openturk", service="openturk")
