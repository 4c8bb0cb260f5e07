"""What a worker sees of the marketplace: the HITs they may discover, and a HIT they may preview.

A page of the worker's HIT list costs one Query and one BatchGetItem: the worker's assignments of the
page's HITs (a HIT is taken once), the blocks of the page's requesters, the worker's scores of the custom
qualification types the page's requirements name, and the worker's own item (system qualifications).
"""

from typing import Any

from openturk.data import base as db
from openturk.data.assignments import Assignment
from openturk.data.blocks import Block
from openturk.data.hits import Hit
from openturk.domain import assignments, hits, requirements
from openturk.domain.errors import HitNotFound


def list_for_worker(worker_id: str, now: float, next_token: str | None) -> tuple[list[Hit], str | None]:
    """A page of the marketplace as this worker may discover it: not HITs they already took, nor those of
    requesters who blocked them, nor those whose Discover-guarded requirements they do not meet."""
    page, token = hits.list_marketplace(now, next_token)
    return discoverable(worker_id, page), token


def discoverable(worker_id: str, page: list[Hit]) -> list[Hit]:
    """The HITs of a page this worker may discover, in one BatchGetItem (see the module's docstring)."""
    if not page:
        return page
    requesters = list(dict.fromkeys(hit.requester_id for hit in page))
    score_keys = requirements.score_keys(worker_id, [hit.qualification_requirements for hit in page])
    found = db.batch_get(
        *[(Assignment, assignments.assignment_id(hit.hit_id, worker_id)) for hit in page],
        *[(Block, (requester_id, worker_id)) for requester_id in requesters],
        *score_keys,
    )
    mine = found[: len(page)]
    blocks = found[len(page) : len(page) + len(requesters)]
    scores = requirements.scores_from(score_keys, found[len(page) + len(requesters) :])
    blocked = {requester_id for requester_id, block in zip(requesters, blocks, strict=True) if block}
    visible = [
        hit
        for hit, assignment in zip(page, mine, strict=True)
        if assignment is None
        and hit.requester_id not in blocked
        and requirements.access(hit.qualification_requirements, scores).discover
    ]
    return visible


def preview(worker_id: str, hit_id: str, now: float) -> dict[str, Any]:
    """A HIT by id as this worker may see it: one read of the HIT and one BatchGetItem (the requester's
    block and the worker's scores). A HIT whose Discover-guarded requirements the worker does not meet does
    not exist for them; one whose Preview-guarded requirements they do not meet is shown without its
    Question. A blocked worker may still preview (MTurk only stops the accept); Access says what they may do."""
    hit = assignments.worker_hit(hit_id)
    access, _ = access_to(worker_id, hit)
    view = hits.worker_view(hit, now)
    if not access.preview:
        del view["Question"]
    view["Access"] = {"Preview": access.preview, "Accept": access.accept}
    return view


def access_to(worker_id: str, hit: Hit) -> tuple[requirements.Access, requirements.WorkerScores]:
    """What this worker may do with a HIT (and their scores for its requirements): one BatchGetItem of the
    requester's block and the scores. HitNotFound when its Discover-guarded requirements are not met."""
    keys = [
        (Block, (hit.requester_id, worker_id)),
        *requirements.score_keys(worker_id, [hit.qualification_requirements]),
    ]
    found = db.batch_get(*keys)
    scores = requirements.scores_from(keys[1:], found[1:])
    access = requirements.access(hit.qualification_requirements, scores, blocked=found[0] is not None)
    if not access.discover:
        raise HitNotFound(hit.hit_id)
    return access, scores
