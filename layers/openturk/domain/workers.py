"""Workers: a profile per worker, created the first time they sign in."""

from pynamodb.exceptions import PutError

from openturk.data import base as db
from openturk.data.workers import Worker


def register(worker_id: str, name: str, now: float) -> None:
    """Record a worker's profile once; later sign-ins leave it as it is."""
    try:
        Worker(worker_id, name=name, created_at=now).save(condition=Worker.worker_id.does_not_exist())
    except PutError as error:
        if not db.condition_failed(error):
            raise
