"""What each page shows, from the domain's functions; the handlers in functions/worker_page_*.py call these."""

from typing import Any
from urllib.parse import quote, urlsplit

from openturk import config
from openturk.data import base as db
from openturk.data.assignments import ACCEPTED
from openturk.data.hits import Hit
from openturk.domain import (
    assignments,
    clock,
    earnings,
    hits,
    market_groups,
    marketplace,
    messages,
    money,
    qualification_scores,
)
from openturk.domain.errors import (
    AssignmentNotFound,
    DomainError,
    HitNotFound,
    QualificationRequirementsNotMet,
    WorkerBlocked,
)
from openturk.edge.http import headers_of
from openturk.web import content as frame
from openturk.web import preview, questions, render
from openturk.web import requirements as requirement_views
from openturk.web.pages import PageCaller, PageRequest

_STATUS_ORDER = ("Accepted", "Submitted", "Approved", "Rejected", "Returned", "Abandoned")


def origin(request: PageRequest) -> str:
    """This deployment's web origin as the browser sees it (deployed, the front door's host)."""
    headers = headers_of(request.event)
    # Deployed, CloudFront's function passes the viewer's host (API Gateway sees its own in Host).
    host = headers.get("x-openturk-web-host") or headers.get("host", "")
    return ("http://" if config.LOCAL else "https://") + host


def safe_next(path: str) -> str:
    """Where to go after signing in: a path of this app only, never another site."""
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not path.startswith("/worker/") or path.startswith("//"):
        return "/worker/"
    return path


def marketplace_page(request: PageRequest, caller: PageCaller) -> dict[str, Any]:
    found, token = market_groups.groups(caller.worker_id, caller.now, request.query.get("NextToken"))
    notice = {"returned": "The HIT was returned.", "submitted": "Your work was submitted. Thank you!"}.get(
        request.query.get("done", "")
    )
    if notice and request.query.get("group") == "empty":
        notice += " That group has no more HITs for you."
    return render.page(
        "marketplace.html", caller=caller, title="HITs", groups=found, next_token=token, notice=notice
    )


def _terms(hit: Hit, now: float) -> dict[str, Any]:
    return {
        "hit": hit,
        "available": hits.slots(hit, now)[0],
        "requester_name": market_groups.requester_name(hit.requester_id),
    }


def _frame_src(
    request: PageRequest, question: questions.Question, hit: Hit, assignment_id: str | None, worker_id: str
) -> str:
    parameters = questions.frame_parameters(assignment_id, hit.hit_id, worker_id, origin(request))
    if question.kind == "external":
        return questions.external_src(question.external_url, parameters)
    if question.kind == "html":
        return f"/worker/content/{hit.hit_id}?{parameters}"
    return ""


def hit_page(request: PageRequest, caller: PageCaller, refused: str = "") -> dict[str, Any]:
    """The HIT before accepting it, as its QualificationRequirements allow (marketplace.access_to): a
    Discover-guarded HIT the worker is not qualified for does not exist for them; a Preview-guarded one is
    shown without its question, with the qualifications it needs."""
    hit = assignments.worker_hit(request.params["HITId"])
    mine = db.batch_get((assignments.Assignment, assignments.assignment_id(hit.hit_id, caller.worker_id)))[0]
    if mine is not None and mine.status == ACCEPTED and caller.now < mine.deadline:
        return render.redirect(f"/worker/assignments/{mine.assignment_id}")
    access, scores = marketplace.access_to(caller.worker_id, hit)
    needed = requirement_views.described(hit.qualification_requirements, scores)
    can_accept, why = True, ""
    if mine is not None:
        can_accept, why = False, "You have already worked on this HIT; a HIT can be worked on once."
    elif not access.preview:
        can_accept, why = False, "You need the qualifications below to see this HIT's task and to accept it."
    elif not access.accept and all(r["Met"] for r in needed):
        can_accept, why = False, "The requester of this HIT has blocked you from working on its HITs."
    elif not access.accept:
        can_accept, why = False, "You need the qualifications below to accept this HIT."
    elif hits.status(hit, caller.now) != hits.ASSIGNABLE:
        can_accept, why = False, "This HIT is no longer available."
    question = questions.read(hit.question) if access.preview else None
    return render.page(
        "hit.html",
        403 if refused else 200,
        caller=caller,
        title=hit.title,
        question=question,
        frame_src=_frame_src(request, question, hit, None, caller.worker_id) if question else "",
        can_accept=can_accept,
        cannot_accept=refused or why,
        requirements=needed,
        requester_preview=False,
        work=False,
        **_terms(hit, caller.now),
    )


