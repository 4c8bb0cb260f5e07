from openturk.domain import clock, ids, workers
from openturk.edge import dev_identity
from openturk.edge.worker import worker_operation


@worker_operation("DevSignIn", authenticated=False)
def handler(request, caller):
    identity = dev_identity.sign_in(request.body.get("name", ""))
    worker_id = ids.worker_id(identity["sub"])
    workers.register(worker_id, identity["name"], clock.now())
    return {"WorkerId": worker_id, "Token": identity["token"]}
