"""The batch bucket, its queue and dead-letter queue, the batch function and what each function may do
with the bucket."""

from typing import Any

from aws_cdk.assertions import Match

from tests.infra.test_stack import _actions, _resources, function_logical_id, logical_id, policy_statements


def _s3_grants(synthesized, module: str) -> dict[str, list[str]]:
    """s3 action -> the key patterns it is granted on, as '<bucket>/<pattern>'."""
    bucket = logical_id(synthesized, synthesized.stack.batches.bucket)
    grants: dict[str, list[str]] = {}
    for statement in policy_statements(synthesized, module):
        for action in _actions(statement):
            if action.startswith("s3:"):
                for resource in _resources(statement):
                    arn, pattern = resource["Fn::Join"][1]
                    assert arn == {"Fn::GetAtt": [bucket, "Arn"]}
                    grants.setdefault(action, []).append(pattern)
    return {action: sorted(patterns) for action, patterns in grants.items()}


def test_the_batch_bucket_is_encrypted_versioned_private_ssl_only_and_ages_old_versions(synthesized):
    bucket = logical_id(synthesized, synthesized.stack.batches.bucket)
    properties = synthesized.resources[bucket]["Properties"]
    assert properties["BucketEncryption"]["ServerSideEncryptionConfiguration"] == [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    ]
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    rules = {rule["Id"]: rule for rule in properties["LifecycleConfiguration"]["Rules"]}
    assert rules["AbortIncompleteUploads"]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
    assert rules["ExpireOldVersions"]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30}
    assert "LoggingConfiguration" in properties
    assert synthesized.resources[bucket]["DeletionPolicy"] == "Retain"
    synthesized.template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": bucket},
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
                        )
                    ]
                )
            },
        },
    )


def test_new_objects_under_requesters_notify_the_batch_queue_which_has_a_dead_letter_queue(synthesized):
    batches = synthesized.stack.batches
    bucket, queue = logical_id(synthesized, batches.bucket), logical_id(synthesized, batches.queue)
    dead_letters = logical_id(synthesized, batches.dead_letters)
    configuration = synthesized.resources[bucket]["Properties"]["NotificationConfiguration"]
    assert configuration == {
        "QueueConfigurations": [
            {
                "Event": "s3:ObjectCreated:*",
                "Queue": {"Fn::GetAtt": [queue, "Arn"]},
                "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": "requesters/"}]}},
            }
        ]
    }
    queue_properties = synthesized.resources[queue]["Properties"]
    assert queue_properties["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dead_letters, "Arn"]},
        "maxReceiveCount": 5,
    }
    assert queue_properties["SqsManagedSseEnabled"] is True
    assert queue_properties["VisibilityTimeout"] == 1800  # six times the function's 300 s
    queue_policies = {
        name: p
        for name, p in synthesized.of_type("AWS::SQS::QueuePolicy").items()
        if {"Ref": queue} in p["Properties"]["Queues"]
    }
    policies = [
        s
        for p in queue_policies.values()
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        if s.get("Principal") == {"Service": "s3.amazonaws.com"}
    ]
    assert len(policies) == 1 and policies[0]["Action"] == "sqs:SendMessage"
    assert set(policies[0]["Condition"]) == {"ArnLike", "StringEquals"}  # this bucket, this account
    # S3 checks it may send when the notification is set: the bucket waits for the queue's policy
    assert set(queue_policies) <= set(synthesized.resources[bucket]["DependsOn"])


def test_the_batch_function_takes_one_message_at_a_time_reports_failures_and_runs_five_minutes(synthesized):
    function = function_logical_id(synthesized, "batch_events")
    queue = logical_id(synthesized, synthesized.stack.batches.queue)
    mappings = [
        m["Properties"]
        for m in synthesized.of_type("AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": function}
    ]
    assert mappings == [
        {
            "BatchSize": 1,
            "EventSourceArn": {"Fn::GetAtt": [queue, "Arn"]},
            "FunctionName": {"Ref": function},
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "ScalingConfig": {"MaximumConcurrency": 10},
        }
    ]
    properties = synthesized.resources[function]["Properties"]
    assert properties["Timeout"] == 300
    variables: dict[str, Any] = properties["Environment"]["Variables"]
    assert variables["OPENTURK_BATCH_QUEUE_URL"] == {"Ref": queue}
    assert variables["OPENTURK_BATCH_LEASE_SECONDS"] == "330"
    schedule = synthesized.resources[logical_id(synthesized, synthesized.stack.batches.results_rule)]
    assert schedule["Properties"]["ScheduleExpression"] == "rate(5 minutes)"
    assert [t["Arn"] for t in schedule["Properties"]["Targets"]] == [{"Fn::GetAtt": [function, "Arn"]}]


def test_each_function_may_touch_exactly_its_kind_of_key_in_the_batch_bucket(synthesized):
    assert _s3_grants(synthesized, "batch_events") == {
        "s3:GetObject": ["/requesters/*/batches/*", "/requesters/*/projects/*", "/requesters/*/reviews/*"],
        "s3:PutObject": [
            "/requesters/*/errors/*",
            "/requesters/*/results/*",
            "/requesters/*/reviews/*.outcome.csv",
        ],
    }
    assert _s3_grants(synthesized, "get_file_upload_url") == {"s3:GetObject": ["/requesters/*/uploads/*"]}
    assert _s3_grants(synthesized, "worker_upload_url") == {"s3:PutObject": ["/requesters/*/uploads/*"]}
    assert _s3_grants(synthesized, "create_hit") == {}
    queue = logical_id(synthesized, synthesized.stack.batches.queue)
    sends = [
        _resources(s)
        for s in policy_statements(synthesized, "batch_events")
        if "sqs:SendMessage" in _actions(s)
    ]
    assert sends == [[{"Fn::GetAtt": [queue, "Arn"]}]]
