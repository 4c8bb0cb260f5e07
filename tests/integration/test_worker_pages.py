"""The worker web app over plain HTTP: sessions, CSRF, isolation, escaping, headers, preview links, sizes.
(What a browser does with them is tests/e2e/.)"""

import http.client
import re
import time
import urllib.parse

import pytest

from openturk.web.preview import query as preview_query
from tests.support import HTML_QUESTION, QUESTION_FORM, hit_args

MAX_PAGE_BYTES = 150_000


class Browser:
    """A cookie jar and no redirect following: what a browser sends, and what it gets back."""

    def __init__(self, endpoint: str):
        self.netloc = urllib.parse.urlsplit(endpoint).netloc
        self.cookie = ""

    def request(self, method: str, path: str, form=None, headers=None):
        connection = http.client.HTTPConnection(self.netloc, timeout=30)
        sent = dict(headers or {})
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookie:
            sent["Cookie"] = self.cookie
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode()
        set_cookie = response.getheader("Set-Cookie")
        if set_cookie:
            self.cookie = set_cookie.split(";")[0]
        connection.close()
        return response.status, dict(response.getheaders()), text

    def sign_in(self, name: str) -> None:
        status, headers, _ = self.request("POST", "/worker/sign-in", {"name": name, "next": "/worker/"})
        assert status == 303 and headers["Location"] == "/worker/"

    def csrf(self, path: str) -> str:
        status, _, text = self.request("GET", path)
        assert status == 200, text
        return re.search(r'name="csrf" value="([0-9a-f]{32})"', text).group(1)


@pytest.fixture
def browser(endpoint, new_worker):
    def make(name: str | None = None) -> Browser:
        browser = Browser(endpoint)
        browser.sign_in(name or new_worker().name)
        return browser

    return make


def test_pages_without_a_session_redirect_to_sign_in(endpoint):
    status, headers, _ = Browser(endpoint).request("GET", "/worker/dashboard")
    assert status == 303 and headers["Location"] == "/worker/sign-in?next=/worker/dashboard"


def test_sign_in_never_sends_the_worker_to_another_site(endpoint):
    visitor = Browser(endpoint)
    status, headers, _ = visitor.request(
        "POST", "/worker/sign-in", {"name": "mallory-target", "next": "https://evil.example/"}
    )
    assert status == 303 and headers["Location"] == "/worker/"
    assert "HttpOnly" in headers["Set-Cookie"] and "Secure" in headers["Set-Cookie"]


def test_signing_out_ends_the_session(browser):
    worker = browser()
    csrf = worker.csrf("/worker/dashboard")
    status, headers, _ = worker.request("POST", "/worker/sign-out", {"csrf": csrf})
    assert status == 303 and "Max-Age=0" in headers["Set-Cookie"]
    assert worker.request("GET", "/worker/dashboard")[0] == 303


def test_pages_take_the_worker_api_bearer_token_too(endpoint, new_worker):
    worker = new_worker()
    status, _, text = Browser(endpoint).request(
        "GET", "/worker/dashboard", headers={"Authorization": f"Bearer {worker.token}"}
    )
    assert status == 200 and "Dashboard" in text


def test_pages_carry_a_strict_content_security_policy(endpoint, mturk, browser):
    hit = mturk.create_hit(**hit_args())["HIT"]
    worker = browser()
    status, headers, text = worker.request("GET", f"/worker/hits/{hit['HITId']}")
    policy = headers["Content-Security-Policy"]
    assert status == 200
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    nonce = re.search(r"script-src 'nonce-([^']+)'", policy).group(1)
    assert f'nonce="{nonce}"' in text and "unsafe-inline" not in policy
    assert f'src="/worker/content/{hit["HITId"]}?assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE' in text

    status, headers, content = worker.request("GET", f"/worker/content/{hit['HITId']}")
    assert status == 200
    assert headers["Content-Security-Policy"].startswith("sandbox allow-scripts")
    assert "allow-same-origin" not in headers["Content-Security-Policy"]
    assert f"{endpoint}/mturk/externalSubmit" in content and "www.mturk.com" not in content


def test_a_post_without_the_forms_csrf_token_changes_nothing(endpoint, mturk, browser):
    hit = mturk.create_hit(**hit_args())["HIT"]
    worker = browser()
    for token in (None, "0" * 32):
        form = {"csrf": token} if token else {}
        status, _, text = worker.request("POST", f"/worker/hits/{hit['HITId']}/accept", form)
        assert status == 403 and "expired" in text
    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["NumberOfAssignmentsPending"] == 0

    csrf = worker.csrf(f"/worker/hits/{hit['HITId']}")
    status, headers, _ = worker.request("POST", f"/worker/hits/{hit['HITId']}/accept", {"csrf": csrf})
    assert status == 303 and headers["Location"].startswith("/worker/assignments/")
    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["NumberOfAssignmentsPending"] == 1


