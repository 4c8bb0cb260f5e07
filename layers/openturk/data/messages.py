"""Messages requesters sent workers with NotifyWorkers: each worker's inbox.

Access patterns and what serves each:
- deliver a message to up to 100 workers (NotifyWorkers) .. BatchWriteItem of one item per worker
- a worker's inbox, newest first ........................ Query on WorkerId, SentKey descending
"""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from openturk import config
from openturk.data.base import BaseMeta


class Message(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("messages")

    worker_id = UnicodeAttribute(hash_key=True, attr_name="WorkerId")
    sent_key = UnicodeAttribute(range_key=True, attr_name="SentKey")  # "<ms, 13 digits>#<MessageId>"
    message_id = UnicodeAttribute(attr_name="MessageId")
    requester_id = UnicodeAttribute(attr_name="RequesterId")
    subject = UnicodeAttribute(attr_name="Subject")
    text = UnicodeAttribute(attr_name="MessageText")
    sent_at = NumberAttribute(attr_name="SentAt")
