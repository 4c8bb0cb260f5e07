"""cdk-nag acknowledgments, each on the one CloudFormation resource it is about, each with its reason."""

from aws_cdk import Acknowledgment, CfnResource, Names, Stack, Validations
from constructs import IConstruct


def acknowledge(construct: IConstruct | None, reasons: dict[str, str]) -> None:
    """Acknowledge rules (id -> one-sentence reason) on this construct and its children."""
    if construct is None:
        raise ValueError("nothing to acknowledge the rules on")
    Validations.of(construct).acknowledge(*(Acknowledgment(id=id_, reason=r) for id_, r in reasons.items()))


def attribute_in_findings(scope: IConstruct, resource: CfnResource, attribute: str) -> str:
    """How cdk-nag writes `resource`'s attribute (e.g. "Arn") in a finding on a resource in scope's stack:
    `<LogicalId.Arn>` in the resource's own stack; in another (a nested stack, infra/function_stack.py),
    CDK passes it in as a parameter named reference-to-<the resource's unique id><attribute>."""
    stack = Stack.of(resource)
    if Stack.of(scope) is stack:
        return f"<{stack.resolve(stack.get_logical_id(resource))}.{attribute}>"
    return f"<referenceto{Names.unique_id(resource)}{attribute}>"


# Routes without an API Gateway authorizer check their callers in the function; one reason for them all.
AUTHORIZED_IN_FUNCTION = (
    "These routes are authorized inside the function: requester routes by the SigV4 signature MTurk "
    "clients send, checked over the original host, path and body, and the worker web app by the worker's "
    "Cognito ID token, which a browser sends as a cookie that no JWT authorizer reads."
)