def test_a_worker_cannot_see_or_change_another_workers_assignment(mturk, browser):
    hit = mturk.create_hit(**hit_args(Question=QUESTION_FORM))["HIT"]
    alice, bob = browser(), browser()
    csrf = alice.csrf(f"/worker/hits/{hit['HITId']}")
    _, headers, _ = alice.request("POST", f"/worker/hits/{hit['HITId']}/accept", {"csrf": csrf})
    work = headers["Location"]
    assert alice.request("GET", work)[0] == 200

    status, _, text = bob.request("GET", work)
    assert status == 404 and "does not exist" in text
    bob_csrf = bob.csrf("/worker/dashboard")
    assert bob.request("POST", work + "/return", {"csrf": bob_csrf})[0] == 404
    assert bob.request("POST", work + "/submit", {"csrf": bob_csrf, "colour": "x"})[0] == 404
    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["NumberOfAssignmentsPending"] == 1


def test_a_question_form_missing_a_required_answer_is_shown_again_with_the_reason(mturk, browser):
    form = QUESTION_FORM.replace(
        "</QuestionIdentifier>", "</QuestionIdentifier><IsRequired>true</IsRequired>"
    )
    hit = mturk.create_hit(**hit_args(Question=form))["HIT"]
    worker = browser()
    csrf = worker.csrf(f"/worker/hits/{hit['HITId']}")
    _, headers, _ = worker.request("POST", f"/worker/hits/{hit['HITId']}/accept", {"csrf": csrf})
    status, _, text = worker.request("POST", headers["Location"] + "/submit", {"csrf": csrf, "colour": ""})
    assert status == 400 and "needs an answer" in text
    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["NumberOfAssignmentsPending"] == 1


def test_external_submit_takes_the_session_cookie_and_answers_a_browser_with_a_page(mturk, browser):
    hit = mturk.create_hit(**hit_args(Question=HTML_QUESTION))["HIT"]
    worker = browser()
    csrf = worker.csrf(f"/worker/hits/{hit['HITId']}")
    _, headers, _ = worker.request("POST", f"/worker/hits/{hit['HITId']}/accept", {"csrf": csrf})
    assignment_id = headers["Location"].rsplit("/", 1)[1]
    status, headers, text = worker.request(
        "POST",
        "/mturk/externalSubmit",
        {"assignmentId": assignment_id, "comment": "from the frame"},
        headers={"Accept": "text/html", "Origin": "null"},
    )
    assert status == 200 and "was submitted" in text
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    (assignment,) = mturk.list_assignments_for_hit(HITId=hit["HITId"])["Assignments"]
    assert "from the frame" in assignment["Answer"]


def test_text_from_requesters_is_escaped(mturk, browser):
    hit = mturk.create_hit(**hit_args(Title="<script>alert(1)</script>", Description="<img src=x>"))["HIT"]
    status, _, text = browser().request("GET", f"/worker/hits/{hit['HITId']}")
    assert status == 200
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img src=x>" not in text


def test_a_requesters_signed_preview_link_shows_its_hit_and_nothing_else(endpoint, mturk, requester):
    hit = mturk.create_hit(**hit_args())["HIT"]
    visitor = Browser(endpoint)
    signed = preview_query(requester["AccessKeyId"], requester["SecretAccessKey"], hit["HITId"], time.time())
    status, _, text = visitor.request("GET", f"/worker/preview/{hit['HITId']}?{signed}")
    assert status == 200 and "Requester preview" in text and "Accept" not in text
    frame = re.search(r'src="(/worker/content/[^"]+)"', text).group(1).replace("&amp;", "&")
    assert visitor.request("GET", frame)[0] == 200

    wrong = preview_query(requester["AccessKeyId"], "not-the-secret", hit["HITId"], time.time())
    assert visitor.request("GET", f"/worker/preview/{hit['HITId']}?{wrong}")[0] == 404
    expired = preview_query(requester["AccessKeyId"], requester["SecretAccessKey"], hit["HITId"], 0)
    assert visitor.request("GET", f"/worker/preview/{hit['HITId']}?{expired}")[0] == 404
    assert visitor.request("GET", f"/worker/content/{hit['HITId']}")[0] == 303


def test_pages_stay_small(mturk, browser):
    for _ in range(30):
        mturk.create_hit(**hit_args(Title=f"Small page {time.time_ns()}", Question=QUESTION_FORM))
    worker = browser()
    for path in ("/worker/", "/worker/dashboard", "/worker/messages", "/worker/sign-in"):
        status, _, text = worker.request("GET", path)
        assert status == 200 and len(text.encode()) < MAX_PAGE_BYTES, path
