"""HttpApi: the one API Gateway HTTP API that requester and worker routes hang on, with access logs; and
FunctionIntegration, how a route reaches its function."""

import json

import jsii
from aws_cdk import Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra import settings

# One JSON line per request: enough to find a request in the function's logs (requestId) and to see what
# API Gateway itself answered when no function ran (authorizer refusals, unknown routes).
ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "integrationStatus": "$context.integrationStatus",
    "integrationError": "$context.integrationErrorMessage",
    "authorizerError": "$context.authorizer.error",
    "latency": "$context.responseLatency",
}


@jsii.implements(apigwv2.IAccessLogSettings)
class _AccessLogs:
    def __init__(self, log_group: logs.ILogGroup) -> None:
        self._destination = apigwv2.LogGroupLogDestination(log_group)

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigateway.AccessLogFormat:
        return apigateway.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FORMAT))


class HttpApi(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.api = apigwv2.HttpApi(
            self,
            "Api",
            description="openturk: POST /requester/<Operation> (behind CloudFront) and the worker API",
            create_default_stage=False,  # the stage below is the default one, with access logs
        )
        self.access_logs = logs.LogGroup(self, "AccessLogs", retention=settings.LOG_RETENTION)
        self.stage = apigwv2.HttpStage(
            self,
            "DefaultStage",
            http_api=self.api,
            stage_name="$default",
            auto_deploy=True,
            access_log_settings=_AccessLogs(self.access_logs),
        )

    @property
    def domain_name(self) -> str:
        """execute-api host name (a token): what CloudFront forwards to."""
        return f"{self.api.api_id}.execute-api.{self.api.stack.region}.{self.api.stack.url_suffix}"


class FunctionIntegration(apigwv2.HttpRouteIntegration):
    """HttpLambdaIntegration (AWS_PROXY, payload 2.0, invoke permission scoped to the route), but with the
    permission beside the function instead of beside the route: the routes stay in the parent stack while
    the functions are in nested ones (infra/function_stack.py), so each route costs the parent two
    resources (route, integration), not three."""

    def __init__(self, construct_id: str, function: lambda_.IFunction) -> None:
        super().__init__(construct_id)
        self._id = construct_id
        self._function = function

    def bind(self, *, route: apigwv2.IHttpRoute, scope: Construct) -> apigwv2.HttpRouteIntegrationConfig:
        self._function.add_permission(
            f"{self._id}-Permission",
            principal=iam.ServicePrincipal("apigateway.amazonaws.com"),
            source_arn=Stack.of(route).format_arn(
                service="execute-api",
                resource=route.http_api.api_id,
                resource_name=f"*/*{route.path or ''}",
            ),
        )
        return apigwv2.HttpRouteIntegrationConfig(
            type=apigwv2.HttpIntegrationType.AWS_PROXY,
            uri=self._function.function_arn,
            payload_format_version=apigwv2.PayloadFormatVersion.VERSION_2_0,
        )
