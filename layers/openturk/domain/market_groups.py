"""The worker web app's marketplace as MTurk shows it: HITs grouped by HIT type, and the next HIT of a group.

Both read the marketplace index (HITs with a free slot, newest first) a bounded number of pages at a time;
never a Scan.
"""

from dataclasses import dataclass, field
from typing import Any

from openturk.data import base as db
from openturk.data.hits import MARKET_OPEN, Hit
from openturk.data.qualifications import QualificationType
from openturk.data.requesters import Requester
from openturk.domain import hits, marketplace
from openturk.domain.errors import HitNotFound

# HITs read for one page of groups: with their requesters and scores, mostly one BatchGetItem (discoverable).
GROUP_PAGE = 50
_NEXT_PAGES = 5  # pages of the index read looking for a group's next HIT
# MTurk's system qualification types, by id, with the names workers know them by.
SYSTEM_QUALIFICATIONS = {
    "00000000000000000071": "Location",
    "2F1QJWKUDD8XADTFD2Q0G6UTO95ALH": "Masters",
    "2NDP2L92HECWY8NS8H3CK0CP5L9GHO": "Masters (sandbox)",
    "00000000000000000040": "Number of HITs approved",
    "000000000000000000L0": "Percent assignments approved",
    "00000000000000000060": "Adult content",
}


@dataclass
class Group:
    """One HIT type's HITs on a page of the marketplace."""

    hit_type_id: str
    requester_id: str
    requester_name: str
    title: str
    description: str
    reward_cents: int
    assignment_duration: int
    available: int = 0
    hit_ids: list[str] = field(default_factory=list)
    requirements: list[dict[str, Any]] = field(default_factory=list)


def groups(worker_id: str, now: float, next_token: str | None) -> tuple[list[Group], str | None]:
    """The groups of one page of HITs this worker may still take, in the order of their newest HIT.
    A page is one Query and two BatchGetItems (the worker's own assignments and blocks; the requesters'
    names and the qualification types' names)."""
    found, token = hits.list_marketplace(now, next_token, limit=GROUP_PAGE)
    available = marketplace.discoverable(worker_id, found)
    by_type: dict[str, Group] = {}
    for hit in available:
        group = by_type.get(hit.hit_type_id)
        if group is None:
            group = by_type[hit.hit_type_id] = Group(
                hit.hit_type_id,
                hit.requester_id,
                hit.requester_id,
                hit.title,
                hit.description,
                int(hit.reward_cents),
                int(hit.assignment_duration),
                requirements=[dict(r) for r in hit.qualification_requirements or []],
            )
        group.available += hits.slots(hit, now)[0]
        group.hit_ids.append(hit.hit_id)
    _name(list(by_type.values()))
    return list(by_type.values()), token


def _name(found: list[Group]) -> None:
    """Requesters' and qualification types' names, in one BatchGetItem (at most 100 keys)."""
    requester_ids = list(dict.fromkeys(g.requester_id for g in found))
    type_ids = list(
        dict.fromkeys(
            r["QualificationTypeId"]
            for g in found
            for r in g.requirements
            if r["QualificationTypeId"] not in SYSTEM_QUALIFICATIONS
        )
    )
    keys = [(Requester, r) for r in requester_ids] + [(QualificationType, q) for q in type_ids]
    names: dict[str, str] = dict(SYSTEM_QUALIFICATIONS)
    if keys:
        for item in db.batch_get(*keys[:100]):
            if isinstance(item, Requester):
                names[item.requester_id] = item.name
            elif isinstance(item, QualificationType):
                names[item.qualification_type_id] = item.name
    for group in found:
        group.requester_name = names.get(group.requester_id, group.requester_id)
        for requirement in group.requirements:
            requirement["Name"] = names.get(requirement["QualificationTypeId"], "a qualification")


def requester_name(requester_id: str) -> str:
    return requester_names([requester_id])[requester_id]


def requester_names(requester_ids: list[str]) -> dict[str, str]:
    """Requesters' names by id, in one BatchGetItem (an unknown id names itself)."""
    unique = list(dict.fromkeys(requester_ids))[:100]
    found = db.batch_get(*[(Requester, r) for r in unique]) if unique else []
    names = {r: r for r in requester_ids}
    names.update({item.requester_id: item.name for item in found if item is not None})
    return names


def next_in_group(worker_id: str, hit_type_id: str, now: float) -> str:
    """The id of the newest HIT of this type the worker may still take; HitNotFound when none is left."""
    start = None
    for _ in range(_NEXT_PAGES):
        result = Hit.marketplace.query(
            MARKET_OPEN,
            scan_index_forward=False,
            filter_condition=(Hit.expiration > now) & (Hit.available > 0) & (Hit.hit_type_id == hit_type_id),
            limit=GROUP_PAGE,
            page_size=GROUP_PAGE,
            last_evaluated_key=start,
        )
        page = list(result)
        takeable = marketplace.discoverable(worker_id, page)
        if takeable:
            return takeable[0].hit_id
        start = result.last_evaluated_key
        if not start:
            break
    raise HitNotFound(hit_type_id)
