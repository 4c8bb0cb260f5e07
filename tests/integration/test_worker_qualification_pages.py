"""The worker web app's qualifications over plain HTTP: the qualifications page, requests, tests scored by an
answer key, RetryDelayInSeconds, the profile form, and HIT pages that honour QualificationRequirements and
ActionsGuarded as the worker API does. (A browser taking a test: tests/e2e/test_qualifications.py.)"""

import re
import uuid

import pytest

from tests.integration.test_qualification_requests import ANSWER_KEY, TEST, new_type
from tests.integration.test_worker_pages import MAX_PAGE_BYTES, Browser
from tests.support import HTML_QUESTION, WorkerClient, hit_args


@pytest.fixture
def signed_in(endpoint):
    """new() -> (the worker's API client, a browser signed in as the same worker)."""

    def new():
        name = f"qp-{uuid.uuid4().hex[:10]}"
        api = WorkerClient(endpoint, name)
        browser = Browser(endpoint)
        browser.sign_in(name)
        return api, browser

    return new


def request_form(browser: Browser, type_id: str, form: dict | None = None):
    csrf = browser.csrf(f"/worker/qualifications?type={type_id}")
    return browser.request(
        "POST", f"/worker/qualifications/{type_id}/request", {"csrf": csrf, **(form or {})}
    )


def score(mturk, type_id: str, worker_id: str) -> int:
    found = mturk.get_qualification_score(QualificationTypeId=type_id, WorkerId=worker_id)
    return found["Qualification"]["IntegerValue"]


def guarded_hit(mturk, type_id: str, guard: str, question: str = HTML_QUESTION) -> dict:
    requirement = {
        "QualificationTypeId": type_id,
        "Comparator": "GreaterThanOrEqualTo",
        "IntegerValues": [80],
        "ActionsGuarded": guard,
    }
    return mturk.create_hit(**hit_args(Question=question, QualificationRequirements=[requirement]))["HIT"]


def test_the_page_lists_the_workers_scores_and_the_types_they_may_request(mturk, signed_in):
    with_test = new_type(mturk, Test=TEST, AnswerKey=ANSWER_KEY, TestDurationInSeconds=600)
    automatic = new_type(mturk, AutoGranted=True, AutoGrantedValue=7)
    api, browser = signed_in()
    mturk.associate_qualification_with_worker(
        QualificationTypeId=automatic, WorkerId=api.worker_id, IntegerValue=42, SendNotification=False
    )

    status, _, text = browser.request("GET", f"/worker/qualifications?type={with_test}")

    assert status == 200 and len(text.encode()) < MAX_PAGE_BYTES
    held = re.search(r'<table id="held">(.*?)</table>', text, re.S).group(1)
    assert f'data-type="{automatic}"' in held and ">42<" in held
    assert "Worker_PercentAssignmentsApproved" in held  # system qualifications as they apply
    card = re.search(rf'id="type-{with_test}".*?</div>', text, re.S).group(0)
    assert "Has a test (10 minutes to answer)" in card and "Take the test" in card
    status, _, dashboard = browser.request("GET", "/worker/dashboard")
    assert status == 200 and '<ul id="qualifications">' in dashboard and ": 42" in dashboard
    assert 'href="/worker/qualifications#profile"' in dashboard


def test_requesting_an_auto_granted_type_grants_it_and_needs_the_forms_csrf_token(mturk, signed_in):
    type_id = new_type(mturk, AutoGranted=True, AutoGrantedValue=7)
    api, browser = signed_in()

    status, _, text = browser.request("POST", f"/worker/qualifications/{type_id}/request", {})
    assert status == 403 and "expired" in text
    with pytest.raises(mturk.exceptions.RequestError):
        score(mturk, type_id, api.worker_id)

    status, headers, _ = request_form(browser, type_id)
    assert status == 303 and headers["Location"] == "/worker/qualifications?done=granted"
    assert score(mturk, type_id, api.worker_id) == 7
    assert "The qualification was granted." in browser.request("GET", headers["Location"])[2]


def test_requesting_a_type_without_a_test_waits_for_the_requester(mturk, signed_in):
    type_id = new_type(mturk)
    api, browser = signed_in()

    status, headers, _ = request_form(browser, type_id)

    assert status == 303 and headers["Location"] == "/worker/qualifications?done=pending"
    (pending,) = mturk.list_qualification_requests(QualificationTypeId=type_id)["QualificationRequests"]
    assert pending["WorkerId"] == api.worker_id
    status, _, text = request_form(browser, type_id)  # asking twice: the domain's refusal, said plainly
    assert status == 409 and "waiting for its requester" in text


def test_a_test_with_an_answer_key_is_scored_when_the_answers_are_sent(mturk, signed_in):
    type_id = new_type(mturk, Test=TEST, AnswerKey=ANSWER_KEY, TestDurationInSeconds=600)
    api, browser = signed_in()

    status, _, test_page = request_form(browser, type_id)
    assert status == 200 and 'name="step" value="answers"' in test_page
    assert 'type="radio" name="capital" value="paris"' in test_page and "disabled" not in test_page
    csrf = re.search(r'name="csrf" value="([0-9a-f]{32})"', test_page).group(1)
    status, _, result = browser.request(
        "POST",
        f"/worker/qualifications/{type_id}/request",
        {"csrf": csrf, "step": "answers", "capital": "paris", "sum": "three"},
    )

    assert status == 200 and "Your score: <strong>50</strong>" in result
    assert score(mturk, type_id, api.worker_id) == 50


