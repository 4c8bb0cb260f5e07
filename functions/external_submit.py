import json

from openturk.domain import assignments
from openturk.domain.errors import InvalidParameter
from openturk.edge.http import headers_of
from openturk.edge.worker import claims_of, worker_operation


@worker_operation("ExternalSubmit")
def _submit(request, caller):
    fields = {name: values if len(values) > 1 else values[0] for name, values in request.form.items()}
    assignment_id = fields.get("assignmentId")
    if not isinstance(assignment_id, str) or assignment_id == "ASSIGNMENT_ID_NOT_AVAILABLE":
        raise InvalidParameter("The form must carry the assignmentId of an accepted assignment.")
    assignment = assignments.submit(caller.worker_id, assignment_id, fields, caller.now)
    return {"Assignment": assignments.worker_view(assignment, caller.now)}


def handler(event, context):
    """MTurk's form post target for HTMLQuestion and ExternalQuestion pages. A script sends the worker's
    bearer token; a browser form posted from a task's frame carries the web app's session cookie instead,
    and gets a page back (which tells the work page around the frame that the work was submitted)."""
    browser = claims_of(event) is None and "text/html" in headers_of(event).get("accept", "")
    if claims_of(event) is None:
        from openturk.web import session

        token, _ = session.token_of(event)
        claims = session.verify(token) if token else None
        if claims:
            context_ = dict(event.get("requestContext") or {})
            context_["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
            event = {**event, "requestContext": context_}
    result = _submit(event, context)
    if not browser:
        return result
    from openturk.web import render

    if result["statusCode"] == 200:
        return render.page("submitted.html", framed=True, caller=None, title="Submitted")
    error = json.loads(result["body"])["Error"]
    return render.page(
        "error.html",
        result["statusCode"],
        framed=True,
        caller=None,
        code=error["Code"],
        message=error["Message"],
        title="Sorry",
    )
