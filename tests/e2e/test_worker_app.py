"""A worker in a real browser: sign in, find, preview, accept, do and submit HITs of every question format,
return one, and read the dashboard; the requester checks the work through boto3."""

import json
import uuid
import xml.etree.ElementTree as ET

from tests.e2e.conftest import shoot, sign_in
from tests.e2e.questions import (
    CROWD_SCRIPT,
    CROWD_TASK,
    EXTERNAL_PAGE,
    EXTERNAL_QUESTION,
    EXTERNAL_URL,
    HTML_TASK,
    QUESTION_FORM,
)

ANSWERS_NS = (
    "{http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd}"
)
CAPTION = "Zwei Katzen — „schön“ & <süß>, 東京 ✓"


def post_hit(mturk, question: str, title: str | None = None, **overrides) -> dict:
    args = {
        "Title": title or f"Task {uuid.uuid4().hex[:8]}",
        "Description": "A task for the browser tests",
        "Reward": "0.35",
        "MaxAssignments": 2,
        "LifetimeInSeconds": 3600,
        "AssignmentDurationInSeconds": 900,
        "Question": question,
    }
    args.update(overrides)
    return mturk.create_hit(**args)["HIT"]


def submitted_answers(mturk, hit_id: str) -> list[tuple[str, str, str]]:
    """(question, element, value) of the HIT's one submitted assignment, as the requester reads it."""
    (assignment,) = mturk.list_assignments_for_hit(HITId=hit_id)["Assignments"]
    root = ET.fromstring(assignment["Answer"].encode("ascii"))
    return [
        (answer.findtext(ANSWERS_NS + "QuestionIdentifier") or "", child.tag.split("}")[1], child.text or "")
        for answer in root.iter(ANSWERS_NS + "Answer")
        for child in answer
        if not child.tag.endswith("QuestionIdentifier")
    ]


def open_hit(page, endpoint: str, hit: dict) -> None:
    """From the marketplace to the HIT's preview, through its group's link."""
    page.goto(endpoint + "/worker/")
    page.click(f"tr[data-hit-type='{hit['HITTypeId']}'] a")
    page.wait_for_url(f"**/worker/hits/{hit['HITId']}")


def test_question_form_answers_reach_the_requester_exactly(endpoint, mturk, requester, open_context):
    hit = post_hit(mturk, QUESTION_FORM, title="Describe a picture <b>now</b>")
    page = sign_in(open_context(), endpoint, f"ana-{uuid.uuid4().hex[:6]}")
    shoot(page, "marketplace")
    row = page.locator(f"tr[data-hit-type='{hit['HITTypeId']}']")
    assert "Describe a picture <b>now</b>" in row.inner_text()  # escaped: shown as text
    assert "$0.35" in row.inner_text() and "15 minutes" in row.inner_text()

    open_hit(page, endpoint, hit)
    shoot(page, "preview-question-form")
    assert page.locator("textarea[name=caption]").is_disabled()  # a preview cannot be answered
    page.click("button[value='']")
    page.wait_for_url("**/worker/assignments/*")
    assert page.locator("#status").inner_text() == "Accepted"
    assert "not supported yet" in page.locator("#q-photo").inner_text()
    page.fill("textarea[name=caption]", CAPTION)
    page.check("input[name=animals][value=cat]")
    page.check("input[name=animals][value=bird]")
    page.check("input[name=mood][value=happy]")
    page.select_option("select[name=light]", "night")
    page.select_option("select[name=place]", "outdoors")
    shoot(page, "work-question-form")
    page.click("#answers button[type=submit]")
    page.wait_for_url("**/worker/?done=submitted")
    assert "submitted" in page.locator(".notice").inner_text()

    assert submitted_answers(mturk, hit["HITId"]) == [
        ("caption", "FreeText", CAPTION),
        ("animals", "SelectionIdentifier", "cat"),
        ("animals", "SelectionIdentifier", "bird"),
        ("mood", "SelectionIdentifier", "happy"),
        ("light", "SelectionIdentifier", "night"),
        ("place", "SelectionIdentifier", "outdoors"),
    ]


def test_html_question_runs_sandboxed_and_submits_through_external_submit(endpoint, mturk, open_context):
    hit = post_hit(mturk, HTML_TASK)
    page = sign_in(open_context(), endpoint, f"ben-{uuid.uuid4().hex[:6]}")
    open_hit(page, endpoint, hit)
    frame = page.frame_locator("#task")
    assert frame.locator("#submitButton").is_disabled()  # preview: ASSIGNMENT_ID_NOT_AVAILABLE
    page.click("button[value='']")
    page.wait_for_url("**/worker/assignments/*")
    assignment_id = page.url.rsplit("/", 1)[1]
    frame = page.frame_locator("#task")
    assert frame.locator("#assignmentId").input_value() == assignment_id
    # The requester's script runs in an opaque origin: no cookie, no access to the page around it.
    assert frame.locator("#cookie").inner_text() == "cookie:blocked"
    assert frame.locator("#parent").inner_text() == "parent:blocked"
    frame.locator("#comment").fill("Ça marche — 👍")
    shoot(page, "work-html-question")
    frame.locator("#submitButton").click()
    page.wait_for_url("**/worker/?done=submitted")
    assert submitted_answers(mturk, hit["HITId"]) == [("comment", "FreeText", "Ça marche — 👍")]


