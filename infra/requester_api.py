"""RequesterApi: one function per MTurk operation, each on POST /requester/<Operation>, and the master secret.

The routes carry no API Gateway authorizer on purpose: every requester call is signed with AWS SigV4 by a
key openturk issued, and the function verifies that signature over the real body (edge/requester.py). The
secret of each key is derived from the master secret, which only these functions may read.
"""

from aws_cdk import RemovalPolicy
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_events as events
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.api import FunctionIntegration, HttpApi
from infra.function_stack import FunctionStack
from infra.functions import OperationFunction
from infra.nag import AUTHORIZED_IN_FUNCTION, acknowledge
from infra.tables import Tables
from openturk.edge.routes import REQUESTER

PATH_PREFIX = "/requester/"


class RequesterApi(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        http_api: HttpApi,
        tables: Tables,
        layer: lambda_.ILayerVersion,
        event_bus: events.IEventBus,
    ) -> None:
        super().__init__(scope, construct_id)
        self.master_secret = secretsmanager.Secret(
            self,
            "MasterSecret",
            description="openturk master secret: every requester key's secret is an HMAC of its id under it",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
            # Losing it invalidates every key ever issued, so it outlives the stack like the tables do.
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.master_secret.node.default_child,
            {
                "AwsSolutions-SMG4": "Rotating the master secret changes every requester's secret key at "
                "once; it is a deliberate re-keying, not a scheduled rotation.",
            },
        )
        # The functions in a nested stack of their own (infra/function_stack.py); their routes stay here.
        self.function_stack = FunctionStack(
            self,
            "Functions",
            description="openturk: one function per requester operation, each with its role",
        )
        self.functions: dict[str, OperationFunction] = {}
        for operation, route in REQUESTER.items():
            function = OperationFunction(
                self.function_stack,
                operation,
                route=route,
                tables=tables,
                layer=layer,
                master_secret=self.master_secret,
                event_bus=event_bus,
            )
            routes = http_api.api.add_routes(
                path=PATH_PREFIX + operation,
                methods=[apigwv2.HttpMethod.POST],
                integration=FunctionIntegration(f"{operation}Integration", function.function),
            )
            for http_route in routes:
                acknowledge(
                    http_route.node.default_child,
                    {
                        "AwsSolutions-APIG4": AUTHORIZED_IN_FUNCTION,
                    },
                )
            self.functions[operation] = function
