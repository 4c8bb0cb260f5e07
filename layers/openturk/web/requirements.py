"""A HIT's QualificationRequirements as a worker reads them on its page: the qualification's name, what it
must be, and whether this worker has it (the scores domain/marketplace.access_to read)."""

from typing import Any

from openturk.data import base as db
from openturk.data.qualifications import QualificationType
from openturk.domain import market_groups, requirements
from openturk.domain import system_qualifications as system

_WANTS = {
    "LessThan": "less than {}",
    "LessThanOrEqualTo": "at most {}",
    "GreaterThan": "more than {}",
    "GreaterThanOrEqualTo": "at least {}",
    "EqualTo": "{}",
    "NotEqualTo": "anything but {}",
    "In": "one of {}",
    "NotIn": "none of {}",
    "Exists": "granted (any value)",
    "DoesNotExist": "not held",
}
_GUARDS = {
    requirements.ACCEPT: "to accept",
    requirements.PREVIEW: "to preview and accept",
    requirements.DISCOVER: "to find, preview and accept",
}


def _values(requirement: dict[str, Any]) -> str:
    if requirement.get("LocaleValues"):
        return ", ".join(
            locale["Country"] + (f"-{locale['Subdivision']}" if locale.get("Subdivision") else "")
            for locale in requirement["LocaleValues"]
        )
    return ", ".join(str(v) for v in requirement.get("IntegerValues") or [])


def _names(type_ids: list[str]) -> dict[str, str]:
    """The types' names: MTurk's names for system types, one BatchGetItem for the requesters' own."""
    names = {t: market_groups.SYSTEM_QUALIFICATIONS.get(t, "") for t in type_ids if system.is_system(t)}
    names.update({t: system.type_to_wire(t)["Name"] for t, name in names.items() if not name})
    custom = [t for t in type_ids if not system.is_system(t)]
    for type_id, qtype in zip(custom, db.batch_get(*[(QualificationType, t) for t in custom]), strict=True):
        names[type_id] = qtype.name if qtype is not None and not qtype.deleted else "A retired qualification"
    return names


def described(given: list[dict] | None, scores: requirements.WorkerScores) -> list[dict[str, Any]]:
    """Each requirement: Name, Wants (e.g. "at least 80"), Guards (what it guards), Met, Requestable
    (a requester's type, which the worker may ask for on their qualifications page), QualificationTypeId."""
    found = given or []
    names = _names(list(dict.fromkeys(r["QualificationTypeId"] for r in found))) if found else {}
    return [
        {
            "Name": names[r["QualificationTypeId"]],
            "Wants": _WANTS.get(r["Comparator"], r["Comparator"]).format(_values(r)),
            "Guards": _GUARDS[requirements.guard_of(r)],
            "Met": requirements.meets(r, scores.of(r["QualificationTypeId"])),
            "Requestable": not system.is_system(r["QualificationTypeId"]),
            "QualificationTypeId": r["QualificationTypeId"],
        }
        for r in found
    ]
