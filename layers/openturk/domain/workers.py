"""Workers: a profile per worker, created the first time they sign in, and the counters of their reviewed
work that the system qualifications are computed from."""

import contextlib
from typing import Any

from pynamodb.exceptions import PutError
from pynamodb.expressions.update import Action

from openturk.data import base as db
from openturk.data.base import Transaction
from openturk.data.relationships import Relationship
from openturk.data.workers import Worker
from openturk.domain import ids
from openturk.domain import system_qualifications as system
from openturk.domain.errors import InvalidParameter


def register(worker_id: str, name: str, now: float) -> None:
    """Record a worker's profile once; later sign-ins leave it as it is."""
    try:
        Worker(worker_id, name=name, created_at=now).save(condition=Worker.worker_id.does_not_exist())
    except PutError as error:
        if not db.condition_failed(error):
            raise


def signed_up(subject: str, name: str, attributes: dict[str, str], now: float) -> dict[str, Any]:
    """A worker confirmed their sign-up (deployed: the user pool's post-confirmation trigger, with the
    attributes they gave): the profile starts with their custom:country, custom:subdivision and
    custom:adult. A value that is not valid is left out rather than refusing the sign-up; the worker
    can set it later (PUT /worker/api/profile). Returns the profile."""
    worker_id = ids.worker_id(subject)
    register(worker_id, name, now)
    given: dict[str, Any] = {}
    if attributes.get("custom:country"):
        locale = {"Country": attributes["custom:country"]}
        if attributes.get("custom:subdivision"):
            locale["Subdivision"] = attributes["custom:subdivision"]
        with contextlib.suppress(InvalidParameter):  # not a country: left out, to be set later
            given["Locale"] = system.check_locale(locale, "Locale")
    if attributes.get("custom:adult") in ("true", "false"):
        given["Adult"] = attributes["custom:adult"] == "true"
    return update_profile(worker_id, given)


def count(tx: Transaction, worker_id: str, submitted: int = 0, approved: int = 0, rejected: int = 0) -> None:
    """Move the worker's counters in the caller's transaction (ADD creates them at 0 first)."""
    actions = [
        attribute.add(delta)
        for attribute, delta in (
            (Worker.submitted, submitted),
            (Worker.approved, approved),
            (Worker.rejected, rejected),
        )
        if delta
    ]
    tx.update(Worker(worker_id), actions=actions, name="worker_counters")


def reviewed(
    tx: Transaction, requester_id: str, worker_id: str, now: float, approved: int = 0, rejected: int = 0
) -> None:
    """A review, in its own transaction: the worker's counters move, and the worker has now worked for the
    requester (whom NotifyWorkers then lets message them)."""
    count(tx, worker_id, approved=approved, rejected=rejected)
    tx.put(Relationship(requester_id, worker_id, last_review_at=now), name="relationship")


def profile(worker_id: str) -> dict[str, Any]:
    """The worker's profile as the worker API shows it: Locale (when set) and Adult."""
    try:
        worker = Worker.get(worker_id, consistent_read=True)
    except Worker.DoesNotExist:
        worker = None
    result: dict[str, Any] = {"WorkerId": worker_id, "Adult": bool(worker and worker.adult)}
    locale = system.value(system.LOCALE, worker)
    if locale is not None:
        result["Locale"] = locale
    return result


def update_profile(worker_id: str, given: Any) -> dict[str, Any]:
    """PUT the profile: Locale ({"Country", "Subdivision"?}, or null to clear it) and Adult, each optional;
    what is not given stays. One UpdateItem."""
    if not isinstance(given, dict) or not set(given) <= {"Locale", "Adult"}:
        raise InvalidParameter('The profile takes only "Locale" and "Adult".')
    actions: list[Action] = []
    if "Locale" in given:
        if given["Locale"] is None:
            actions += [Worker.country.remove(), Worker.subdivision.remove()]
        else:
            locale = system.check_locale(given["Locale"], "Locale")
            actions.append(Worker.country.set(locale["Country"]))
            subdivision = locale.get("Subdivision")
            actions.append(
                Worker.subdivision.set(subdivision) if subdivision else Worker.subdivision.remove()
            )
    if "Adult" in given:
        if not isinstance(given["Adult"], bool):
            raise InvalidParameter("Adult must be true or false.")
        actions.append(Worker.adult.set(given["Adult"]))
    if actions:
        Worker(worker_id).update(actions=actions)
    return profile(worker_id)
