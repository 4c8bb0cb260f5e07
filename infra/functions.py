"""OperationFunction: one Lambda function for one route, with its own role holding exactly what it needs.

The route (openturk.edge.routes) names the tables the operation reads and writes and the other AWS services
it calls; the policies below grant those and nothing else, so a reader sees the function and everything it
may touch in one place. Background routes (no HTTP route: the stream's delivery, the sweep) are built the
same way; what starts them is wired in infra/events.py.
"""

from pathlib import Path

from aws_cdk import Duration, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra import settings
from infra.nag import acknowledge
from infra.tables import Tables
from openturk.edge.routes import WORKER, Route

FUNCTIONS_SOURCE = Path(__file__).resolve().parent.parent / "functions"

# No Scan: every access pattern is a GetItem, a BatchGetItem or a Query (DESIGN.md). PynamoDB 6 builds
# its table metadata from the model, so DescribeTable is never called either.
READ_ACTIONS = ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query")
# Transactions (TransactWriteItems) are authorized item by item against these same actions.
WRITE_ACTIONS = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
)
# What each name in Route.aws grants. Requesters name their own SQS queues and SNS topics at run time
# (UpdateNotificationSettings, SendTestEventNotification), so those two cannot be scoped to an ARN known at
# deploy time; the stack's own bus can.
DESTINATION_ACTIONS = {"sqs": ("sqs:SendMessage",), "sns": ("sns:Publish",)}
BUS_ACTIONS = ("events:PutEvents",)
# An encrypted queue or topic needs its KMS key, used only through SQS or SNS (kms:ViaService).
KMS_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")
KMS_VIA_SERVICES = ("sqs.*.amazonaws.com", "sns.*.amazonaws.com")
# "s3" (the batch bucket) and "batch-queue" are granted by infra/batches.py, on exact prefixes and queues.
SUPPORTED_AWS = {"sqs", "sns", "events", "s3", "batch-queue"}


def handler_code() -> lambda_.Code:
    """functions/ as the code of every function: each handler is functions/<module>.py at the root.
    Local-only handlers (the development sign-in) are left out: deployed, they do not exist."""
    local_only = [f"{route.module}.py" for route in WORKER if route.local_only]
    return lambda_.Code.from_asset(str(FUNCTIONS_SOURCE), exclude=["__pycache__", "*.pyc", *local_only])


