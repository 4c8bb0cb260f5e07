"""Requesters and their access keys.

Access patterns and what serves each:
- a requester by id ........................ GetItem on RequesterId
- the requester behind an access key (every signed request) .. GetItem on AccessKeyId (cached per process)

Secret keys are not stored: a key's secret is derived from the deployment's master secret and the key
id (edge/credentials.py), so a copy of the tables reveals no credential.
"""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from openturk import config
from openturk.data.base import BaseMeta


class Requester(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("requesters")

    requester_id = UnicodeAttribute(hash_key=True, attr_name="RequesterId")
    name = UnicodeAttribute(attr_name="Name")
    created_at = NumberAttribute(attr_name="CreatedAt")


class AccessKey(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("access_keys")

    access_key_id = UnicodeAttribute(hash_key=True, attr_name="AccessKeyId")
    requester_id = UnicodeAttribute(attr_name="RequesterId")
    status = UnicodeAttribute(default="Active", attr_name="Status")
    created_at = NumberAttribute(attr_name="CreatedAt")
