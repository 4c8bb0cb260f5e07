"""Batches: the batch bucket, its notifications to the batch queue (with a dead-letter queue), the batch
function that works through the queue, the schedule that writes finished batches' results, and the
bucket grants of the file-upload functions.

S3 -> SQS -> Lambda rather than S3 -> Lambda: the queue holds both S3's notifications and the chunks a
batch fans out into (250,000 rows are ~250 chunk messages, written by up to MAX_CONCURRENCY functions at
once), retries each message on its own, and keeps what fails five times in the dead-letter queue.
"""

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from aws_cdk.aws_lambda_event_sources import SqsEventSource
from constructs import Construct

from infra.functions import OperationFunction
from infra.nag import acknowledge, attribute_in_findings
from infra.tables import Tables
from openturk.edge.routes import BATCHES

TIMEOUT = Duration.seconds(300)  # a chunk of 1,000 rows takes seconds; the lease is 330 s (domain/batches.py)
LEASE_SECONDS = "330"
# AWS's advice for an SQS event source: hide a received message for six times the function's timeout.
VISIBILITY = Duration.seconds(6 * 300)
MAX_RECEIVES = 5
MAX_CONCURRENCY = 10  # chunk writers at once: bounds the burst of BatchWriteItems on the hits table
RESULTS_RATE = Duration.minutes(5)
PREFIX = "requesters/"
# What the batch function reads and writes under each requester's prefix.
BATCH_READS = ("requesters/*/projects/*", "requesters/*/batches/*", "requesters/*/reviews/*")
BATCH_WRITES = ("requesters/*/errors/*", "requesters/*/results/*", "requesters/*/reviews/*.outcome.csv")
UPLOADS = "requesters/*/uploads/*"


class Batches(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        tables: Tables,
        layer: lambda_.ILayerVersion,
        download_function: OperationFunction,
        upload_function: OperationFunction,
    ) -> None:
        super().__init__(scope, construct_id)
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(90))],
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.access_logs.node.default_child,
            {
                "AwsSolutions-S1": "This is the access-log bucket of the batch bucket; logging it too would recurse."
            },
        )
        stack = Stack.of(self)
        self.bucket_name = f"{stack.stack_name.lower()}-batches-{stack.account}-{stack.region}"
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            bucket_name=self.bucket_name,
            encryption=s3.BucketEncryption.S3_MANAGED,
            versioned=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="batch-bucket/",
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="AbortIncompleteUploads", abort_incomplete_multipart_upload_after=Duration.days(7)
                ),
                s3.LifecycleRule(id="ExpireOldVersions", noncurrent_version_expiration=Duration.days(30)),
            ],
            # Workers PUT their files from the browser with presigned URLs; requesters GET them the same way.
            cors=[
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods.PUT, s3.HttpMethods.GET],
                    allowed_origins=["*"],
                    allowed_headers=["*"],
                    max_age=3000,
                )
            ],
            # The requesters' batches, results and workers' files: deleting the stack must not delete them.
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.dead_letters = sqs.Queue(
            self,
            "DeadLetters",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        acknowledge(
            self.dead_letters.node.default_child,
            {"AwsSolutions-SQS3": "This queue is the dead-letter queue of the batch queue."},
        )
        # SSE-SQS, not a KMS key of AWS's: S3 cannot send notifications to a queue under aws/sqs.
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            visibility_timeout=VISIBILITY,
            retention_period=Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=MAX_RECEIVES, queue=self.dead_letters),
        )
        self._notify_the_queue()

        (route,) = BATCHES
        self.function = OperationFunction(
            self, "Function", route=route, tables=tables, layer=layer, timeout=TIMEOUT
        )
        function = self.function.function
        function.add_environment("OPENTURK_BATCH_BUCKET", self.bucket.bucket_name)
        function.add_environment("OPENTURK_BATCH_QUEUE_URL", self.queue.queue_url)
        function.add_environment("OPENTURK_BATCH_LEASE_SECONDS", LEASE_SECONDS)
        self._grant(self.function, ["s3:GetObject"], BATCH_READS)
        self._grant(self.function, ["s3:PutObject"], BATCH_WRITES)
        self.function.role.add_to_policy(
            iam.PolicyStatement(actions=["sqs:SendMessage"], resources=[self.queue.queue_arn])
        )
        function.add_event_source(
            SqsEventSource(
                self.queue, batch_size=1, report_batch_item_failures=True, max_concurrency=MAX_CONCURRENCY
            )
        )
        self.results_rule = events.Rule(
            self,
            "ResultsSchedule",
            description="openturk: write the results CSV of batches whose work is all in",
            schedule=events.Schedule.rate(RESULTS_RATE),
            targets=[targets.LambdaFunction(function, retry_attempts=0, max_event_age=RESULTS_RATE)],
        )
        for uploads, action in ((download_function, "s3:GetObject"), (upload_function, "s3:PutObject")):
            uploads.function.add_environment("OPENTURK_BATCH_BUCKET", self.bucket.bucket_name)
            self._grant(uploads, [action], (UPLOADS,))

    def _grant(self, function: OperationFunction, actions: list[str], patterns: tuple[str, ...]) -> None:
        """Objects under the given key patterns of the batch bucket, and nothing else of it."""
        statement = iam.PolicyStatement(
            actions=actions, resources=[self.bucket.arn_for_objects(p) for p in patterns]
        )
        function.role.add_to_policy(statement)
        cfn_bucket = self.bucket.node.default_child
        assert isinstance(cfn_bucket, s3.CfnBucket)
        # The file-upload functions live in nested stacks, where the bucket's ARN is a parameter.
        bucket = attribute_in_findings(function.role, cfn_bucket, "Arn")
        acknowledge(
            function.role.node.find_child("DefaultPolicy"),
            {
                f"AwsSolutions-IAM5[Resource::{bucket}/{UPLOADS}]": "Uploaded "
                "files are keyed by requester and assignment, known only at run time; the grant is their prefix.",
            }
            if UPLOADS in patterns
            else {
                f"AwsSolutions-IAM5[Resource::{bucket}/{p}]": "Batch files are keyed by "
                "requester, project and batch, known only at run time; the grant is exactly their kind of key."
                for p in patterns
            },
        )

    def _notify_the_queue(self) -> None:
        """S3 -> SQS on the bucket itself (no custom resource, so no extra function): S3 checks that it may
        send to the queue when the configuration is set, so the queue's policy names the bucket by its
        name (known before the bucket exists) and the bucket waits for the policy."""
        stack = Stack.of(self)
        policy = self.queue.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("s3.amazonaws.com")],
                actions=["sqs:SendMessage"],
                resources=[self.queue.queue_arn],
                conditions={
                    "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:s3:::{self.bucket_name}"},
                    "StringEquals": {"aws:SourceAccount": stack.account},
                },
            )
        )
        bucket = self.bucket.node.default_child
        assert isinstance(bucket, s3.CfnBucket)
        bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
            queue_configurations=[
                s3.CfnBucket.QueueConfigurationProperty(
                    event="s3:ObjectCreated:*",
                    queue=self.queue.queue_arn,
                    filter=s3.CfnBucket.NotificationFilterProperty(
                        s3_key=s3.CfnBucket.S3KeyFilterProperty(
                            rules=[s3.CfnBucket.FilterRuleProperty(name="prefix", value=PREFIX)]
                        )
                    ),
                )
            ]
        )
        if policy.policy_dependable is not None:
            self.bucket.node.add_dependency(policy.policy_dependable)