class OperationFunction(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        route: Route,
        tables: Tables,
        layer: lambda_.ILayerVersion,
        master_secret: secretsmanager.ISecret | None = None,
        event_bus: events.IEventBus | None = None,
        timeout: Duration = settings.TIMEOUT,
    ) -> None:
        super().__init__(scope, construct_id)
        unsupported = set(route.aws) - SUPPORTED_AWS
        if unsupported:
            raise NotImplementedError(f"{route.module} calls {sorted(unsupported)}: grant those here first")
        if "events" in route.aws and event_bus is None:
            raise ValueError(f"{route.module} puts events on the bus: pass event_bus")
        self.log_group = logs.LogGroup(self, "Logs", retention=settings.LOG_RETENTION)
        # A role of its own, without AWSLambdaBasicExecutionRole: that managed policy may write to every
        # log group in the account; this one writes to its own.
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"openturk {route.module}: exactly the tables and services its route lists",
        )
        self.role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn],
            )
        )
        written = list(dict.fromkeys(route.writes))
        read_only = [key for key in dict.fromkeys(route.reads) if key not in written]
        if read_only:
            self.role.add_to_policy(
                iam.PolicyStatement(
                    actions=list(READ_ACTIONS),
                    resources=[arn for key in read_only for arn in tables.arns(key)],
                )
            )
        if written:
            self.role.add_to_policy(
                iam.PolicyStatement(
                    actions=list(READ_ACTIONS + WRITE_ACTIONS),
                    resources=[arn for key in written for arn in tables.arns(key)],
                )
            )
        # Every table's name, not only this route's: a model imported along the way then still names the
        # deployed table (and IAM refuses it), never a nonexistent default.
        environment = {**settings.POWERTOOLS_ENVIRONMENT, **tables.environment()}
        if scope.node.try_get_context("openturk:sandbox") in (True, "true"):
            # As MTurk's sandbox: balances read 10000.00 and never refuse (domain/ledger.sandbox).
            environment["OPENTURK_SANDBOX"] = "1"
        if master_secret is not None:
            # Requester functions derive each key's secret from it (domain/credentials.py).
            environment["OPENTURK_MASTER_SECRET_ARN"] = master_secret.secret_arn
            self.role.add_to_policy(
                iam.PolicyStatement(
                    actions=["secretsmanager:GetSecretValue"], resources=[master_secret.secret_arn]
                )
            )
        self.notifications_policy = self._grant_aws(route, environment, event_bus)
        self.function = lambda_.Function(
            self,
            "Function",
            description=f"openturk {route.module}",
            runtime=settings.RUNTIME,
            architecture=settings.ARCHITECTURE,
            handler=f"{route.module}.handler",
            code=handler_code(),
            layers=[layer],
            role=self.role,
            memory_size=settings.MEMORY_MB,
            timeout=timeout,
            tracing=settings.TRACING,
            log_group=self.log_group,
            logging_format=settings.LOG_FORMAT,
            application_log_level_v2=settings.APPLICATION_LOG_LEVEL,
            system_log_level_v2=settings.SYSTEM_LOG_LEVEL,
            environment=environment,
        )
        acknowledge(
            self.role.node.find_child("DefaultPolicy"),
            {
                "AwsSolutions-IAM5[Resource::*]": "X-Ray's PutTraceSegments and PutTelemetryRecords have no "
                "resource-level permissions, so active tracing needs Resource '*'.",
            },
        )
        if self.notifications_policy is not None:
            # Lambda does not wait for a role's other policies on its own: a first call must not be refused.
            self.function.node.add_dependency(self.notifications_policy)
        acknowledge(
            self.function.node.default_child,
            {
                "AwsSolutions-L1": "The layer's wheels are built for Python 3.13 on arm64 "
                "(infra/settings.py); the runtime moves together with them, deliberately.",
            },
        )

    def _grant_aws(
        self, route: Route, environment: dict[str, str], event_bus: events.IEventBus | None
    ) -> iam.Policy | None:
        """Grant what route.aws names and set the variables the delivery code reads; the requesters'
        destinations go to a policy of their own, whose Resource '*' is acknowledged for that reason."""
        if not route.aws:
            return None
        # The notification's SourceAccount without a call to STS (domain/notifications.source_account).
        environment["OPENTURK_ACCOUNT_ID"] = Stack.of(self).account
        if "events" in route.aws and event_bus is not None:
            environment["OPENTURK_EVENT_BUS"] = event_bus.event_bus_name
            self.role.add_to_policy(
                iam.PolicyStatement(actions=list(BUS_ACTIONS), resources=[event_bus.event_bus_arn])
            )
        actions = [action for service in route.aws for action in DESTINATION_ACTIONS.get(service, ())]
        if not actions:
            return None
        policy = iam.Policy(
            self,
            "Notifications",
            roles=[self.role],
            statements=[
                iam.PolicyStatement(actions=actions, resources=["*"]),
                iam.PolicyStatement(
                    actions=list(KMS_ACTIONS),
                    resources=["*"],
                    conditions={"StringLike": {"kms:ViaService": list(KMS_VIA_SERVICES)}},
                ),
            ],
        )
        acknowledge(
            policy.node.default_child,
            {
                "AwsSolutions-IAM5[Resource::*]": "Requesters name their own SQS queues and SNS topics (and "
                "the KMS keys encrypting them, used only via SQS and SNS) at run time, so no ARN is known "
                "at deploy time.",
            },
        )
        return policy