def _signed(request: PageRequest, hit_id: str, now: float) -> Hit | None:
    """The HIT a requester's signed preview link names, or None when the link is not valid."""
    hit = hits.load(hit_id) if assignments.HIT_ID.fullmatch(hit_id) else None
    if hit is None or not preview.valid({**request.query, "hit": hit_id}, hit.requester_id, now):
        return None
    return hit


def requester_preview_page(request: PageRequest) -> dict[str, Any]:
    """The signed preview link: the HIT as a worker sees it before accepting, for its requester."""
    hit_id = request.params["HITId"]
    now = clock.now()
    hit = _signed(request, hit_id, now)
    if hit is None:
        raise HitNotFound(hit_id[:64])
    question = questions.read(hit.question)
    src = _frame_src(request, question, hit, None, "")
    if question.kind == "html":
        src += "&" + preview.passed_on(request.query)
    return render.page(
        "hit.html",
        caller=None,
        title=hit.title,
        question=question,
        frame_src=src,
        can_accept=False,
        cannot_accept="",
        requirements=[],
        requester_preview=True,
        work=False,
        **_terms(hit, now),
    )


def content(request: PageRequest, caller: PageCaller | None) -> dict[str, Any]:
    """An HTMLQuestion's HTML for its sandboxed frame: for a signed-in worker, or a signed preview link."""
    hit_id = request.params["HITId"]
    if caller is not None:
        hit = assignments.worker_hit(hit_id)
        _may_see_question(caller, hit)
    else:
        signed = _signed(request, hit_id, clock.now())
        if signed is None:
            return render.redirect("/worker/sign-in")
        hit = signed
    question = questions.read(hit.question)
    if question.kind != "html":
        raise HitNotFound(hit_id)
    return frame.response(question.html, origin(request))


def _may_see_question(caller: PageCaller, hit: Hit) -> None:
    """A Preview-guarded HIT's question is for workers who meet its requirements, or who hold an assignment
    of it (they met them when they accepted)."""
    if not hit.qualification_requirements:
        return
    access, _ = marketplace.access_to(caller.worker_id, hit)
    if not access.preview:
        key = (assignments.Assignment, assignments.assignment_id(hit.hit_id, caller.worker_id))
        if db.batch_get(key)[0] is None:
            raise HitNotFound(hit.hit_id)


def _own_assignment(caller: PageCaller, assignment_id: str) -> tuple[Any, Hit]:
    """The caller's own assignment; another worker's does not exist for them."""
    assignment, hit = assignments.load_with_hit(assignment_id)
    if assignment.worker_id != caller.worker_id:
        raise AssignmentNotFound(assignment_id)
    return assignment, hit


def work_page(request: PageRequest, caller: PageCaller, notice: str = "") -> dict[str, Any]:
    assignment, hit = _own_assignment(caller, request.params["AssignmentId"])
    status = assignments.worker_view(assignment, caller.now)["AssignmentStatus"]
    question = questions.read(hit.question)
    then = "next" if request.query.get("then") == "next" or request.field("then") == "next" else ""
    return render.page(
        "work.html",
        caller=caller,
        title=hit.title,
        assignment=assignment,
        assignment_status=status,
        question=question,
        frame_src=_frame_src(request, question, hit, assignment.assignment_id, caller.worker_id),
        then=then,
        notice=notice,
        work=status == ACCEPTED,
        **_terms(hit, caller.now),
    )


def accept(request: PageRequest, caller: PageCaller, hit_id: str) -> dict[str, Any]:
    try:
        assignment = assignments.accept(caller.worker_id, hit_id, caller.now)
    except (QualificationRequirementsNotMet, WorkerBlocked) as refused:
        # The HIT's page again, saying what is missing (its own checks say the same).
        return hit_page(request, caller, refused=refused.message)
    suffix = "?then=next" if request.field("then") == "next" else ""
    return render.redirect(f"/worker/assignments/{assignment.assignment_id}{suffix}")


