from openturk.domain import uploads
from openturk.domain.errors import InvalidParameter
from openturk.edge.worker import worker_operation


@worker_operation("GetUploadURL")
def handler(request, caller):
    question = request.body.get("QuestionIdentifier")
    if not isinstance(question, str):
        raise InvalidParameter('Send {"QuestionIdentifier": "<the file question>"}.')
    return uploads.upload_url(caller.worker_id, request.path["AssignmentId"], question, caller.now)
