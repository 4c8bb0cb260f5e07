"""Workers' profiles.

Access pattern: GetItem / Put on WorkerId (derived from the identity provider's subject).
"""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from openturk import config
from openturk.data.base import BaseMeta


class Worker(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("workers")

    worker_id = UnicodeAttribute(hash_key=True, attr_name="WorkerId")
    name = UnicodeAttribute(attr_name="Name")
    created_at = NumberAttribute(attr_name="CreatedAt")
