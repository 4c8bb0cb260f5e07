"""Request validation against botocore's service model for MTurk 2017-01-17 (vendored without its docs).

boto3 checks required members, types and minimums before sending; maximums, patterns and enums reach the
server, and other SDKs or hand-made requests may send anything. This checks all of it, once, here.
"""

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from openturk.domain.errors import InvalidParameter

_MODEL_PATH = Path(__file__).with_name("mturk-2017-01-17.json")
# Timestamps from year 1 to year 9999: what clients (and boto3's parser) can turn back into a date.
_EARLIEST, _LATEST = -62135596800.0, 253402300799.0
# Integer and Long are 32 and 64 bits in every SDK; a bigger number is not one a client can mean.
_WIDTH = {"integer": {"min": -(2**31), "max": 2**31 - 1}, "long": {"min": -(2**63), "max": 2**63 - 1}}


@cache
def model() -> dict[str, Any]:
    return json.loads(_MODEL_PATH.read_text())


@cache
def _pattern(expression: str) -> re.Pattern:
    return re.compile(expression)


def operation_names() -> list[str]:
    return sorted(model()["operations"])


def validate(operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """Check a request body against the operation's input shape; timestamps become epoch floats."""
    spec = model()["operations"][operation]
    shape_name = spec.get("input", {}).get("shape")
    if shape_name is None:
        return {}
    return _check(shape_name, body, "")


def _check(shape_name: str, value: Any, where: str) -> Any:
    shape = model()["shapes"][shape_name]
    kind = shape["type"]
    label = where or "the request"
    if kind == "structure":
        if not isinstance(value, dict):
            raise InvalidParameter(f"{label} must be an object.")
        for name in shape.get("required", []):
            if value.get(name) is None:
                raise InvalidParameter(
                    f"The parameter {_join(where, name)} is required but was not present in the request."
                )
        result = {}
        for name, member_value in value.items():
            member = shape["members"].get(name)
            if member is None or member_value is None:
                continue  # unknown members are ignored, as AWS JSON services do
            result[name] = _check(member["shape"], member_value, _join(where, name))
        return result
    if kind == "list":
        if not isinstance(value, list):
            raise InvalidParameter(f"{label} must be a list.")
        _bounds(len(value), shape, f"The number of items in {label}")
        return [_check(shape["member"]["shape"], item, f"{where}[{i}]") for i, item in enumerate(value)]
    if kind == "string":
        if not isinstance(value, str):
            raise InvalidParameter(f"Value {value!r} for parameter {label} is invalid: it must be a string.")
        if not _is_unicode(value):
            raise InvalidParameter(
                f"The value of parameter {label} is invalid: it is not valid Unicode text."
            )
        _bounds(len(value), shape, f"The length of {label}")
        if "enum" in shape and value not in shape["enum"]:
            raise InvalidParameter(
                f"Value {value} for parameter {label} is invalid. Valid values: {', '.join(shape['enum'])}."
            )
        if "pattern" in shape and not _pattern(shape["pattern"]).search(value):
            raise InvalidParameter(f"Value {value} for parameter {label} is invalid.")
        return value
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise InvalidParameter(
                    f"Value {value!r} for parameter {label} is invalid: it must be a whole number."
                )
        _bounds(value, {**_WIDTH[kind], **shape}, f"Value {value} for parameter {label}")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise InvalidParameter(
                f"Value {value!r} for parameter {label} is invalid: it must be true or false."
            )
        return value
    if kind == "timestamp":
        return _timestamp(value, label)
    return value


def _is_unicode(value: str) -> bool:
    """False for text with lone surrogates: JSON's \\ud800 escapes decode to them, and no store takes them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _timestamp(value: Any, label: str) -> float:
    """Epoch seconds of a time a datetime can hold: JSON also allows NaN, Infinity and 1e999."""
    seconds: float | None = None
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            seconds = float(value)
        elif isinstance(value, str):
            try:
                seconds = float(value)
            except ValueError:
                seconds = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except (ValueError, OverflowError):
        seconds = None
    if seconds is None or not _EARLIEST <= seconds <= _LATEST:  # also False for NaN
        raise InvalidParameter(f"Value {value!r:.64} for parameter {label} is not a timestamp.")
    return seconds


def _bounds(size: int, shape: dict[str, Any], what: str) -> None:
    if "min" in shape and size < shape["min"]:
        raise InvalidParameter(f"{what} is invalid: it must be at least {shape['min']}.")
    if "max" in shape and size > shape["max"]:
        raise InvalidParameter(f"{what} is invalid: it must be at most {shape['max']}.")


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
