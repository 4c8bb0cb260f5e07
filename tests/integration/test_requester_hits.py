"""HITs and HIT types through boto3's mturk client: every operation's happy path and its state rules."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.support import EXTERNAL_QUESTION, HTML_QUESTION, QUESTION_FORM, advance_clock, hit_args

# A HIT with this lifetime stays open through any clock moves of the other tests in this process.
YEAR = 31_536_000
LOCALE_US = {
    "QualificationTypeId": "00000000000000000071",
    "Comparator": "EqualTo",
    "LocaleValues": [{"Country": "US"}],
}
TYPE_PROPERTIES = {
    "Title": "Transcribe a receipt",
    "Description": "Type the total of the receipt",
    "Reward": "0.40",
    "AssignmentDurationInSeconds": 900,
    "Keywords": "receipt, transcription",
    "AutoApprovalDelayInSeconds": 86400,
}


def refusal(client, operation: str, **kwargs) -> dict:
    """The RequestError a call is refused with, as boto3 reports it."""
    with pytest.raises(client.exceptions.RequestError) as caught:
        getattr(client, operation)(**kwargs)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return caught.value.response


def status_of(mturk, hit_id: str) -> str:
    return mturk.get_hit(HITId=hit_id)["HIT"]["HITStatus"]


def reviewable_ids(mturk, **kwargs) -> list[str]:
    return [hit["HITId"] for hit in mturk.list_reviewable_hits(**kwargs)["HITs"]]


def listed_ids(mturk) -> list[str]:
    return [hit["HITId"] for hit in mturk.list_hits()["HITs"]]


def expire_now(mturk, hit_id: str) -> None:
    mturk.update_expiration_for_hit(HITId=hit_id, ExpireAt=datetime(2015, 1, 1, tzinfo=UTC))


def submitted_hit(mturk, new_worker, **overrides) -> tuple[dict, str]:
    """A one-assignment HIT whose work a worker has submitted: Reviewable, one Submitted assignment."""
    hit = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR, **overrides))["HIT"]
    worker = new_worker()
    status, accepted = worker.accept(hit["HITId"])
    assert status == 201, accepted
    assignment_id = accepted["Assignment"]["AssignmentId"]
    status, body = worker.submit(assignment_id, {"comment": "done"})
    assert status == 200, body
    return hit, assignment_id


# ---- CreateHITType ------------------------------------------------------------------------------------


def test_create_hit_type_with_the_same_properties_returns_the_same_id(mturk):
    first = mturk.create_hit_type(**TYPE_PROPERTIES)["HITTypeId"]
    second = mturk.create_hit_type(**TYPE_PROPERTIES)["HITTypeId"]

    assert first == second
    assert first.isalnum() and first.isupper() and len(first) <= 64


def test_create_hit_type_with_other_properties_returns_another_id(mturk):
    first = mturk.create_hit_type(**TYPE_PROPERTIES)["HITTypeId"]

    other_reward = mturk.create_hit_type(**{**TYPE_PROPERTIES, "Reward": "0.41"})["HITTypeId"]
    other_requirements = mturk.create_hit_type(**TYPE_PROPERTIES, QualificationRequirements=[LOCALE_US])

    assert len({first, other_reward, other_requirements["HITTypeId"]}) == 3


def test_create_hit_uses_the_hit_type_registered_with_the_same_properties(mturk):
    hit_type_id = mturk.create_hit_type(**TYPE_PROPERTIES)["HITTypeId"]

    hit = mturk.create_hit(**TYPE_PROPERTIES, LifetimeInSeconds=YEAR, Question=HTML_QUESTION)["HIT"]

    assert hit["HITTypeId"] == hit_type_id


# ---- CreateHIT -------------------------------------------------------------------------------------------


def test_create_hit_returns_an_assignable_hit_with_every_field(mturk):
    args = hit_args(
        MaxAssignments=3,
        LifetimeInSeconds=7200,
        AssignmentDurationInSeconds=600,
        AutoApprovalDelayInSeconds=259200,
        Keywords="image, label",
        RequesterAnnotation="batch-7",
        QualificationRequirements=[LOCALE_US],
    )

    hit = mturk.create_hit(**args)["HIT"]

    assert hit["HITId"].isalnum() and hit["HITId"].isupper()
    assert hit["HITGroupId"]
    assert hit["HITStatus"] == "Assignable"
    assert hit["HITReviewStatus"] == "NotReviewed"
    assert hit["Title"] == args["Title"]
    assert hit["Description"] == args["Description"]
    assert hit["Keywords"] == "image, label"
    assert hit["Reward"] == "0.25"
    assert hit["RequesterAnnotation"] == "batch-7"
    assert hit["AssignmentDurationInSeconds"] == 600
    assert hit["AutoApprovalDelayInSeconds"] == 259200
    assert hit["MaxAssignments"] == 3
    assert hit["NumberOfAssignmentsAvailable"] == 3
    assert hit["NumberOfAssignmentsPending"] == 0
    assert hit["NumberOfAssignmentsCompleted"] == 0
    assert hit["Expiration"] - hit["CreationTime"] == timedelta(seconds=7200)
    assert hit["QualificationRequirements"] == [{**LOCALE_US, "ActionsGuarded": "Accept"}]


def test_create_hit_defaults_to_one_assignment_and_thirty_days_auto_approval(mturk):
    args = hit_args()
    del args["MaxAssignments"]

    hit = mturk.create_hit(**args)["HIT"]

    assert hit["MaxAssignments"] == 1
    assert hit["NumberOfAssignmentsAvailable"] == 1
    assert hit["AutoApprovalDelayInSeconds"] == 2592000
    assert "QualificationRequirements" not in hit or hit["QualificationRequirements"] == []


def test_qualification_requirement_keeps_the_actions_guarded_it_was_given(mturk):
    guarded = {**LOCALE_US, "ActionsGuarded": "DiscoverPreviewAndAccept"}

    hit = mturk.create_hit(**hit_args(QualificationRequirements=[guarded]))["HIT"]

    assert hit["QualificationRequirements"] == [guarded]


@pytest.mark.parametrize(
    "question",
    [
        HTML_QUESTION,
        EXTERNAL_QUESTION,
        QUESTION_FORM,
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- kept -->\n' + EXTERNAL_QUESTION.replace("><", ">\n  <"),
    ],
    ids=["HTMLQuestion", "ExternalQuestion", "QuestionForm", "declaration-comment-whitespace"],
)
def test_create_hit_keeps_the_question_verbatim(mturk, question):
    hit = mturk.create_hit(**hit_args(Question=question))["HIT"]

    assert hit["Question"] == question
    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["Question"] == question


def test_create_hit_keeps_non_ascii_text(mturk):
    question = HTML_QUESTION.replace("<textarea", "<p>Qu'est-ce que c'est ? 猫 🐈</p><textarea")

    hit = mturk.create_hit(**hit_args(Title="Étiqueter une image 🐈", Question=question))["HIT"]

    fetched = mturk.get_hit(HITId=hit["HITId"])["HIT"]
    assert fetched["Title"] == "Étiqueter une image 🐈"
    assert fetched["Question"] == question


# ---- CreateHITWithHITType ------------------------------------------------------------------------------


def test_create_hit_with_hit_type_takes_the_properties_of_the_type(mturk):
    hit_type_id = mturk.create_hit_type(**TYPE_PROPERTIES, QualificationRequirements=[LOCALE_US])["HITTypeId"]

    hit = mturk.create_hit_with_hit_type(
        HITTypeId=hit_type_id, LifetimeInSeconds=YEAR, Question=QUESTION_FORM, RequesterAnnotation="row 1"
    )["HIT"]

    assert hit["HITTypeId"] == hit_type_id
    assert hit["HITStatus"] == "Assignable"
    assert hit["Title"] == TYPE_PROPERTIES["Title"]
    assert hit["Description"] == TYPE_PROPERTIES["Description"]
    assert hit["Keywords"] == TYPE_PROPERTIES["Keywords"]
    assert hit["Reward"] == "0.40"
    assert hit["AssignmentDurationInSeconds"] == 900
    assert hit["AutoApprovalDelayInSeconds"] == 86400
    assert hit["QualificationRequirements"] == [{**LOCALE_US, "ActionsGuarded": "Accept"}]
    assert hit["MaxAssignments"] == 1
    assert hit["RequesterAnnotation"] == "row 1"
    assert hit["Question"] == QUESTION_FORM
    assert hit["Expiration"] - hit["CreationTime"] == timedelta(seconds=YEAR)


def test_create_hit_with_an_unknown_hit_type_is_refused(mturk):
    error = refusal(
        mturk,
        "create_hit_with_hit_type",
        HITTypeId="3ZKGZMPFL2BM5W8V9DM2YYJQNM0EXA",
        LifetimeInSeconds=3600,
        Question=HTML_QUESTION,
    )

    assert "does not exist" in error["Error"]["Message"]
    assert mturk.list_hits()["NumResults"] == 0


# ---- GetHIT / ListHITs ---------------------------------------------------------------------------------


def test_get_hit_returns_what_create_hit_returned(mturk):
    created = mturk.create_hit(**hit_args(Keywords="a,b", RequesterAnnotation="x"))["HIT"]

    fetched = mturk.get_hit(HITId=created["HITId"])["HIT"]

    assert fetched == created


def test_get_hit_of_an_unknown_hit_says_it_does_not_exist(mturk):
    error = refusal(mturk, "get_hit", HITId="3VJ4PFXFJ5VXUC3I783DUQKOMF2UAW")

    assert error["Error"]["Message"].startswith("Hit 3VJ4PFXFJ5VXUC3I783DUQKOMF2UAW does not exist.")


def test_list_hits_lists_the_requesters_hits_oldest_first(mturk):
    created = [mturk.create_hit(**hit_args(RequesterAnnotation=str(i)))["HIT"]["HITId"] for i in range(3)]

    listed = mturk.list_hits()

    assert listed["NumResults"] == 3
    assert [hit["HITId"] for hit in listed["HITs"]] == created
    assert "NextToken" not in listed


def test_list_hits_of_a_new_requester_is_empty(mturk):
    listed = mturk.list_hits()

    assert listed["NumResults"] == 0
    assert listed["HITs"] == []
    assert "NextToken" not in listed


# ---- ListReviewableHITs ----------------------------------------------------------------------------------


def test_list_reviewable_hits_lists_only_reviewable_hits_by_default(mturk):
    open_hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]["HITId"]
    expired = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]["HITId"]
    expire_now(mturk, expired)

    assert reviewable_ids(mturk) == [expired]
    assert reviewable_ids(mturk, Status="Reviewable") == [expired]
    assert open_hit in listed_ids(mturk)


def test_list_reviewable_hits_with_status_reviewing_lists_hits_under_review(mturk):
    reviewing, reviewable = (mturk.create_hit(**hit_args())["HIT"]["HITId"] for _ in range(2))
    for hit_id in (reviewing, reviewable):
        expire_now(mturk, hit_id)
    mturk.update_hit_review_status(HITId=reviewing)

    listed = mturk.list_reviewable_hits(Status="Reviewing")

    assert [hit["HITId"] for hit in listed["HITs"]] == [reviewing]
    assert listed["HITs"][0]["HITStatus"] == "Reviewing"
    assert reviewable_ids(mturk) == [reviewable]


def test_list_reviewable_hits_filters_by_hit_type(mturk):
    first = mturk.create_hit(**hit_args(Title="First kind"))["HIT"]
    second = mturk.create_hit(**hit_args(Title="Second kind"))["HIT"]
    for hit in (first, second):
        expire_now(mturk, hit["HITId"])

    assert reviewable_ids(mturk, HITTypeId=second["HITTypeId"]) == [second["HITId"]]
    assert reviewable_ids(mturk, HITTypeId="3ZKGZMPFL2BM5W8V9DM2YYJQNM0EXA") == []


def test_list_reviewable_hits_with_an_unknown_status_is_refused(mturk):
    refusal(mturk, "list_reviewable_hits", Status="Assignable")


# ---- the status lifecycle with workers -----------------------------------------------------------------


def test_hit_is_unassignable_while_all_slots_are_taken_and_reviewable_when_all_are_submitted(
    mturk, new_worker
):
    hit_id = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR))["HIT"]["HITId"]
    workers = [new_worker(), new_worker()]
    accepted = [worker.accept(hit_id)[1]["Assignment"]["AssignmentId"] for worker in workers]

    taken = mturk.get_hit(HITId=hit_id)["HIT"]
    assert taken["HITStatus"] == "Unassignable"
    assert (taken["NumberOfAssignmentsAvailable"], taken["NumberOfAssignmentsPending"]) == (0, 2)

    workers[0].submit(accepted[0], {"comment": "one"})
    assert status_of(mturk, hit_id) == "Unassignable"
    assert reviewable_ids(mturk) == []

    workers[1].submit(accepted[1], {"comment": "two"})
    done = mturk.get_hit(HITId=hit_id)["HIT"]
    assert done["HITStatus"] == "Reviewable"
    assert (done["NumberOfAssignmentsAvailable"], done["NumberOfAssignmentsPending"]) == (0, 0)
    assert reviewable_ids(mturk) == [hit_id]


def test_a_returned_assignment_makes_the_hit_assignable_again(mturk, new_worker):
    hit_id = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]["HITId"]
    worker = new_worker()
    assignment_id = worker.accept(hit_id)[1]["Assignment"]["AssignmentId"]
    assert status_of(mturk, hit_id) == "Unassignable"

    worker.return_(assignment_id)

    hit = mturk.get_hit(HITId=hit_id)["HIT"]
    assert hit["HITStatus"] == "Assignable"
    assert (hit["NumberOfAssignmentsAvailable"], hit["NumberOfAssignmentsPending"]) == (1, 0)


def test_an_abandoned_assignment_frees_its_slot_once_its_deadline_passes(mturk, new_worker, endpoint):
    hit_id = mturk.create_hit(
        **hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR, AssignmentDurationInSeconds=60)
    )["HIT"]["HITId"]
    new_worker().accept(hit_id)

    advance_clock(endpoint, 61)

    hit = mturk.get_hit(HITId=hit_id)["HIT"]
    assert (hit["NumberOfAssignmentsAvailable"], hit["NumberOfAssignmentsPending"]) == (1, 0)
    assert hit["HITStatus"] == "Assignable"


def test_a_new_worker_takes_the_slot_of_abandoned_work_and_the_counts_stay_exact(mturk, new_worker, endpoint):
    hit_id = mturk.create_hit(
        **hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR, AssignmentDurationInSeconds=60)
    )["HIT"]["HITId"]
    late = new_worker()
    late_assignment = late.accept(hit_id)[1]["Assignment"]["AssignmentId"]
    advance_clock(endpoint, 61)

    statuses = [new_worker().accept(hit_id)[0], new_worker().accept(hit_id)[0]]

    assert statuses == [201, 201]
    hit = mturk.get_hit(HITId=hit_id)["HIT"]
    assert (hit["NumberOfAssignmentsAvailable"], hit["NumberOfAssignmentsPending"]) == (0, 2)
    assert hit["HITStatus"] == "Unassignable"
    assert late.submit(late_assignment, {"comment": "too late"})[0] == 409


def test_an_expired_hit_whose_only_pending_work_was_abandoned_is_reviewable(mturk, new_worker, endpoint):
    hit_id = mturk.create_hit(
        **hit_args(MaxAssignments=1, LifetimeInSeconds=120, AssignmentDurationInSeconds=60)
    )["HIT"]["HITId"]
    new_worker().accept(hit_id)

    advance_clock(endpoint, 121)

    assert status_of(mturk, hit_id) == "Reviewable"
    assert hit_id in reviewable_ids(mturk)


def test_hit_past_its_lifetime_is_reviewable_without_any_schedule(mturk, endpoint):
    hit_id = mturk.create_hit(**hit_args(LifetimeInSeconds=60))["HIT"]["HITId"]

    advance_clock(endpoint, 61)

    assert status_of(mturk, hit_id) == "Reviewable"
    assert reviewable_ids(mturk) == [hit_id]


def test_hit_expiring_with_work_in_progress_is_unassignable_until_the_work_is_submitted(
    mturk, new_worker, endpoint
):
    hit_id = mturk.create_hit(
        **hit_args(MaxAssignments=2, LifetimeInSeconds=60, AssignmentDurationInSeconds=3600)
    )["HIT"]["HITId"]
    worker = new_worker()
    assignment_id = worker.accept(hit_id)[1]["Assignment"]["AssignmentId"]

    advance_clock(endpoint, 61)
    assert status_of(mturk, hit_id) == "Unassignable"
    assert reviewable_ids(mturk) == []

    status, _ = worker.submit(assignment_id, {"comment": "late but in time"})
    assert status == 200
    assert status_of(mturk, hit_id) == "Reviewable"
    assert reviewable_ids(mturk) == [hit_id]


# ---- UpdateExpirationForHIT ------------------------------------------------------------------------------


def test_expiring_a_hit_without_pending_work_makes_it_reviewable(mturk):
    hit_id = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]["HITId"]

    expire_now(mturk, hit_id)

    hit = mturk.get_hit(HITId=hit_id)["HIT"]
    assert hit["HITStatus"] == "Reviewable"
    assert hit["Expiration"] < hit["CreationTime"] + timedelta(seconds=YEAR)
    assert reviewable_ids(mturk) == [hit_id]


def test_expire_at_zero_expires_the_hit_now(mturk):
    hit_id = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]["HITId"]

    mturk.update_expiration_for_hit(HITId=hit_id, ExpireAt=0)

    assert status_of(mturk, hit_id) == "Reviewable"


def test_expiring_a_hit_with_pending_work_makes_it_unassignable(mturk, new_worker):
    hit_id = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR))["HIT"]["HITId"]
    new_worker().accept(hit_id)

    expire_now(mturk, hit_id)

    assert status_of(mturk, hit_id) == "Unassignable"
    assert reviewable_ids(mturk) == []


def test_extending_a_hit_moves_its_expiration_later(mturk):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=3600))["HIT"]
    later = hit["Expiration"] + timedelta(days=2)

    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=later)

    extended = mturk.get_hit(HITId=hit["HITId"])["HIT"]
    assert extended["Expiration"] == later
    assert extended["HITStatus"] == "Assignable"


def test_extending_an_expired_hit_makes_it_assignable_again(mturk):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    expire_now(mturk, hit["HITId"])

    mturk.update_expiration_for_hit(HITId=hit["HITId"], ExpireAt=hit["Expiration"] + timedelta(days=1))

    assert status_of(mturk, hit["HITId"]) == "Assignable"
    assert reviewable_ids(mturk) == []


def test_an_expiration_cannot_be_shortened_into_the_future(mturk):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]

    refusal(
        mturk,
        "update_expiration_for_hit",
        HITId=hit["HITId"],
        ExpireAt=hit["Expiration"] - timedelta(days=30),
    )

    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["Expiration"] == hit["Expiration"]


def test_update_expiration_of_a_disposed_hit_is_refused(mturk):
    hit = mturk.create_hit(**hit_args())["HIT"]
    expire_now(mturk, hit["HITId"])
    mturk.delete_hit(HITId=hit["HITId"])

    refusal(
        mturk,
        "update_expiration_for_hit",
        HITId=hit["HITId"],
        ExpireAt=hit["Expiration"] + timedelta(days=1),
    )

    assert status_of(mturk, hit["HITId"]) == "Disposed"


def test_update_expiration_of_an_unknown_hit_says_it_does_not_exist(mturk):
    error = refusal(mturk, "update_expiration_for_hit", HITId="3VJ4PFXFJ5VXUC3I783DUQKOMF2UAW", ExpireAt=0)

    assert "does not exist" in error["Error"]["Message"]


# ---- UpdateHITReviewStatus --------------------------------------------------------------------------------


def test_update_hit_review_status_moves_a_reviewable_hit_to_reviewing_and_back(mturk):
    hit_id = mturk.create_hit(**hit_args())["HIT"]["HITId"]
    expire_now(mturk, hit_id)

    mturk.update_hit_review_status(HITId=hit_id, Revert=False)
    assert status_of(mturk, hit_id) == "Reviewing"

    mturk.update_hit_review_status(HITId=hit_id, Revert=True)
    assert status_of(mturk, hit_id) == "Reviewable"
    assert reviewable_ids(mturk) == [hit_id]


def test_update_hit_review_status_of_an_assignable_hit_is_refused_with_its_state(mturk):
    hit_id = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]["HITId"]

    error = refusal(mturk, "update_hit_review_status", HITId=hit_id)

    assert error["Error"]["Message"].startswith(
        "This HIT is currently in the state 'Assignable'.  This operation can be called with a status of: Reviewable"
    )
    assert status_of(mturk, hit_id) == "Assignable"


def test_reverting_a_hit_that_is_not_being_reviewed_is_refused_with_its_state(mturk):
    hit_id = mturk.create_hit(**hit_args())["HIT"]["HITId"]
    expire_now(mturk, hit_id)

    error = refusal(mturk, "update_hit_review_status", HITId=hit_id, Revert=True)

    assert error["Error"]["Message"].startswith(
        "This HIT is currently in the state 'Reviewable'.  This operation can be called with a status of: Reviewing"
    )


def test_marking_a_hit_for_review_twice_is_refused(mturk):
    hit_id = mturk.create_hit(**hit_args())["HIT"]["HITId"]
    expire_now(mturk, hit_id)
    mturk.update_hit_review_status(HITId=hit_id)

    error = refusal(mturk, "update_hit_review_status", HITId=hit_id)

    assert "currently in the state 'Reviewing'" in error["Error"]["Message"]


# ---- UpdateHITTypeOfHIT -----------------------------------------------------------------------------------


def test_update_hit_type_of_hit_gives_the_hit_the_new_types_properties(mturk):
    hit = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]
    new_type = mturk.create_hit_type(**TYPE_PROPERTIES, QualificationRequirements=[LOCALE_US])["HITTypeId"]

    mturk.update_hit_type_of_hit(HITId=hit["HITId"], HITTypeId=new_type)

    changed = mturk.get_hit(HITId=hit["HITId"])["HIT"]
    assert changed["HITTypeId"] == new_type
    assert changed["Title"] == TYPE_PROPERTIES["Title"]
    assert changed["Description"] == TYPE_PROPERTIES["Description"]
    assert changed["Keywords"] == TYPE_PROPERTIES["Keywords"]
    assert changed["Reward"] == "0.40"
    assert changed["AssignmentDurationInSeconds"] == 900
    assert changed["AutoApprovalDelayInSeconds"] == 86400
    assert changed["QualificationRequirements"] == [{**LOCALE_US, "ActionsGuarded": "Accept"}]
    assert changed["Question"] == hit["Question"]
    assert changed["Expiration"] == hit["Expiration"]
    assert changed["HITStatus"] == "Assignable"


def test_update_hit_type_of_hit_to_an_unknown_type_is_refused(mturk):
    hit = mturk.create_hit(**hit_args())["HIT"]

    error = refusal(
        mturk, "update_hit_type_of_hit", HITId=hit["HITId"], HITTypeId="3ZKGZMPFL2BM5W8V9DM2YYJQNM0EXA"
    )

    assert "does not exist" in error["Error"]["Message"]
    assert mturk.get_hit(HITId=hit["HITId"])["HIT"]["HITTypeId"] == hit["HITTypeId"]


# ---- CreateAdditionalAssignmentsForHIT ---------------------------------------------------------------------


def test_additional_assignments_grow_max_assignments_and_available_slots(mturk):
    hit_id = mturk.create_hit(**hit_args(MaxAssignments=2, LifetimeInSeconds=YEAR))["HIT"]["HITId"]

    mturk.create_additional_assignments_for_hit(HITId=hit_id, NumberOfAdditionalAssignments=3)

    hit = mturk.get_hit(HITId=hit_id)["HIT"]
    assert hit["MaxAssignments"] == 5
    assert hit["NumberOfAssignmentsAvailable"] == 5
    assert hit["HITStatus"] == "Assignable"


def test_additional_assignments_make_a_fully_submitted_hit_assignable_again(mturk, new_worker):
    hit, _ = submitted_hit(mturk, new_worker)
    assert status_of(mturk, hit["HITId"]) == "Reviewable"

    mturk.create_additional_assignments_for_hit(HITId=hit["HITId"], NumberOfAdditionalAssignments=1)

    extended = mturk.get_hit(HITId=hit["HITId"])["HIT"]
    assert extended["HITStatus"] == "Assignable"
    assert (extended["MaxAssignments"], extended["NumberOfAssignmentsAvailable"]) == (2, 1)
    assert reviewable_ids(mturk) == []


def test_additional_assignments_on_an_expired_hit_leave_it_reviewable(mturk):
    hit_id = mturk.create_hit(**hit_args(MaxAssignments=1))["HIT"]["HITId"]
    expire_now(mturk, hit_id)

    mturk.create_additional_assignments_for_hit(HITId=hit_id, NumberOfAdditionalAssignments=1)

    hit = mturk.get_hit(HITId=hit_id)["HIT"]
    assert (hit["HITStatus"], hit["MaxAssignments"]) == ("Reviewable", 2)


def test_additional_assignments_cannot_take_a_hit_from_below_ten_to_ten(mturk):
    hit_id = mturk.create_hit(**hit_args(MaxAssignments=9))["HIT"]["HITId"]

    error = refusal(
        mturk, "create_additional_assignments_for_hit", HITId=hit_id, NumberOfAdditionalAssignments=1
    )

    assert error["TurkErrorCode"] == "AWS.MechanicalTurk.InvalidMaximumAssignmentsIncrease"
    assert mturk.get_hit(HITId=hit_id)["HIT"]["MaxAssignments"] == 9


def test_a_hit_created_with_ten_assignments_can_be_extended(mturk):
    hit_id = mturk.create_hit(**hit_args(MaxAssignments=10))["HIT"]["HITId"]

    mturk.create_additional_assignments_for_hit(HITId=hit_id, NumberOfAdditionalAssignments=5)

    assert mturk.get_hit(HITId=hit_id)["HIT"]["MaxAssignments"] == 15


@pytest.mark.parametrize("count", [999_999_991, 2**31, 10**20])
def test_additional_assignments_cannot_take_a_hit_past_a_billion_assignments(mturk, count):
    hit_id = mturk.create_hit(**hit_args(MaxAssignments=10))["HIT"]["HITId"]

    refusal(mturk, "create_additional_assignments_for_hit", HITId=hit_id, NumberOfAdditionalAssignments=count)

    assert mturk.get_hit(HITId=hit_id)["HIT"]["MaxAssignments"] == 10


@pytest.mark.parametrize("count", [0, -1])
def test_additional_assignments_must_be_at_least_one(mturk, count):
    hit_id = mturk.create_hit(**hit_args(MaxAssignments=2))["HIT"]["HITId"]

    refusal(mturk, "create_additional_assignments_for_hit", HITId=hit_id, NumberOfAdditionalAssignments=count)

    assert mturk.get_hit(HITId=hit_id)["HIT"]["MaxAssignments"] == 2


def test_additional_assignments_for_a_disposed_hit_are_refused(mturk):
    hit_id = mturk.create_hit(**hit_args())["HIT"]["HITId"]
    expire_now(mturk, hit_id)
    mturk.delete_hit(HITId=hit_id)

    refusal(mturk, "create_additional_assignments_for_hit", HITId=hit_id, NumberOfAdditionalAssignments=1)


def test_additional_assignments_for_an_unknown_hit_say_it_does_not_exist(mturk):
    error = refusal(
        mturk,
        "create_additional_assignments_for_hit",
        HITId="311HQEI8RSPHPKL05J2BY6UEZVE7Z0",
        NumberOfAdditionalAssignments=1,
    )

    assert error["Error"]["Message"].startswith("Hit 311HQEI8RSPHPKL05J2BY6UEZVE7Z0 does not exist.")


# ---- DeleteHIT --------------------------------------------------------------------------------------------


def test_deleting_an_assignable_hit_is_refused_with_its_state(mturk):
    hit_id = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]["HITId"]

    error = refusal(mturk, "delete_hit", HITId=hit_id)

    assert error["Error"]["Message"].startswith(
        "This HIT is currently in the state 'Assignable'.  This operation can be called with a status of: Reviewing, Reviewable"
    )
    assert status_of(mturk, hit_id) == "Assignable"


def test_deleting_a_hit_with_work_in_progress_is_refused(mturk, new_worker):
    hit_id = mturk.create_hit(**hit_args(MaxAssignments=1, LifetimeInSeconds=YEAR))["HIT"]["HITId"]
    new_worker().accept(hit_id)
    expire_now(mturk, hit_id)

    error = refusal(mturk, "delete_hit", HITId=hit_id)

    assert "currently in the state 'Unassignable'" in error["Error"]["Message"]


def test_deleting_a_reviewable_hit_with_submitted_work_is_refused(mturk, new_worker):
    hit, _ = submitted_hit(mturk, new_worker)

    error = refusal(mturk, "delete_hit", HITId=hit["HITId"])

    assert error["Error"]["Message"].startswith(
        "This HIT is currently in the state 'Reviewable'.  This operation can be called with a status of: Reviewing, Reviewable"
    )
    assert status_of(mturk, hit["HITId"]) == "Reviewable"


def test_deleting_a_reviewable_hit_disposes_of_it(mturk):
    kept = mturk.create_hit(**hit_args(LifetimeInSeconds=YEAR))["HIT"]["HITId"]
    hit_id = mturk.create_hit(**hit_args())["HIT"]["HITId"]
    expire_now(mturk, hit_id)

    mturk.delete_hit(HITId=hit_id)

    assert status_of(mturk, hit_id) == "Disposed"
    assert listed_ids(mturk) == [kept]
    assert mturk.list_hits()["NumResults"] == 1
    assert reviewable_ids(mturk) == []


def test_deleting_a_reviewing_hit_disposes_of_it(mturk):
    hit_id = mturk.create_hit(**hit_args())["HIT"]["HITId"]
    expire_now(mturk, hit_id)
    mturk.update_hit_review_status(HITId=hit_id)

    mturk.delete_hit(HITId=hit_id)

    assert status_of(mturk, hit_id) == "Disposed"
    assert reviewable_ids(mturk, Status="Reviewing") == []
    assert listed_ids(mturk) == []


def test_deleting_a_hit_twice_is_harmless(mturk):
    hit_id = mturk.create_hit(**hit_args())["HIT"]["HITId"]
    expire_now(mturk, hit_id)
    mturk.delete_hit(HITId=hit_id)

    mturk.delete_hit(HITId=hit_id)

    assert status_of(mturk, hit_id) == "Disposed"


def test_a_disposed_hit_cannot_be_marked_for_review(mturk):
    hit_id = mturk.create_hit(**hit_args())["HIT"]["HITId"]
    expire_now(mturk, hit_id)
    mturk.delete_hit(HITId=hit_id)

    error = refusal(mturk, "update_hit_review_status", HITId=hit_id)

    assert "currently in the state 'Disposed'" in error["Error"]["Message"]


def test_delete_of_an_unknown_hit_says_it_does_not_exist(mturk):
    error = refusal(mturk, "delete_hit", HITId="36818Z1KV5CDQ807J1UQ45304AOA3Z")

    assert error["Error"]["Message"].startswith("Hit 36818Z1KV5CDQ807J1UQ45304AOA3Z does not exist.")
