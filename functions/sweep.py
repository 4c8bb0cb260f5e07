"""The schedule's function (an EventBridge rule, every minute): make due transitions durable."""

from openturk.domain import clock, sweeper
from openturk.edge.observability import logger


@logger.inject_lambda_context
def handler(event, context):
    counts = sweeper.sweep(clock.now())
    logger.info("swept", **counts)
    return counts