def test_external_question_gets_mturk_parameters_and_posts_back(endpoint, mturk, open_context):
    hit = post_hit(mturk, EXTERNAL_QUESTION)
    context = open_context({EXTERNAL_URL.split("?")[0]: EXTERNAL_PAGE})
    # The task's site is public and this app is on 127.0.0.1: Chromium asks the user before a public page
    # may post to a local address (Local Network Access). A deployed app is public, so never asks.
    context.grant_permissions(["local-network-access"])
    page = sign_in(context, endpoint, f"cy-{uuid.uuid4().hex[:6]}")
    open_hit(page, endpoint, hit)
    params = page.frame_locator("#task").locator("#params").inner_text()
    assert params.startswith("assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE hitId=" + hit["HITId"])
    assert params.endswith("study=7")
    page.click("button[value='']")
    page.wait_for_url("**/worker/assignments/*")
    assignment_id = page.url.rsplit("/", 1)[1]
    frame = page.frame_locator("#task")
    assert frame.locator("#params").inner_text().startswith(f"assignmentId={assignment_id} ")
    frame.locator("#answer").fill("42, naïvely")
    shoot(page, "work-external-question")
    frame.locator("#send").click()
    page.wait_for_url("**/worker/?done=submitted")
    assert submitted_answers(mturk, hit["HITId"]) == [("answer", "FreeText", "42, naïvely")]


def test_crowd_html_elements_submit_when_loaded_and_say_so_when_not(endpoint, mturk, open_context):
    hit = post_hit(mturk, CROWD_TASK)
    offline = sign_in(open_context(), endpoint, f"di-{uuid.uuid4().hex[:6]}")
    open_hit(offline, endpoint, hit)
    alert = offline.frame_locator("#task").locator("[role=alert]")
    assert "could not be loaded" in alert.inner_text()
    shoot(offline, "preview-crowd-offline")

    online = open_context({"https://assets.crowd.aws/crowd-html-elements.js": CROWD_SCRIPT})
    page = sign_in(online, endpoint, f"ed-{uuid.uuid4().hex[:6]}")
    open_hit(page, endpoint, hit)
    page.click("button[value='']")
    page.wait_for_url("**/worker/assignments/*")
    frame = page.frame_locator("#task")
    frame.locator("input[value=Positive]").check()
    frame.locator("#crowd-submit").click()
    page.wait_for_url("**/worker/?done=submitted")
    ((question, element, value),) = submitted_answers(mturk, hit["HITId"])
    assert (question, element) == ("taskAnswers", "FreeText")
    assert json.loads(value) == [{"sentiment": {"label": "Positive"}}]


def test_return_accept_next_in_group_and_dashboard(endpoint, mturk, open_context):
    title = f"Batch {uuid.uuid4().hex[:8]}"
    first, second, third = (post_hit(mturk, QUESTION_FORM, title=title, MaxAssignments=1) for _ in range(3))
    assert first["HITTypeId"] == second["HITTypeId"] == third["HITTypeId"]
    page = sign_in(open_context(), endpoint, f"flo-{uuid.uuid4().hex[:6]}")
    row = page.locator(f"tr[data-hit-type='{first['HITTypeId']}']")
    assert row.locator("td").nth(4).inner_text() == "3"  # HITs available in the group

    # Return: the slot is free again for the requester.
    page.goto(f"{endpoint}/worker/hits/{third['HITId']}")
    page.click("button[value='']")
    page.wait_for_url("**/worker/assignments/*")
    page.click("text=Return this HIT")
    page.wait_for_url("**/worker/?done=returned")
    assert mturk.get_hit(HITId=third["HITId"])["HIT"]["NumberOfAssignmentsAvailable"] == 1

    # Accept and work on the next HIT in this group: submitting one goes straight into the next, until
    # none is left that this worker may take (the returned one was theirs once).
    page.goto(f"{endpoint}/worker/hits/{first['HITId']}")
    page.click("button[value=next]")
    for _ in range(2):
        page.wait_for_url("**/worker/assignments/*?then=next")
        page.fill("textarea[name=caption]", "a caption")
        page.check("input[name=animals][value=dog]")
        page.click("#answers button[type=submit]")
    page.wait_for_url("**/worker/?done=submitted&group=empty")
    assert (
        mturk.get_hit(HITId=second["HITId"])["HIT"]["NumberOfAssignmentsCompleted"]
        + len(mturk.list_assignments_for_hit(HITId=second["HITId"])["Assignments"])
        >= 1
    )

    (assignment,) = mturk.list_assignments_for_hit(HITId=first["HITId"])["Assignments"]
    mturk.approve_assignment(AssignmentId=assignment["AssignmentId"])
    mturk.send_bonus(
        WorkerId=assignment["WorkerId"],
        BonusAmount="1.25",
        AssignmentId=assignment["AssignmentId"],
        Reason="Great captions",
        UniqueRequestToken=uuid.uuid4().hex,
    )
    mturk.notify_workers(
        Subject="Thanks <3", MessageText="More soon & <b>keep going</b>", WorkerIds=[assignment["WorkerId"]]
    )
    page.click("text=Dashboard")
    page.wait_for_url("**/worker/dashboard")
    shoot(page, "dashboard")
    earnings = page.locator("#earnings").inner_text()
    assert "$0.35" in earnings and "$1.25" in earnings
    statuses = page.locator("#assignments tr[data-status]").evaluate_all(
        "rows => rows.map(r => r.dataset.status)"
    )
    assert sorted(statuses) == ["Approved", "Returned", "Submitted"]
    page.click("text=Messages")
    page.wait_for_url("**/worker/messages")
    shoot(page, "messages")
    assert page.locator(".message .text").inner_text() == "More soon & <b>keep going</b>"
    assert page.locator(".message .muted").inner_text().startswith("From requester-")  # its name


def test_a_phone_sized_screen_shows_the_marketplace_without_sideways_scrolling(endpoint, mturk, open_context):
    post_hit(mturk, QUESTION_FORM)
    context = open_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = sign_in(context, endpoint, f"gus-{uuid.uuid4().hex[:6]}")
    shoot(page, "marketplace-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
