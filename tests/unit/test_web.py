"""The web app's pieces that need no AWS: QuestionForm answers, HTMLQuestion substitutions, the deployed
sign-in's answers to what the user pool says."""

import boto3
import pytest
from botocore.stub import Stubber

from openturk.domain.errors import InvalidParameter
from openturk.web import content, questions, sign_in
from openturk.web.pages import PageRequest
from tests.e2e.questions import QUESTION_FORM


def form(**fields) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in fields.items()}


def test_question_form_answers_keep_selections_apart_from_free_text():
    question = questions.read(QUESTION_FORM)
    answers, selections = questions.answers(
        question, form(caption="ok", animals=["cat", "dog"], mood="sad", light="", csrf="x")
    )
    assert answers == {"caption": "ok", "animals": ["cat", "dog"], "mood": "sad"}
    assert selections == {"animals", "mood"}


@pytest.mark.parametrize(
    "fields, reason",
    [
        ({"animals": "cat"}, "needs an answer"),  # the caption is required
        ({"caption": "x", "animals": "lion"}, "options offered"),
        ({"caption": "x", "mood": ["happy", "sad"]}, "between 1 and 1"),
        ({"caption": "x", "animals": ["cat", "dog", "bird", "cat"]}, "between 1 and 3"),
    ],
)
def test_question_form_answers_outside_the_form_are_refused(fields, reason):
    with pytest.raises(InvalidParameter, match=reason):
        questions.answers(questions.read(QUESTION_FORM), form(**fields))


def test_html_question_posts_to_this_deployment_and_gets_the_turk_helpers():
    html = (
        "<html><head><title>t</title></head><body><form action='https://www.mturk.com/mturk/externalSubmit'>"
    )
    served = content.substituted(html, "https://app.example")
    assert "action='https://app.example/mturk/externalSubmit'" in served
    assert served.index("turkGetParam") < served.index("<title>")


@pytest.fixture
def deployed(monkeypatch):
    monkeypatch.setattr(sign_in.config, "LOCAL", False)
    monkeypatch.setenv("OPENTURK_USER_POOL_CLIENT_ID", "client")
    client = boto3.client("cognito-idp", region_name="us-east-1")
    monkeypatch.setattr(boto3, "client", lambda *a, **k: client)
    registered = []
    monkeypatch.setattr(sign_in.workers, "register", lambda *args: registered.append(args))
    with Stubber(client) as stub:
        yield stub, registered


def post(name: str, password: str) -> dict:
    request = PageRequest("POST", "/worker/sign-in", {}, {}, form(name=name, password=password), {})
    return sign_in.submit(request)


def test_deployed_sign_in_refuses_a_wrong_password_without_saying_which_part(deployed):
    stub, registered = deployed
    stub.add_client_error("initiate_auth", "NotAuthorizedException", "Incorrect username or password.")
    response = post("alice", "wrong")
    assert response["statusCode"] == 401 and "not right" in response["body"]
    assert "Set-Cookie" not in response["headers"] and registered == []


def test_deployed_sign_in_sets_the_session_cookie_to_the_pools_id_token(deployed, monkeypatch):
    stub, registered = deployed
    stub.add_response("initiate_auth", {"AuthenticationResult": {"IdToken": "id.token.value"}})
    monkeypatch.setattr(
        sign_in.session,
        "verify",
        lambda token: {"sub": "s-1", "cognito:username": "alice"} if token else None,
    )
    response = post("alice@example.org", "right")
    assert response["statusCode"] == 303 and response["headers"]["Location"] == "/worker/"
    assert response["headers"]["Set-Cookie"].startswith("openturk_worker=id.token.value;")
    assert registered[0][1] == "alice"
