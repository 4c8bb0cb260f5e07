"""What an object uploaded to the batch bucket asks for, by where it is under requesters/<RequesterId>/:

- projects/<project>.json ............ register the project (its HITLayoutId works in CreateHIT)
- batches/<project>/<batch>.csv ...... publish the batch (domain/batches.py)
- reviews/<project>/<batch>.csv ...... approve and reject in bulk (domain/bulk_review.py)

Anything else (the results, errors and outcome files openturk writes itself, workers' uploads) is ignored.
A project file that cannot be used is reported in errors/projects/<project>.csv.
"""

import io
import re
from typing import Any

from openturk.data import objects
from openturk.domain import batch_csv, batches, bulk_review, projects
from openturk.domain.errors import DomainError
from openturk.edge.observability import logger

_PROJECT = re.compile(r"^requesters/(?P<requester>[A-Z0-9]{1,64})/projects/(?P<project>[^/]+)\.json$")
BATCH_KEY = re.compile(
    r"^requesters/(?P<requester>[A-Z0-9]{1,64})/batches/(?P<project>[^/]+)/(?P<batch>[^/]+)\.csv$"
)
_REVIEW = re.compile(
    r"^requesters/(?P<requester>[A-Z0-9]{1,64})/reviews/(?P<project>[^/]+)/(?P<batch>[^/]+?)(?<!\.outcome)\.csv$"
)


def object_created(key: str, etag: str | None, now: float) -> dict[str, Any]:
    """Act on one new object; returns what was done (for the log)."""
    if match := _PROJECT.match(key):
        return _project(match["requester"], match["project"], key, now)
    if match := BATCH_KEY.match(key):
        batch = batches.start(match["requester"], match["project"], match["batch"], key, etag, now)
        return {"Batch": batch.name, "Status": batch.status, "Rows": int(batch.rows_read or 0)}
    if match := _REVIEW.match(key):
        counts = bulk_review.apply(match["requester"], match["project"], match["batch"], key, now)
        return {"Reviews": key, **counts}
    return {"Ignored": key}


def _project(requester_id: str, name: str, key: str, now: float) -> dict[str, Any]:
    data = objects.read(key)
    if data is None:
        return {"Ignored": key}
    try:
        project = projects.register(requester_id, name, data, now)
    except DomainError as error:
        out = io.StringIO()
        writer = batch_csv.Writer(out)
        writer.header(["Line", "Reason"])
        writer.row(["1", error.message])
        objects.write(f"{objects.prefix(requester_id)}errors/projects/{name}.csv", out.getvalue().encode())
        logger.info("project refused", key=key, reason=error.message)
        return {"Project": name, "Refused": error.message}
    return {"Project": name, "HITLayoutId": project.hit_layout_id}
