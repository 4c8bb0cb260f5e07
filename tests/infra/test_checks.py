"""cdk-nag's AwsSolutions pack and cfn-lint on the synthesized template."""

import json

from cdk_nag import AwsSolutionsChecks
from cfnlint.api import ManualArgs, lint

from infra.function_stack import HEADROOM, MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES
from infra.worker_api import deployed_routes
from openturk.edge.routes import REQUESTER

# Commercial regions of three continents; CloudFront and Cognito do not exist in the China and GovCloud
# partitions, which openturk does not target.
LINT_REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]
# W3005 "dependency already enforced by a GetAtt": CDK adds DependsOn on a role passed to a Function
# (so the function waits for the role's policy too); redundant, and harmless.
ALLOWED_WARNINGS = {"W3005"}


def test_cdk_nag_finds_nothing_unacknowledged(synthesized):
    # Synthesis already ran the pack as a validation plugin (and would have failed on any finding);
    # run it once more directly to see the findings themselves if there are any.
    report = AwsSolutionsChecks().validate_scope(synthesized.app)
    findings = [
        f"{v.severity} {v.rule_name} at {[r.construct_path for r in v.violating_resources]}: {v.description}"
        for v in report.violations
    ]
    assert findings == []
    assert report.success


# Resource '*' is acknowledged for three different reasons, each on its own kind of policy: X-Ray (every
# function's default policy), the requesters' own queues and topics (the Notifications policies) and the
# stream poller's ListStreams (the delivery function's StreamRead policy).
IAM5_WILDCARD = "AwsSolutions-IAM5[Resource::*]"
IAM5_WILDCARD_REASONS = {"X-Ray", "SQS queues and SNS topics", "dynamodb:ListStreams"}
# Rules acknowledged on more than one kind of resource, each with its own reason.
REASONS_PER_RULE = {IAM5_WILDCARD: len(IAM5_WILDCARD_REASONS), "AwsSolutions-SQS3": 2}


def test_each_acknowledged_rule_says_why_in_a_sentence(synthesized):
    acknowledged: dict[str, set[str]] = {}
    for resource in synthesized.resources.values():
        rules = resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
        assert len({rule["id"] for rule in rules}) == len(rules), rules  # one reason per rule and resource
        for rule in rules:
            acknowledged.setdefault(rule["id"], set()).add(rule["reason"])
    assert acknowledged, (
        "the template carries no acknowledgments: was write_suppressions_to_cloud_formation dropped?"
    )
    for rule_id, reasons in acknowledged.items():
        assert rule_id.startswith("AwsSolutions-")
        expected = REASONS_PER_RULE.get(rule_id, 1)
        assert len(reasons) == expected, f"{rule_id} is acknowledged for different reasons: {reasons}"
        for reason in reasons:
            assert len(reason) > 40 and reason.endswith(".") and reason.count(". ") == 0, reason
    for topic in IAM5_WILDCARD_REASONS:
        assert any(topic in reason for reason in acknowledged[IAM5_WILDCARD]), topic
    # The batch bucket's grants on key patterns under requesters/ (infra/batches.py); in a nested stack
    # the bucket's ARN is the parameter CDK passes it in as.
    bucket_prefixes = (
        "AwsSolutions-IAM5[Resource::<Batches",
        "AwsSolutions-IAM5[Resource::<referencetoopenturkBatches",
    )
    bucket_patterns = {rule for rule in acknowledged if rule.startswith(bucket_prefixes)}
    assert all("/requesters/*/" in rule for rule in bucket_patterns)
    assert set(acknowledged) - bucket_patterns == {
        IAM5_WILDCARD,  # X-Ray; requesters' destinations; ListStreams
        "AwsSolutions-L1",
        "AwsSolutions-APIG4",  # requester routes: SigV4 in the function
        "AwsSolutions-SMG4",
        "AwsSolutions-COG2",
        "AwsSolutions-COG8",
        "AwsSolutions-CFR1",
        "AwsSolutions-CFR2",
        "AwsSolutions-CFR3",
        "AwsSolutions-CFR4",
        "AwsSolutions-SQS3",  # the delivery's and the batch queue's dead-letter queues are ones
        "AwsSolutions-S1",  # the batch bucket's access-log bucket
    }


def test_cfn_lint_finds_no_errors_in_any_template(synthesized):
    # The parent's template and each nested stack's (infra/function_stack.py), each on its own.
    assert len(synthesized.templates) == 3
    for name, template in synthesized.templates.items():
        matches = lint(json.dumps(template), config=ManualArgs(regions=LINT_REGIONS))
        errors = [str(m) for m in matches if m.rule.id.startswith("E")]
        unexpected = sorted({m.rule.id for m in matches if not m.rule.id.startswith("E")} - ALLOWED_WARNINGS)
        assert errors == [], name
        assert unexpected == [], name


def test_every_template_keeps_well_under_cloudformations_limits(synthesized):
    """500 resources, 200 parameters, 200 outputs per template: a group of functions nearing 80% of any
    of them gets a nested stack of its own (infra/function_stack.py) long before a deploy would fail."""
    for name, template in synthesized.templates.items():
        counts = {
            "resources": (len(template["Resources"]), MAX_RESOURCES),
            "parameters": (len(template.get("Parameters", {})), MAX_PARAMETERS),
            "outputs": (len(template.get("Outputs", {})), MAX_OUTPUTS),
        }
        for what, (count, limit) in counts.items():
            assert count <= limit * HEADROOM, f"{name} has {count} {what} of CloudFormation's {limit}"


def test_the_functions_are_in_nested_stacks_and_the_routes_in_the_parent(synthesized):
    parent = synthesized.templates[synthesized.stack.template_file]["Resources"]
    kinds = {r["Type"] for r in parent.values()}
    assert "AWS::CloudFormation::Stack" in kinds and "AWS::ApiGatewayV2::Route" in kinds
    # Only functions without an HTTP route (started by the parent's stream, rules, queue) stay there.
    in_parent = {r["Properties"]["Handler"] for r in parent.values() if r["Type"] == "AWS::Lambda::Function"}
    http = [*REQUESTER.values(), *deployed_routes()]
    assert not in_parent & {f"{route.module}.handler" for route in http}
