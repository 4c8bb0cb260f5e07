"""Projects: HIT type properties plus an HTML template with ${column} placeholders, kept in the batch
bucket at requesters/<RequesterId>/projects/<name>.json. A project is also a HIT layout: its HITLayoutId
works in CreateHIT with HITLayoutParameters, as MTurk's layouts do."""

import html
import json
import re
from typing import Any

from pynamodb.exceptions import DoesNotExist

from openturk.data.batches import Project
from openturk.domain import hit_terms, ids, questions
from openturk.domain.errors import HitLayoutNotFound, InvalidParameter

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")
REQUIRED = ("Title", "Description", "Reward", "AssignmentDurationInSeconds", "LifetimeInSeconds", "Template")
OPTIONAL = ("Keywords", "MaxAssignments", "AutoApprovalDelayInSeconds", "QualificationRequirements")
_INTEGERS = (
    "MaxAssignments",
    "AssignmentDurationInSeconds",
    "LifetimeInSeconds",
    "AutoApprovalDelayInSeconds",
)
_HTML_QUESTION = (
    '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/'
    'HTMLQuestion.xsd"><HTMLContent><![CDATA[{content}]]></HTMLContent><FrameHeight>0</FrameHeight>'
    "</HTMLQuestion>"
)


def check_name(name: str, what: str = "project") -> str:
    if not NAME.match(name or ""):
        raise InvalidParameter(
            f"{name!r} is not a {what} name: use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit."
        )
    return name


def layout_id(requester_id: str, name: str) -> str:
    return ids.derived_id("layout", requester_id, name)


def parse(requester_id: str, data: bytes, now: float) -> tuple[dict[str, Any], str]:
    """A project file's (properties, template), checked as CreateHIT checks its request."""
    try:
        project = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidParameter(f"The project file is not JSON: {error}") from None
    if not isinstance(project, dict):
        raise InvalidParameter("The project file must be a JSON object.")
    missing = [name for name in REQUIRED if name not in project]
    unknown = sorted(set(project) - set(REQUIRED) - set(OPTIONAL))
    if missing:
        raise InvalidParameter(f"The project file lacks {', '.join(missing)}.")
    if unknown:
        raise InvalidParameter(f"The project file has fields MTurk's projects do not: {', '.join(unknown)}.")
    for name in _INTEGERS:
        if name in project and (not isinstance(project[name], int) or isinstance(project[name], bool)):
            raise InvalidParameter(f"{name} must be a whole number.")
    for name in ("Title", "Description", "Reward", "Keywords", "Template"):
        if name in project and not isinstance(project[name], str):
            raise InvalidParameter(f"{name} must be a string.")
    if project.get("QualificationRequirements") is not None and not isinstance(
        project["QualificationRequirements"], list
    ):
        raise InvalidParameter("QualificationRequirements must be a list.")
    template = project.pop("Template")
    properties = {"MaxAssignments": 1, **project}
    hit_terms.type_properties(requester_id, properties, now)  # raises what CreateHIT would
    sample = {name: "x" for name in columns(template)}
    questions.parse(question(template, sample))  # the template makes a valid HTMLQuestion
    return properties, template


def columns(template: str) -> list[str]:
    """The placeholders a template uses, in order of first use."""
    return list(dict.fromkeys(PLACEHOLDER.findall(template)))


def render(template: str, values: dict[str, str]) -> str:
    """The template with each ${name} replaced by its value, HTML-escaped (as MTurk's layouts do)."""
    return PLACEHOLDER.sub(lambda match: html.escape(values[match.group(1)], quote=True), template)


def question(template: str, values: dict[str, str]) -> str:
    """The HTMLQuestion a layout makes for one set of values."""
    content = render(template, values)
    if "<html" not in content.lower():
        content = f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{content}</body></html>"
    return _HTML_QUESTION.format(content=content.replace("]]>", "]]]]><![CDATA[>"))


def register(requester_id: str, name: str, data: bytes, now: float) -> Project:
    """Keep a project's properties where CreateHIT finds them by HITLayoutId."""
    check_name(name)
    properties, template = parse(requester_id, data, now)
    project = Project(
        layout_id(requester_id, name),
        requester_id=requester_id,
        name=name,
        properties=properties,
        template=template,
        updated_at=now,
    )
    project.save()
    return project


def get(requester_id: str, hit_layout_id: str) -> Project:
    try:
        project = Project.get(hit_layout_id)
    except DoesNotExist:
        raise HitLayoutNotFound(hit_layout_id) from None
    if project.requester_id != requester_id:
        raise HitLayoutNotFound(hit_layout_id)
    return project


def list_projects(requester_id: str) -> list[dict[str, Any]]:
    """A requester's projects by name: one Query (a requester has few)."""
    return [to_wire(project) for project in Project.by_requester.query(requester_id)]


def to_wire(project: Project) -> dict[str, Any]:
    return {
        "Name": project.name,
        "HITLayoutId": project.hit_layout_id,
        **project.properties,
        "Columns": columns(project.template),
        "Template": project.template,
    }


def layout_question(requester_id: str, hit_layout_id: str, parameters: list[dict] | None) -> str:
    """CreateHIT with HITLayoutId: the layout's template filled in with HITLayoutParameters."""
    project = get(requester_id, hit_layout_id)
    values = {p["Name"]: p["Value"] for p in parameters or []}
    missing = [name for name in columns(project.template) if name not in values]
    if missing:
        raise InvalidParameter(
            f"HITLayoutParameters lacks {', '.join(missing)}, which HIT layout {hit_layout_id} uses."
        )
    document = question(project.template, values)
    questions.parse(document)
    return document
