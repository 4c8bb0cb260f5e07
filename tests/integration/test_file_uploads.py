"""FileUploadAnswer: a worker uploads a file through a presigned URL, the requester fetches it through
GetFileUploadURL (boto3's get_file_upload_url), and nobody else can."""

import urllib.error
import urllib.request

import pytest

FILE_FORM = (
    '<QuestionForm xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2017-11-06/QuestionForm.xsd">'
    "<Question><QuestionIdentifier>photo</QuestionIdentifier><QuestionContent><Text>A photo of your desk</Text>"
    "</QuestionContent><AnswerSpecification><FileUploadAnswer><MaxFileSizeInBytes>1000000</MaxFileSizeInBytes>"
    "<MinFileSizeInBytes>1</MinFileSizeInBytes></FileUploadAnswer></AnswerSpecification></Question>"
    "<Question><QuestionIdentifier>note</QuestionIdentifier><QuestionContent><Text>A note</Text>"
    "</QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>"
)


@pytest.fixture
def accepted(mturk, new_worker):
    hit = mturk.create_hit(
        Title="Photo", Description="Upload a photo", Reward="0.50", MaxAssignments=1,
        LifetimeInSeconds=600, AssignmentDurationInSeconds=300, Question=FILE_FORM,
    )["HIT"]  # fmt: skip
    worker = new_worker()
    code, body = worker.accept(hit["HITId"])
    assert code == 201
    return worker, body["Assignment"]["AssignmentId"]


def http(method: str, url: str, data: bytes | None = None) -> tuple[int, bytes]:
    # A browser sends the file's type; without one, urllib would claim a form (moto then parses the body).
    headers = {"Content-Type": "image/png"} if data is not None else {}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_worker_uploads_a_file_and_the_requester_downloads_it(mturk, accepted):
    worker, assignment_id = accepted
    code, upload = worker.call(
        "POST", f"/worker/api/assignments/{assignment_id}/uploads", {"QuestionIdentifier": "photo"}
    )
    assert code == 200, upload
    content = b"\x89PNG\r\n\x1a\n not really a png"
    assert http("PUT", upload["UploadURL"], content)[0] == 200
    code, _ = worker.submit(assignment_id, {"photo": upload["UploadedFileKey"], "note": "my desk"})
    assert code == 200

    url = mturk.get_file_upload_url(AssignmentId=assignment_id, QuestionIdentifier="photo")["FileUploadURL"]
    assert "X-Amz-Expires=60" in url  # temporary, as MTurk's
    assert http("GET", url) == (200, content)


def test_upload_urls_are_only_for_file_questions_of_ones_own_accepted_work(mturk, accepted, new_worker):
    worker, assignment_id = accepted
    path = f"/worker/api/assignments/{assignment_id}/uploads"
    assert worker.call("POST", path, {"QuestionIdentifier": "note"})[0] == 400
    assert worker.call("POST", path, {"QuestionIdentifier": "nope"})[0] == 400
    assert new_worker().call("POST", path, {"QuestionIdentifier": "photo"})[0] == 404


def test_get_file_upload_url_refuses_without_a_file_and_for_another_requesters_work(
    mturk, accepted, endpoint
):
    from tests.integration.conftest import mturk_client
    from tests.support import funded_requester

    worker, assignment_id = accepted
    worker.submit(assignment_id, {"note": "forgot the photo"})
    with pytest.raises(mturk.exceptions.RequestError, match="No file was uploaded"):
        mturk.get_file_upload_url(AssignmentId=assignment_id, QuestionIdentifier="photo")
    other = mturk_client(endpoint, funded_requester(endpoint))
    with pytest.raises(other.exceptions.RequestError, match="does not exist"):
        other.get_file_upload_url(AssignmentId=assignment_id, QuestionIdentifier="photo")