def test_a_retake_before_the_retry_delay_is_refused_with_when(mturk, signed_in):
    type_id = new_type(
        mturk, Test=TEST, AnswerKey=ANSWER_KEY, TestDurationInSeconds=600, RetryDelayInSeconds=3600
    )
    api, browser = signed_in()
    request_form(browser, type_id, {"step": "answers", "capital": "lyon", "sum": "three"})
    assert score(mturk, type_id, api.worker_id) == 0

    status, _, text = request_form(browser, type_id)

    assert status == 409
    assert re.search(r"You can request this qualification again in \d+ seconds", text)
    assert score(mturk, type_id, api.worker_id) == 0


def test_a_test_without_an_answer_key_is_pending_the_requesters_review(mturk, signed_in):
    type_id = new_type(mturk, Test=TEST, TestDurationInSeconds=600)
    _, browser = signed_in()

    status, _, result = request_form(browser, type_id, {"step": "answers", "capital": "paris", "sum": "four"})

    assert status == 200 and "pending the requester's review" in result
    (pending,) = mturk.list_qualification_requests(QualificationTypeId=type_id)["QualificationRequests"]
    assert "paris" in pending["Answer"]


def test_the_profile_form_sets_what_put_profile_sets(signed_in):
    api, browser = signed_in()
    csrf = browser.csrf("/worker/qualifications")

    status, headers, _ = browser.request(
        "POST", "/worker/profile", {"csrf": csrf, "country": "US", "subdivision": "wa", "adult": "yes"}
    )
    assert status == 303 and headers["Location"].startswith("/worker/qualifications?done=profile")
    assert api.call("GET", "/worker/api/profile")[1]["Profile"] == {
        "WorkerId": api.worker_id,
        "Adult": True,
        "Locale": {"Country": "US", "Subdivision": "WA"},
    }

    status, _, text = browser.request("POST", "/worker/profile", {"csrf": csrf, "country": "XX"})
    assert status == 400 and "is not an ISO 3166-1 alpha-2 country code" in text
    assert api.call("GET", "/worker/api/profile")[1]["Profile"]["Locale"] == {
        "Country": "US",
        "Subdivision": "WA",
    }


def test_a_discover_guarded_hit_does_not_exist_for_an_unqualified_worker(mturk, signed_in):
    type_id = new_type(mturk)
    hit = guarded_hit(mturk, type_id, "DiscoverPreviewAndAccept")
    api, browser = signed_in()

    assert browser.request("GET", f"/worker/hits/{hit['HITId']}")[0] == 404
    assert browser.request("GET", f"/worker/content/{hit['HITId']}")[0] == 404

    mturk.associate_qualification_with_worker(
        QualificationTypeId=type_id, WorkerId=api.worker_id, IntegerValue=90, SendNotification=False
    )
    status, _, text = browser.request("GET", f"/worker/hits/{hit['HITId']}")
    assert status == 200 and 'data-met="yes"' in text and "/accept" in text


def test_a_preview_guarded_hit_shows_no_task_and_names_what_it_needs(mturk, signed_in):
    type_id = new_type(mturk)
    name = mturk.get_qualification_type(QualificationTypeId=type_id)["QualificationType"]["Name"]
    hit = guarded_hit(mturk, type_id, "PreviewAndAccept")
    _, browser = signed_in()

    status, _, text = browser.request("GET", f"/worker/hits/{hit['HITId']}")

    assert status == 200
    assert '<iframe class="task"' not in text and "/worker/content/" not in text
    assert 'id="no-preview"' in text and "/accept" not in text
    needed = re.search(r'<table id="requirements">(.*?)</table>', text, re.S).group(1)
    assert name in needed and "at least 80" in needed and 'data-met="no"' in needed
    assert f"/worker/qualifications?type={type_id}" in needed
    assert browser.request("GET", f"/worker/content/{hit['HITId']}")[0] == 404


def test_accepting_without_the_qualifications_is_refused_with_what_is_missing(mturk, signed_in):
    type_id = new_type(mturk)
    hit = guarded_hit(mturk, type_id, "Accept")
    api, browser = signed_in()
    path = f"/worker/hits/{hit['HITId']}"
    status, _, text = browser.request("GET", path)
    assert status == 200 and "You need the qualifications below to accept this HIT." in text
    assert '<iframe class="task"' in text  # an Accept guard still lets the worker preview

    csrf = browser.csrf(path)
    status, _, text = browser.request("POST", path + "/accept", {"csrf": csrf})
    assert status == 403 and "You do not meet the qualification requirements" in text
    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["NumberOfAssignmentsPending"] == 0

    mturk.associate_qualification_with_worker(
        QualificationTypeId=type_id, WorkerId=api.worker_id, IntegerValue=80, SendNotification=False
    )
    status, headers, _ = browser.request("POST", path + "/accept", {"csrf": csrf})
    assert status == 303 and headers["Location"].startswith("/worker/assignments/")
