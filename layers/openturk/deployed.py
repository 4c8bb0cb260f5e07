"""`openturk requester create --stack`: a requester and its key pair in a deployed stack (your credentials).

Reads the stack's outputs from CloudFormation, the master secret from Secrets Manager, and writes the
Requester and AccessKey items in one transaction, as the local runtime does. Nothing is stored that would
reveal the secret key: it is derived from the master secret, as the deployed functions derive it.
"""

import time
from typing import Any

import boto3
from pynamodb.connection import Connection
from pynamodb.transactions import TransactWrite

from openturk.data.requesters import AccessKey, Requester
from openturk.domain import credentials, ids, requesters

# Outputs of infra/stack.py that this module reads.
REQUIRED_OUTPUTS = ("RequestersTableName", "AccessKeysTableName", "MasterSecretArn")


def stack_outputs(stack_name: str, session: boto3.session.Session) -> dict[str, str]:
    stacks = session.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    missing = [key for key in REQUIRED_OUTPUTS if key not in outputs]
    if missing:
        raise RuntimeError(
            f"Stack {stack_name!r} has no output {', '.join(missing)}: "
            "is it an openturk stack, fully deployed?"
        )
    return outputs


def _bound(model: Any, table_name: str, region: str) -> Any:
    """The model, on the stack's table in the stack's region (never the local runtime's endpoint)."""
    meta = type("Meta", (model.Meta,), {"table_name": table_name, "region": region, "host": None})
    return type(model.__name__, (model,), {"Meta": meta, "_connection": None, "__module__": __name__})


def create_requester(stack_name: str, name: str) -> dict[str, str]:
    name = requesters.checked_name(name)
    session = boto3.session.Session()
    region = session.region_name
    if not region:
        raise RuntimeError("No AWS region: set AWS_REGION (or a profile's region) to the stack's region.")
    outputs = stack_outputs(stack_name, session)
    master = session.client("secretsmanager").get_secret_value(SecretId=outputs["MasterSecretArn"])
    requester_model = _bound(Requester, outputs["RequestersTableName"], region)
    key_model = _bound(AccessKey, outputs["AccessKeysTableName"], region)

    requester_id = ids.requester_id()
    access_key_id = credentials.new_access_key_id()
    now = time.time()
    with TransactWrite(connection=Connection(region=region)) as tx:
        # Fresh random ids: the conditions only make a collision fail instead of overwriting.
        tx.save(
            requester_model(requester_id, name=name, created_at=now),
            condition=requester_model.requester_id.does_not_exist(),
        )
        tx.save(
            key_model(access_key_id, requester_id=requester_id, created_at=now),
            condition=key_model.access_key_id.does_not_exist(),
        )
    return {
        "RequesterId": requester_id,
        "AccessKeyId": access_key_id,
        "SecretAccessKey": credentials.secret_for(access_key_id, master["SecretString"].encode()),
    }
