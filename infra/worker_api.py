"""WorkerApi: the workers' Cognito user pool, and one function per worker route behind its JWT authorizer.

API Gateway checks the bearer ID token against the user pool before a function runs and passes its claims
in requestContext.authorizer.jwt.claims, which edge/worker.py reads; the local gateway does the same with
moto's Cognito. Routes marked local_only (the development sign-ins) are not deployed. The web app's pages and
/mturk/externalSubmit have no authorizer: a browser sends the token as a cookie, so they check it
themselves against the user pool's published keys.
"""

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_events as events
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk.aws_apigatewayv2_authorizers import HttpUserPoolAuthorizer
from constructs import Construct

from infra.api import FunctionIntegration, HttpApi
from infra.function_stack import FunctionStack
from infra.functions import OperationFunction
from infra.nag import AUTHORIZED_IN_FUNCTION, acknowledge
from infra.tables import Tables
from openturk.edge.routes import PAGES, SIGN_UP, WORKER, Route

# Routes a browser calls with the session cookie, which API Gateway's JWT authorizer cannot read: the
# handler checks the token itself (web/session.py), against the user pool's published keys.
SESSION_ROUTES = {route.module for route in PAGES if not route.local_only} | {"external_submit"}
# Pages that accept a requester's signed preview link derive the key's secret from the master secret.
PREVIEW_ROUTES = {"worker_page_preview", "worker_page_content"}


def deployed_routes() -> list[Route]:
    return [route for route in WORKER if not route.local_only]


def construct_name(module: str) -> str:
    return "".join(part.capitalize() for part in module.split("_"))


class WorkerApi(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        http_api: HttpApi,
        tables: Tables,
        layer: lambda_.ILayerVersion,
        event_bus: events.IEventBus,
        master_secret: secretsmanager.ISecret | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = cognito.UserPool(
            self,
            "Workers",
            self_sign_up_enabled=True,
            # A worker picks a user name (shown as their name) and may sign in with their email too.
            sign_in_aliases=cognito.SignInAliases(username=True, email=True),
            sign_in_case_sensitive=False,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            # What a worker may give at sign-up for the Locale and Adult system qualifications; the
            # post-confirmation trigger (functions/worker_signed_up.py) makes it their profile.
            custom_attributes={
                "country": cognito.StringAttribute(min_len=2, max_len=2, mutable=True),
                "subdivision": cognito.StringAttribute(min_len=1, max_len=3, mutable=True),
                "adult": cognito.BooleanAttribute(mutable=True),
            },
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            deletion_protection=True,
            # Workers' accounts carry their earnings history: keep them when the stack goes.
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.user_pool.node.default_child,
            {
                "AwsSolutions-COG2": "Workers sign themselves up for paid micro-tasks; TOTP MFA is offered "
                "to every worker but not imposed on them.",
                "AwsSolutions-COG8": "The Plus feature plan (threat protection) is billed per monthly active "
                "user, which a crowd of workers makes costly; an operator who wants it switches the plan.",
            },
        )
        (sign_up_route,) = SIGN_UP
        self.signed_up = OperationFunction(
            self, construct_name(sign_up_route.module), route=sign_up_route, tables=tables, layer=layer
        )
        self.user_pool.add_trigger(cognito.UserPoolOperation.POST_CONFIRMATION, self.signed_up.function)
        self.client = self.user_pool.add_client(
            "WorkerApp",
            # SRP for the app; USER_PASSWORD_AUTH (the password goes to Cognito over TLS) for clients
            # without an SRP library, such as `aws cognito-idp initiate-auth` in the README.
            auth_flows=cognito.AuthFlow(user_srp=True, user_password=True),
            generate_secret=False,  # used by the browser app, which cannot keep a secret
            prevent_user_existence_errors=True,
            # Sign-in goes through the user pool API; no hosted UI, so no OAuth flows or callback URLs
            # to leave open.
            disable_o_auth=True,
        )
        authorizer = HttpUserPoolAuthorizer("WorkerJwt", self.user_pool, user_pool_clients=[self.client])
        # The functions in a nested stack of their own (infra/function_stack.py); their routes stay here.
        self.function_stack = FunctionStack(
            self,
            "Functions",
            description="openturk: one function per worker route and page, each with its role",
        )
        self.functions: dict[str, OperationFunction] = {}
        for route in deployed_routes():
            name = construct_name(route.module)
            function = OperationFunction(
                self.function_stack,
                name,
                route=route,
                tables=tables,
                layer=layer,
                event_bus=event_bus,
                master_secret=master_secret if route.module in PREVIEW_ROUTES else None,
            )
            in_function = route.module in SESSION_ROUTES
            if in_function:
                function.function.add_environment("OPENTURK_USER_POOL_ID", self.user_pool.user_pool_id)
                function.function.add_environment(
                    "OPENTURK_USER_POOL_CLIENT_ID", self.client.user_pool_client_id
                )
            http_routes = http_api.api.add_routes(
                path=route.path,
                methods=[apigwv2.HttpMethod(route.method)],
                integration=FunctionIntegration(f"{name}Integration", function.function),
                authorizer=None if in_function else authorizer,
            )
            if in_function:
                for http_route in http_routes:
                    acknowledge(http_route.node.default_child, {"AwsSolutions-APIG4": AUTHORIZED_IN_FUNCTION})
            self.functions[route.module] = function
