from openturk.domain import uploads
from openturk.edge.requester import requester_operation


@requester_operation("GetFileUploadURL")
def handler(request, caller):
    url = uploads.download_url(caller.requester_id, request["AssignmentId"], request["QuestionIdentifier"])
    return {"FileUploadURL": url}
