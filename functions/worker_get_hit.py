from openturk.domain import hits
from openturk.domain.errors import HitNotFound
from openturk.edge.worker import worker_operation


@worker_operation("GetHIT")
def handler(request, caller):
    hit = hits.load(request.path["HITId"])
    if hit.disposed:
        raise HitNotFound(hit.hit_id)
    return {"HIT": hits.worker_view(hit, caller.now)}
