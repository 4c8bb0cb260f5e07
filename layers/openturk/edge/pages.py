"""The list response shape every paginated MTurk operation shares."""

from typing import Any


def page(key: str, items: list[dict[str, Any]], next_token: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {"NumResults": len(items), key: items}
    if next_token:
        result["NextToken"] = next_token
    return result
