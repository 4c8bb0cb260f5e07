"""UniqueRequestToken records: a token seen in the last 24 hours, and what it created.

Access pattern: GetItem / conditional Put on Token = "<RequesterId>#<Operation>#<token>".
ExpiresAt is the table's TTL attribute; until DynamoDB deletes the item, the put's condition treats an
item past ExpiresAt as absent.
"""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from openturk import config
from openturk.data.base import BaseMeta

TOKEN_LIFETIME = 24 * 3600


class RequestToken(Model):
    class Meta(BaseMeta):
        table_name = config.table_name("request_tokens")

    token = UnicodeAttribute(hash_key=True, attr_name="Token")
    result_id = UnicodeAttribute(attr_name="ResultId")
    expires_at = NumberAttribute(attr_name="ExpiresAt")


def token_key(requester_id: str, operation: str, token: str) -> str:
    return f"{requester_id}#{operation}#{token}"


def absent_or_expired(now: float):
    """Condition for the put that records a token: no live record of it exists."""
    return RequestToken.token.does_not_exist() | (RequestToken.expires_at < now)
