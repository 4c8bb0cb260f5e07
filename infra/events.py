"""Events: the stack's EventBridge bus, the outbox's delivery from the events table's stream, and the sweep.

One capability, time and events, in one construct: every state change records its event in the events
table (the outbox); the table's stream starts deliver_events on each new event, which sends it to the HIT
type's SQS queue or SNS topic and puts it on the bus; the sweep, every minute, makes due transitions
durable (expiry, abandonment, auto-approval) and then delivers whatever is still pending, so it is also
the delivery's retry path. Splitting them would pass the bus and the outbox between two constructs that
only make sense together.

The sweep runs from an EventBridge rule, not EventBridge Scheduler: it is a single fixed-rate trigger, and
what is due lives in the tables' due-time indexes rather than in one schedule per item, so nothing here
needs Scheduler's one-time schedules, time zones or flexible windows.
"""

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from aws_cdk.aws_lambda_event_sources import SqsDlq
from constructs import Construct

from infra import settings
from infra.functions import OperationFunction
from infra.nag import acknowledge
from infra.tables import Tables
from openturk.edge.routes import BACKGROUND, Route

EVENTS_TABLE = "events"
# What the stream's event source mapping reads (the table's stream ARN); ListStreams has no resource.
STREAM_READ_ACTIONS = ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator")


def background_route(module: str) -> Route:
    (route,) = [route for route in BACKGROUND if route.module == module]
    return route


def construct_name(module: str) -> str:
    return "".join(part.capitalize() for part in module.split("_"))


class Events(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        tables: Tables,
        layer: lambda_.ILayerVersion,
    ) -> None:
        super().__init__(scope, construct_id)
        self.bus = events.EventBus(self, "Bus", event_bus_name=settings.EVENT_BUS_NAME)
        self.functions: dict[str, OperationFunction] = {
            route.module: OperationFunction(
                self,
                construct_name(route.module),
                route=route,
                tables=tables,
                layer=layer,
                event_bus=self.bus,
                timeout=settings.BACKGROUND_TIMEOUT,
            )
            for route in BACKGROUND
        }
        self._deliver_from_the_stream(tables)
        self._sweep_every_minute()

    def _deliver_from_the_stream(self, tables: Tables) -> None:
        deliver = self.functions["deliver_events"]
        stream_arn = tables.tables[EVENTS_TABLE].table_stream_arn
        if stream_arn is None:
            raise ValueError("the events table has no stream: see STREAMS in infra/tables.py")
        # Batches that still fail after their retries: Lambda records their shard and sequence numbers here,
        # for inspection. The events themselves stay Pending in the table, so the sweep delivers them anyway.
        self.dead_letters = sqs.Queue(
            self,
            "DeliveryFailures",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        acknowledge(
            self.dead_letters.node.default_child,
            {
                "AwsSolutions-SQS3": "This queue is itself the dead-letter destination of the delivery "
                "stream's failed batches, so it needs no dead-letter queue of its own.",
            },
        )
        # The stream's permissions by hand, not by grantStreamRead, so that ListStreams' Resource '*' sits
        # in a policy of its own with its own reason, and the mapping waits for it.
        stream_read = iam.Policy(
            self,
            "StreamRead",
            roles=[deliver.role],
            statements=[
                iam.PolicyStatement(actions=list(STREAM_READ_ACTIONS), resources=[stream_arn]),
                iam.PolicyStatement(actions=["dynamodb:ListStreams"], resources=["*"]),
            ],
        )
        acknowledge(
            stream_read.node.default_child,
            {
                "AwsSolutions-IAM5[Resource::*]": "Lambda's stream poller calls dynamodb:ListStreams, "
                "which has no resource-level permissions, while the stream's records are read by exact ARN.",
            },
        )
        self.stream_mapping = deliver.function.add_event_source_mapping(
            "Stream",
            event_source_arn=stream_arn,
            starting_position=lambda_.StartingPosition.LATEST,
            batch_size=settings.DELIVERY_BATCH_SIZE,
            retry_attempts=settings.DELIVERY_RETRY_ATTEMPTS,
            bisect_batch_on_error=True,
            filters=[lambda_.FilterCriteria.filter({"eventName": lambda_.FilterRule.is_equal("INSERT")})],
            on_failure=SqsDlq(self.dead_letters),
        )
        self.stream_mapping.node.add_dependency(stream_read)

    def _sweep_every_minute(self) -> None:
        sweep = self.functions["sweep"].function
        # The next minute's run is the retry: a failed sweep is not retried, neither by the rule nor by
        # Lambda's asynchronous invocation (the sweeper is idempotent and resumes where it stopped).
        sweep.configure_async_invoke(retry_attempts=0, max_event_age=settings.SWEEP_RATE)
        self.sweep_rule = events.Rule(
            self,
            "SweepSchedule",
            description="openturk: expire HITs, free abandoned assignments, auto-approve, deliver due events",
            schedule=events.Schedule.rate(settings.SWEEP_RATE),
            targets=[targets.LambdaFunction(sweep, retry_attempts=0, max_event_age=settings.SWEEP_RATE)],
        )
