"""Powertools logger, metrics and tracer, shared by every handler."""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger(service="openturk")
metrics = Metrics(namespace="openturk", service="openturk")
tracer = Tracer(service="openturk")
