"""FunctionStack: a nested CloudFormation stack holding one group of OperationFunctions.

CloudFormation allows 500 resources in one stack, and every OperationFunction brings four or five (the
function, its role, the role's policy, its log group, and for some a second policy), plus the permission
API Gateway invokes it with. So the per-operation functions live in nested stacks of their own, one per
group (requester operations; worker API and pages), with their invoke permissions (infra/api.py's
FunctionIntegration), while everything they share or are reached through stays in the parent: the
tables, the layer, the secret, the bus, the HTTP API's routes and integrations, Cognito, CloudFront, the
buckets and queues. CDK passes what a function names from the parent in as the nested stack's parameters
and hands each function's ARN back as an output, so the functions keep exactly the roles they would have
in one stack.

A function stays in the group it was created in (its logical id is stable within its nested stack), so
adding an operation adds to one nested stack without moving the others. tests/infra checks that every
template keeps well under the limits; a group that grows near them is split into two.
"""

from aws_cdk import NestedStack
from constructs import Construct

# CloudFormation's per-template quotas, and the share of them tests/infra lets any one template use.
MAX_RESOURCES = 500
MAX_PARAMETERS = 200
MAX_OUTPUTS = 200
HEADROOM = 0.8


class FunctionStack(NestedStack):
    def __init__(self, scope: Construct, construct_id: str, *, description: str) -> None:
        super().__init__(scope, construct_id, description=description)
