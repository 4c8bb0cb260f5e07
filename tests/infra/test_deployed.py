"""`openturk requester create --stack`, against moto's CloudFormation, Secrets Manager and DynamoDB."""

import json

import boto3
import pytest
from moto import mock_aws

from openturk import deployed
from openturk.domain import credentials
from openturk.domain.errors import InvalidParameter

MASTER = "a-deployed-master-secret-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH"


@pytest.fixture
def aws(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


def deploy(stack_name: str = "openturk", outputs: dict[str, str] | None = None) -> dict[str, str]:
    """What `cdk deploy` leaves behind that the command reads: two tables, the secret, the outputs."""
    dynamodb = boto3.client("dynamodb")
    for table, key in (("otk-requesters-X1", "RequesterId"), ("otk-access-keys-X2", "AccessKeyId")):
        dynamodb.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    arn = boto3.client("secretsmanager").create_secret(Name="otk-master", SecretString=MASTER)["ARN"]
    if outputs is None:
        outputs = {
            "RequestersTableName": "otk-requesters-X1",
            "AccessKeysTableName": "otk-access-keys-X2",
            "MasterSecretArn": arn,
            "RequesterEndpoint": "https://d111111abcdef8.cloudfront.net",
        }
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {name: {"Value": value} for name, value in outputs.items()},
    }
    boto3.client("cloudformation").create_stack(StackName=stack_name, TemplateBody=json.dumps(template))
    return outputs


def test_a_requester_created_in_the_stack_signs_with_the_deployed_secret(aws, monkeypatch):
    deploy()

    created = deployed.create_requester("openturk", "Vision lab")

    assert set(created) == {"RequesterId", "AccessKeyId", "SecretAccessKey"}
    # The deployed functions derive the secret with credentials.secret_for under the master secret.
    monkeypatch.setenv("OPENTURK_MASTER_SECRET", MASTER)
    credentials.master_secret.cache_clear()
    try:
        assert created["SecretAccessKey"] == credentials.secret_for(created["AccessKeyId"])
    finally:
        credentials.master_secret.cache_clear()
    dynamodb = boto3.client("dynamodb")
    key = dynamodb.get_item(
        TableName="otk-access-keys-X2", Key={"AccessKeyId": {"S": created["AccessKeyId"]}}
    )
    assert key["Item"]["RequesterId"] == {"S": created["RequesterId"]}
    assert key["Item"]["Status"] == {"S": "Active"}
    assert "SecretAccessKey" not in key["Item"]  # secrets are derived, never stored
    requester = dynamodb.get_item(
        TableName="otk-requesters-X1", Key={"RequesterId": {"S": created["RequesterId"]}}
    )
    assert requester["Item"]["Name"] == {"S": "Vision lab"}


def test_two_requesters_get_different_keys(aws):
    deploy()
    first = deployed.create_requester("openturk", "A")
    second = deployed.create_requester("openturk", "B")
    assert first["RequesterId"] != second["RequesterId"]
    assert first["AccessKeyId"] != second["AccessKeyId"]
    assert first["SecretAccessKey"] != second["SecretAccessKey"]


def test_a_stack_without_openturk_outputs_is_refused(aws):
    deploy("not-openturk", outputs={"Something": "else"})
    with pytest.raises(
        RuntimeError, match="no output RequestersTableName, AccessKeysTableName, MasterSecretArn"
    ):
        deployed.create_requester("not-openturk", "Vision lab")


def test_a_nameless_requester_is_refused_before_anything_is_written(aws):
    with pytest.raises(InvalidParameter):
        deployed.create_requester("openturk", "   ")
