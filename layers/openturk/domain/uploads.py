"""Files as answers (FileUploadAnswer in a QuestionForm): a worker puts the file straight into the batch
bucket through a presigned URL, under the requester's prefix, and the requester fetches it through
GetFileUploadURL, a presigned URL that lives 60 seconds, as MTurk's does.

The file's key is fixed by the assignment and the question (requesters/<RequesterId>/uploads/
<AssignmentId>/<QuestionIdentifier>), so uploading again replaces it and nothing else needs recording.
"""

import re
from typing import Any

from openturk.data import objects
from openturk.data.hits import Hit
from openturk.domain import assignments, questions, requester_assignments
from openturk.domain.errors import InvalidParameter, NotFound

_IDENTIFIER = re.compile(r"^[^/\x00-\x1f]{1,256}$")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024  # FileUploadAnswer's MaxFileSizeInBytes may be at most 2 GB


class UploadNotFound(NotFound):
    code = "InvalidParameterValue"


def key(requester_id: str, assignment_id: str, question_identifier: str) -> str:
    return f"{objects.prefix(requester_id)}uploads/{assignment_id}/{question_identifier}"


def _file_question(hit: Hit, question_identifier: str) -> None:
    """The HIT's QuestionForm must ask for a file under that identifier."""
    if not _IDENTIFIER.match(question_identifier or ""):
        raise InvalidParameter(f"{question_identifier!r} is not a QuestionIdentifier.")
    root = questions.parse(hit.question)
    ns = root.tag.partition("}")[0] + "}" if root.tag.startswith("{") else ""
    for question in root.iter(ns + "Question"):
        if (question.findtext(ns + "QuestionIdentifier") or "").strip() == question_identifier:
            if question.find(f"{ns}AnswerSpecification/{ns}FileUploadAnswer") is not None:
                return
            raise InvalidParameter(f"Question {question_identifier!r} does not ask for a file.")
    raise InvalidParameter(f"HIT {hit.hit_id} has no question {question_identifier!r} that asks for a file.")


def upload_url(worker_id: str, assignment_id: str, question_identifier: str, now: float) -> dict[str, Any]:
    """A presigned PUT for the worker's accepted, unexpired assignment and one of its file questions."""
    assignment, hit = assignments.own_accepted(worker_id, assignment_id, now)
    _file_question(hit, question_identifier)
    where = key(hit.requester_id, assignment_id, question_identifier)
    return {
        "UploadURL": objects.upload_url(where),
        "Method": "PUT",
        "UploadedFileKey": where,
        "ExpiresInSeconds": objects.UPLOAD_URL_SECONDS,
    }


def download_url(requester_id: str, assignment_id: str, question_identifier: str) -> str:
    """GetFileUploadURL: a temporary URL of the file a worker uploaded for the requester's assignment."""
    assignment, hit = requester_assignments.get(
        requester_id, assignment_id
    )  # AssignmentNotFound for others' work
    _file_question(hit, question_identifier)
    where = key(requester_id, assignment_id, question_identifier)
    if objects.head(where) is None:
        raise UploadNotFound(
            f"No file was uploaded for question {question_identifier!r} of assignment {assignment_id}."
        )
    return objects.download_url(where)
