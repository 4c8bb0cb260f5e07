"""The web app's pages may touch what the worker API routes they stand in for touch (infra/ grants each
function exactly its route's tables, so a missing table is an AccessDenied only once deployed)."""

from openturk.edge.routes import WORKER

ROUTES = {route.module: route for route in WORKER}


def tables(module: str) -> set[str]:
    return set(ROUTES[module].reads) | set(ROUTES[module].writes)


def test_pages_that_show_or_accept_a_hit_read_the_workers_scores_as_the_api_does():
    for page in ("worker_page_hit", "worker_page_content", "worker_page_marketplace"):
        assert tables("worker_get_hit") - {"hits"} <= tables(page), page
    for page in ("worker_page_accept", "worker_page_submit", "worker_page_continue"):
        assert tables("worker_accept_hit") <= tables(page), page


def test_the_qualification_pages_touch_what_their_api_twins_touch():
    assert ROUTES["worker_page_request_qualification"].writes == ROUTES["worker_request_qualification"].writes
    assert tables("worker_request_qualification") <= tables("worker_page_request_qualification")
    assert ROUTES["worker_page_profile"].writes == ROUTES["worker_update_profile"].writes
    assert tables("worker_list_qualifications") <= tables("worker_page_qualifications")
    assert tables("worker_list_qualifications") <= tables("worker_page_dashboard")
    paths = {ROUTES[m].method + " " + ROUTES[m].path for m in ROUTES if m.startswith("worker_page_")}
    assert {
        "GET /worker/qualifications",
        "POST /worker/qualifications/{QualificationTypeId}/request",
        "POST /worker/profile",
    } <= paths
