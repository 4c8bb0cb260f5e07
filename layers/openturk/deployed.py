"""`openturk requester create|fund --stack`: manage a deployed stack's requesters from a laptop.

With your AWS credentials: the stack's outputs say where its tables and master secret are, and the
same domain functions the local runtime uses write there. Nothing stored reveals a secret key: it is
derived from the master secret, as the deployed functions derive it.
"""

import json
import os
import time
from collections.abc import Callable
from typing import Any, TypeVar

import boto3

from openturk.data import tables
from openturk.domain import credentials, requesters

# Outputs of infra/stack.py that this module reads.
REQUIRED_OUTPUTS = ("TableNames", "MasterSecretArn")
T = TypeVar("T")


def stack_outputs(stack_name: str, session: boto3.session.Session) -> dict[str, str]:
    stacks = session.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    missing = [key for key in REQUIRED_OUTPUTS if key not in outputs]
    if missing:
        raise RuntimeError(
            f"Stack {stack_name!r} has no output {', '.join(missing)}: is it an openturk stack, fully deployed?"
        )
    return outputs


def _in_stack(stack_name: str, action: Callable[[], T]) -> T:
    session = boto3.session.Session()
    region = session.region_name
    if not region:
        raise RuntimeError("No AWS region: set AWS_REGION (or a profile's region) to the stack's region.")
    outputs = stack_outputs(stack_name, session)
    master = session.client("secretsmanager").get_secret_value(SecretId=outputs["MasterSecretArn"])
    previous = os.environ.get("OPENTURK_MASTER_SECRET")
    os.environ["OPENTURK_MASTER_SECRET"] = master["SecretString"]
    credentials.master_secret.cache_clear()
    try:
        with tables.bound_to(json.loads(outputs["TableNames"]), region):
            return action()
    finally:
        if previous is None:
            os.environ.pop("OPENTURK_MASTER_SECRET", None)
        else:
            os.environ["OPENTURK_MASTER_SECRET"] = previous
        credentials.master_secret.cache_clear()


def create_requester(stack_name: str, name: str) -> dict[str, str]:
    name = requesters.checked_name(name)  # before any AWS call
    created = _in_stack(stack_name, lambda: requesters.create(name, time.time()))
    return {key: created[key] for key in ("RequesterId", "AccessKeyId", "SecretAccessKey")}


def fund_requester(stack_name: str, requester_id: str, amount: str) -> dict[str, Any]:
    return _in_stack(stack_name, lambda: requesters.fund(requester_id, amount, time.time()))
