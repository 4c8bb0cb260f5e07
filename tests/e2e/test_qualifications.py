"""A worker in a real browser meets a HIT that needs a qualification, takes the qualification's test (scored
at once by the requester's answer key), and then previews and accepts the HIT."""

import uuid

from tests.e2e.conftest import shoot, sign_in
from tests.e2e.questions import QUESTION_FORM
from tests.integration.test_qualification_requests import ANSWER_KEY, TEST


def test_a_worker_takes_a_qualification_test_then_accepts_the_guarded_hit(endpoint, mturk, open_context):
    name = f"Geography {uuid.uuid4().hex[:6]}"
    type_id = mturk.create_qualification_type(
        Name=name,
        Description="Two questions about capitals and sums",
        QualificationTypeStatus="Active",
        Test=TEST,
        AnswerKey=ANSWER_KEY,
        TestDurationInSeconds=600,
    )["QualificationType"]["QualificationTypeId"]
    requirement = {
        "QualificationTypeId": type_id,
        "Comparator": "GreaterThanOrEqualTo",
        "IntegerValues": [100],
        "ActionsGuarded": "PreviewAndAccept",
    }
    hit = mturk.create_hit(
        Title=f"Guarded task {uuid.uuid4().hex[:6]}",
        Description="Only for geographers",
        Reward="0.50",
        MaxAssignments=1,
        LifetimeInSeconds=3600,
        AssignmentDurationInSeconds=600,
        Question=QUESTION_FORM,
        QualificationRequirements=[requirement],
    )["HIT"]
    page = sign_in(open_context(), endpoint, f"gia-{uuid.uuid4().hex[:6]}")

    page.goto(f"{endpoint}/worker/hits/{hit['HITId']}")
    assert page.locator("#no-preview").is_visible()
    assert page.locator("form[action$='/accept']").count() == 0
    row = page.locator("#requirements tr[data-met='no']")
    assert name in row.inner_text() and "at least 100" in row.inner_text()
    shoot(page, "hit-needs-qualification")

    row.locator("a").click()
    page.wait_for_url("**/worker/qualifications?type=*")
    card = page.locator(f"#type-{type_id}")
    assert "Has a test" in card.inner_text()
    shoot(page, "qualifications")
    card.locator("button[type=submit]").click()
    page.check("input[name=capital][value=paris]")
    page.check("input[name=sum][value=four]")
    shoot(page, "qualification-test")
    page.click("#test button[type=submit]")
    assert page.locator("#result").inner_text() == "You were granted this qualification. Your score: 100."
    shoot(page, "qualification-result")
    (granted,) = mturk.list_workers_with_qualification_type(QualificationTypeId=type_id)["Qualifications"]
    assert granted["IntegerValue"] == 100

    page.goto(f"{endpoint}/worker/hits/{hit['HITId']}")
    assert page.locator("#requirements tr[data-met='yes']").count() == 1
    assert page.locator("textarea[name=caption]").count() == 1  # the task itself now shows
    page.click("button[value='']")
    page.wait_for_url("**/worker/assignments/*")
    assert page.locator("#status").inner_text() == "Accepted"
    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["NumberOfAssignmentsPending"] == 1
