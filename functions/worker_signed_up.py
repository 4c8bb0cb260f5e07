"""The workers' user pool's post-confirmation trigger: a worker who signed up starts with the profile
(Locale, Adult) they gave as custom attributes."""

from openturk.domain import clock, workers
from openturk.edge.observability import logger


@logger.inject_lambda_context
def handler(event, context):
    attributes = event["request"]["userAttributes"]
    workers.signed_up(attributes["sub"], event.get("userName") or attributes["sub"], attributes, clock.now())
    return event  # Cognito expects the event back
