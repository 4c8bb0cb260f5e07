"""`openturk requester create --stack`, against moto's CloudFormation, Secrets Manager and DynamoDB."""

import json
import uuid

import boto3
import pytest
from moto import mock_aws

from openturk import deployed
from openturk.data import tables
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
    # moto's backends are global to the process, and an integration runtime (its user pool, its batch
    # queue) may live in this same test process: a fresh account per test instead of a reset of them all.
    monkeypatch.setenv("MOTO_ACCOUNT_ID", str(uuid.uuid4().int)[:12])
    mock = mock_aws()
    mock.start(reset=False)
    try:
        yield
    finally:
        mock.stop(remove_data=False)


def deploy(stack_name: str = "openturk", outputs: dict[str, str] | None = None) -> dict[str, str]:
    """What `cdk deploy` leaves behind that the command reads: the tables, the secret, the outputs."""
    names = {key: f"otk-{key}-X1" for key in tables.TABLES}
    with tables.bound_to(names, "eu-west-1"):
        tables.create_all()
    arn = boto3.client("secretsmanager").create_secret(Name="otk-master", SecretString=MASTER)["ARN"]
    if outputs is None:
        outputs = {
            "TableNames": json.dumps(names),
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
        TableName="otk-access_keys-X1", Key={"AccessKeyId": {"S": created["AccessKeyId"]}}
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
    with pytest.raises(RuntimeError, match="no output TableNames, MasterSecretArn"):
        deployed.create_requester("not-openturk", "Vision lab")


def test_a_nameless_requester_is_refused_before_anything_is_written(aws):
    with pytest.raises(InvalidParameter):
        deployed.create_requester("openturk", "   ")


def test_funding_a_deployed_requester_shows_in_its_balance(aws):
    deploy()
    created = deployed.create_requester("openturk", "Vision lab")

    funded = deployed.fund_requester("openturk", created["RequesterId"], "250.00")

    assert funded["AvailableBalance"] == "250.00"
    item = boto3.client("dynamodb").get_item(
        TableName="otk-balances-X1", Key={"Account": {"S": "R#" + created["RequesterId"]}}
    )
    assert item["Item"]["AvailableCents"] == {"N": "25000"}


def test_the_models_point_back_at_the_local_tables_afterwards(aws):
    from openturk.data.hits import Hit

    before = Hit.Meta.table_name
    deploy()
    deployed.create_requester("openturk", "Vision lab")
    assert Hit.Meta.table_name == before
