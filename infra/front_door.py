"""FrontDoor: the CloudFront distribution MTurk clients call, in front of the HTTP API.

MTurk's wire protocol is POST / with the operation in the X-Amz-Target header; the CloudFront Function in
front_door.js rewrites it to POST /requester/<Operation>, the route of that operation's own function.
Nothing is cached: every request is signed and answered by its function.
"""

import json
from collections.abc import Iterable
from pathlib import Path

from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from constructs import Construct

from infra.api import HttpApi
from infra.nag import acknowledge

FUNCTION_SOURCE = Path(__file__).with_name("front_door.js")


PLACEHOLDER = "var OPERATIONS = __OPERATIONS__;"


def function_code(operations: Iterable[str]) -> str:
    source = FUNCTION_SOURCE.read_text()
    if source.count(PLACEHOLDER) != 1:
        raise ValueError(f"{FUNCTION_SOURCE.name} must contain {PLACEHOLDER!r} exactly once")
    return source.replace(PLACEHOLDER, f"var OPERATIONS = {json.dumps(sorted(operations))};")


class FrontDoor(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, http_api: HttpApi, operations: Iterable[str]
    ) -> None:
        super().__init__(scope, construct_id)
        self.rewrite = cloudfront.Function(
            self,
            "RequesterRewrite",
            code=cloudfront.FunctionCode.from_inline(function_code(operations)),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
            comment="openturk: POST / with X-Amz-Target <Op> -> POST /requester/<Op>",
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="openturk: the MTurk requester endpoint and the worker API",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.HttpOrigin(
                    http_api.domain_name,
                    protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
                    origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
                ),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                # Every viewer header (X-Amz-Target, X-Amz-Date, Authorization, ...) and the query string;
                # not Host, which must name the API Gateway origin. The original host travels in
                # x-openturk-host, set by the function.
                origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=self.rewrite, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                    )
                ],
            ),
        )
        acknowledge(
            self.distribution.node.default_child,
            {
                "AwsSolutions-CFR1": "Requesters and workers may be anywhere; who may call is decided by "
                "signatures and tokens, not by country.",
                "AwsSolutions-CFR2": "A web ACL is billed per request and per rule, so it is the operator's "
                "choice; unsigned or unauthenticated calls are refused by the functions and the authorizer.",
                "AwsSolutions-CFR3": "Every request that reaches the API is already in the HTTP API's access "
                "log; CloudFront standard logs would need a log bucket with ACLs to say the same.",
                "AwsSolutions-CFR4": "The default *.cloudfront.net certificate cannot pin a minimum TLS "
                "version; an operator with a custom domain and certificate sets one there.",
            },
        )

    @property
    def url(self) -> str:
        return f"https://{self.distribution.distribution_domain_name}"
