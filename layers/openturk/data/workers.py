"""Workers: profile, and the review counters the system qualifications are computed from.

Access patterns and what serves each:
- a worker's item (sign-in, profile) .. GetItem / Put on WorkerId (derived from the identity provider's
  subject)
- the worker's system qualifications (accept, HIT list, preview) .. the same item, in the BatchGetItem
  that reads the worker's qualification scores
- counting reviewed work .. ADD on Submitted/Approved/Rejected in the submit and review transactions
"""

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from openturk import config
from openturk.data.base import BaseMeta


class Worker(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("workers")

    worker_id = UnicodeAttribute(hash_key=True, attr_name="WorkerId")
    # Null only on an item a review counter created before the worker's first sign-in.
    name = UnicodeAttribute(null=True, attr_name="Name")
    created_at = NumberAttribute(null=True, attr_name="CreatedAt")
    country = UnicodeAttribute(null=True, attr_name="Country")  # ISO 3166-1 alpha-2
    subdivision = UnicodeAttribute(null=True, attr_name="Subdivision")  # ISO 3166-2, without the country
    adult = BooleanAttribute(null=True, attr_name="Adult")
    submitted = NumberAttribute(null=True, attr_name="Submitted")
    approved = NumberAttribute(null=True, attr_name="Approved")
    rejected = NumberAttribute(null=True, attr_name="Rejected")