def after_submit(request: PageRequest, caller: PageCaller, hit: Hit) -> dict[str, Any]:
    """Back to the marketplace, or (accept and work on the next HIT in this group) into the next HIT."""
    if request.field("then") == "next":
        try:
            next_hit = market_groups.next_in_group(caller.worker_id, hit.hit_type_id, caller.now)
            assignment = assignments.accept(caller.worker_id, next_hit, caller.now)
            return render.redirect(f"/worker/assignments/{assignment.assignment_id}?then=next")
        except DomainError:
            return render.redirect("/worker/?done=submitted&group=empty")
    return render.redirect("/worker/?done=submitted")


def submit_form(request: PageRequest, caller: PageCaller) -> dict[str, Any]:
    assignment, hit = _own_assignment(caller, request.params["AssignmentId"])
    question = questions.read(hit.question)
    try:
        answers, selections = questions.answers(question, request.form)
    except DomainError as error:
        page = work_page(request, caller)
        page["statusCode"] = 400
        page["body"] = page["body"].replace(
            '<p class="muted">Assignment',
            f'<div class="alert" role="alert">{_escape(error.message)}</div>\n<p class="muted">Assignment',
            1,
        )
        return page
    assignments.submit(caller.worker_id, assignment.assignment_id, answers, caller.now, selections)
    return after_submit(request, caller, hit)


def _escape(text: str) -> str:
    import markupsafe

    return str(markupsafe.escape(text))


def continue_after_frame(request: PageRequest, caller: PageCaller) -> dict[str, Any]:
    """After an HTMLQuestion or ExternalQuestion frame posted its form: on only if it really did."""
    assignment, hit = _own_assignment(caller, request.params["AssignmentId"])
    if assignment.status == ACCEPTED:
        return render.redirect(f"/worker/assignments/{assignment.assignment_id}")
    return after_submit(request, caller, hit)


def return_assignment(request: PageRequest, caller: PageCaller) -> dict[str, Any]:
    assignments.return_(caller.worker_id, request.params["AssignmentId"], caller.now)
    return render.redirect("/worker/?done=returned")


def dashboard(request: PageRequest, caller: PageCaller) -> dict[str, Any]:
    found, token = assignments.list_for_worker(caller.worker_id, request.query.get("NextToken"))
    titles = (
        {h.hit_id: h for h in db.batch_get(*[(Hit, a.hit_id) for a in found]) if h is not None}
        if found
        else {}
    )
    rows: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for assignment in found:
        status = assignments.worker_view(assignment, caller.now)["AssignmentStatus"]
        counts[status] = counts.get(status, 0) + 1
        hit = titles.get(assignment.hit_id)
        rows.append(
            {
                "assignment_id": assignment.assignment_id,
                "status": status,
                "title": hit.title if hit else assignment.hit_id,
                "reward": ("$" + money.format(int(hit.reward_cents))) if hit else "",
                "accepted": assignment.accept_time,
            }
        )
    inbox, _ = messages.inbox(caller.worker_id, None, limit=5)
    return render.page(
        "dashboard.html",
        caller=caller,
        title="Dashboard",
        earnings=earnings.summary(caller.worker_id, None, caller.now),
        rows=rows,
        counts=sorted(
            counts.items(), key=lambda kv: _STATUS_ORDER.index(kv[0]) if kv[0] in _STATUS_ORDER else 99
        ),
        messages=_messages(inbox),
        qualifications=qualification_scores.qualifications_of_worker(caller.worker_id, caller.now),
        next_token=token,
        notice="",
    )


def _messages(found: list[Any]) -> list[dict[str, Any]]:
    names = market_groups.requester_names([m.requester_id for m in found])
    return [
        {
            "subject": m.subject,
            "text": m.text,
            "requester": names[m.requester_id],
            "sent_at": m.sent_at,
        }
        for m in found
    ]


def messages_page(request: PageRequest, caller: PageCaller) -> dict[str, Any]:
    found, token = messages.inbox(caller.worker_id, request.query.get("NextToken"))
    return render.page(
        "messages.html",
        caller=caller,
        title="Messages",
        messages=_messages(found),
        next_token=token,
    )


def sign_in_location(next_path: str) -> str:
    return "/worker/sign-in?next=" + quote(safe_next(next_path), safe="/")
