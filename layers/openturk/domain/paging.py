"""Pages of MTurk list operations: MaxResults, and NextToken as an opaque cursor of the last item."""

import base64
import binascii
import re
from collections.abc import Callable
from typing import TypeVar

from openturk.domain.errors import InvalidParameter

MAX_RESULTS_DEFAULT = 10  # MTurk's legacy PageSize default
T = TypeVar("T")


def page_of(items: list[T], limit: int, token_of: Callable[[T], str]) -> tuple[list[T], str | None]:
    """Cut a page fetched with limit + 1 items: the extra item only says that another page exists."""
    if len(items) > limit:
        items = items[:limit]
        return items, encode_token(token_of(items[-1]))
    return items, None


def encode_token(cursor: str) -> str:
    return base64.urlsafe_b64encode(cursor.encode()).decode()


def decode_token(token: str | None, pattern: str) -> re.Match | None:
    if token is None:
        return None
    try:
        cursor = base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        cursor = ""
    match = re.fullmatch(pattern, cursor)
    if not match:
        raise InvalidParameter(f"The pagination token {token} is invalid.")
    return match
