"""The worker's qualifications page: what they hold (with scores), their profile (Locale and Adult, which
the system qualifications read), the types they may request, and the qualification tests.

Every action calls the domain function the worker API calls: qualification_requests.request (as
POST /worker/api/qualification-types/{id}/request) and workers.update_profile (as PUT /worker/api/profile).
"""

from typing import Any

from openturk.domain import qualification_requests, qualification_scores, workers
from openturk.domain import system_qualifications as system
from openturk.domain.errors import DomainError, InvalidParameter
from openturk.web import questions, render
from openturk.web.pages import PageCaller, PageRequest

_DONE = {
    "granted": "The qualification was granted.",
    "pending": "Your request was sent. The qualification is pending the requester's review.",
    "profile": "Your profile was saved.",
}


def page(
    request: PageRequest, caller: PageCaller, alert: str = "", status: int = 200, **shown: Any
) -> dict[str, Any]:
    held = qualification_scores.qualifications_of_worker(caller.worker_id, caller.now)
    types, token = qualification_requests.requestable_types(request.query.get("NextToken"))
    wanted = request.query.get("type")  # a HIT's page links to the type it needs: shown first
    if wanted:
        try:
            first = qualification_requests.requestable_type(wanted)
            types = [first] + [t for t in types if t["QualificationTypeId"] != wanted]
        except DomainError:
            pass  # no longer requestable: the list as it is
    values = {q["QualificationTypeId"]: q for q in held}
    return render.page(
        "qualifications.html",
        status,
        caller=caller,
        title="Qualifications",
        held=held,
        types=[{**t, "Held": values.get(t["QualificationTypeId"])} for t in types],
        next_token=token,
        profile=shown.get("profile") or workers.profile(caller.worker_id),
        countries=sorted(system.COUNTRIES),
        notice=_DONE.get(request.query.get("done", ""), ""),
        alert=alert,
    )


def _test_page(
    caller: PageCaller, qtype: dict[str, Any], deadline: float | None, alert: str = "", status: int = 200
) -> dict[str, Any]:
    return render.page(
        "qualification_test.html",
        status,
        caller=caller,
        title=qtype["Name"],
        qtype=qtype,
        question=questions.read(qtype["Test"]),
        deadline=deadline,
        alert=alert,
        work=True,
    )


def request_qualification(request: PageRequest, caller: PageCaller) -> dict[str, Any]:
    """The Request button (a type without a test), Take the test (starts the attempt and shows the test),
    and the test's answers (step=answers: scored at once where the type has an answer key)."""
    type_id = request.params["QualificationTypeId"]
    try:
        qtype = qualification_requests.requestable_type(type_id)
        if request.field("step") != "answers":
            started = qualification_requests.request(caller.worker_id, type_id, {}, caller.now)
            if started["Status"] == "Started":
                return _test_page(caller, qtype, started.get("TestDeadline"))
            return render.redirect(f"/worker/qualifications?done={started['Status'].lower()}")
        if "Test" not in qtype:
            raise InvalidParameter("This qualification has no test: request it with its Request button.")
        try:
            answers, _ = questions.answers(questions.read(qtype["Test"]), request.form)
        except InvalidParameter as error:  # the attempt stays open: the test again, with the reason
            return _test_page(caller, qtype, None, alert=error.message, status=400)
        result = qualification_requests.request(caller.worker_id, type_id, {"Answers": answers}, caller.now)
    except DomainError as error:
        request.query["type"] = type_id  # the type the refusal is about, first on the page
        return page(request, caller, alert=error.message, status=error.status)
    return render.page(
        "qualification_result.html", caller=caller, title=qtype["Name"], qtype=qtype, result=result
    )


def _profile_given(form: PageRequest) -> dict[str, Any]:
    country = form.field("country").strip().upper()
    subdivision = form.field("subdivision").strip().upper()
    locale: dict[str, str] | None = None
    if country:
        locale = {"Country": country, **({"Subdivision": subdivision} if subdivision else {})}
    elif subdivision:
        raise InvalidParameter("Choose a country for the subdivision.")
    return {"Locale": locale, "Adult": form.field("adult") == "yes"}


def update_profile(request: PageRequest, caller: PageCaller) -> dict[str, Any]:
    try:
        workers.update_profile(caller.worker_id, _profile_given(request))
    except InvalidParameter as error:
        given = {
            "Locale": {"Country": request.field("country"), "Subdivision": request.field("subdivision")},
            "Adult": request.field("adult") == "yes",
        }
        return page(request, caller, alert=error.message, status=400, profile=given)
    return render.redirect("/worker/qualifications?done=profile#profile")
