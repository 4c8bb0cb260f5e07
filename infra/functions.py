"""OperationFunction: one Lambda function for one route, with its own role holding exactly what it needs.

The route (openturk.edge.routes) names the tables the operation reads and writes; the policy below grants
those and nothing else, so a reader sees the function and everything it may touch in one place.
"""

from pathlib import Path

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
    ) -> None:
        super().__init__(scope, construct_id)
        if route.aws:
            raise NotImplementedError(f"{route.module} calls {route.aws}: grant those services here first")
        self.log_group = logs.LogGroup(self, "Logs", retention=settings.LOG_RETENTION)
        # A role of its own, without AWSLambdaBasicExecutionRole: that managed policy may write to every
        # log group in the account; this one writes to its own.
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"openturk {route.module}: exactly the tables its route lists",
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
            timeout=settings.TIMEOUT,
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
        acknowledge(
            self.function.node.default_child,
            {
                "AwsSolutions-L1": "The layer's wheels are built for Python 3.13 on arm64 "
                "(infra/settings.py); the runtime moves together with them, deliberately.",
            },
        )
