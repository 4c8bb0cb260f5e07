"""What the work page shows for a HIT's question, and the answers a QuestionForm page posts back.

HTMLQuestion and ExternalQuestion become iframes (content.py serves the first); a QuestionForm becomes a
plain dict structure the form template renders, and `answers()` checks a posted form against it.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from openturk.domain import questions
from openturk.domain.errors import InvalidParameter

NOT_AVAILABLE = "ASSIGNMENT_ID_NOT_AVAILABLE"
_MULTI_STYLES = {"checkbox", "multichooser"}


@dataclass
class Question:
    kind: str  # "html", "external" or "form"
    frame_height: int = 0
    external_url: str = ""
    html: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _text(element: ET.Element | None, name: str, default: str = "") -> str:
    found = _child(element, name) if element is not None else None
    return (found.text or "").strip() if found is not None and found.text else default


def _height(root: ET.Element) -> int:
    value = _text(root, "FrameHeight", "0")
    return int(value) if value.isascii() and value.isdigit() else 0


def _content(element: ET.Element | None) -> list[dict[str, Any]]:
    """Title, Text, List, Binary and FormattedContent blocks, in document order."""
    blocks: list[dict[str, Any]] = []
    for child in element if element is not None else []:
        kind = _local(child.tag)
        if kind in ("Title", "Text"):
            blocks.append({"kind": kind, "text": (child.text or "").strip()})
        elif kind == "List":
            blocks.append({"kind": "List", "items": [(i.text or "").strip() for i in child]})
        elif kind == "Binary":
            mime = _child(child, "MimeType")
            blocks.append(
                {
                    "kind": "Binary",
                    "type": _text(mime, "Type", "image"),
                    "url": _safe_url(_text(child, "DataURL")),
                    "alt": _text(child, "AltText"),
                }
            )
        elif kind == "FormattedContent":
            # XHTML from the requester: shown in a sandboxed frame without scripts, never inline.
            blocks.append({"kind": "FormattedContent", "html": (child.text or "").strip()})
    return blocks


def _safe_url(url: str) -> str:
    return url if url.lower().startswith(("https://", "http://")) else ""


def _answer(spec: ET.Element) -> dict[str, Any]:
    free, selection, upload = (
        _child(spec, n) for n in ("FreeTextAnswer", "SelectionAnswer", "FileUploadAnswer")
    )
    if selection is not None:
        style = _text(selection, "StyleSuggestion", "radiobutton")
        most = _text(selection, "MaxSelectionCount")
        least = _text(selection, "MinSelectionCount")
        multiple = style in _MULTI_STYLES or (most.isdigit() and int(most) > 1)
        if style not in ("radiobutton", "checkbox", "list", "dropdown", "combobox", "multichooser"):
            style = "radiobutton"
        if multiple and style in ("radiobutton", "dropdown", "combobox"):
            style = "checkbox"
        if not multiple and style == "multichooser":
            style = "radiobutton"
        options = []
        selections = _child(selection, "Selections")
        for choice in selections if selections is not None else []:
            if _local(choice.tag) != "Selection":
                continue
            binary = _child(choice, "Binary")
            options.append(
                {
                    "id": _text(choice, "SelectionIdentifier"),
                    "text": _text(choice, "Text")
                    or (_text(binary, "AltText") if binary is not None else "")
                    or _text(choice, "SelectionIdentifier"),
                    "image": _safe_url(_text(binary, "DataURL")) if binary is not None else "",
                }
            )
        other = selections is not None and _child(selections, "OtherSelection") is not None
        return {
            "kind": "selection",
            "style": style,
            "multiple": multiple,
            "min": int(least) if least.isdigit() else (1 if not multiple else 0),
            "max": int(most) if most.isdigit() else (len(options) if multiple else 1),
            "options": options,
            "other": other,
        }
    if upload is not None:
        return {"kind": "upload"}
    constraints = _child(free, "Constraints") if free is not None else None
    numeric = _child(constraints, "IsNumeric") if constraints is not None else None
    length = _child(constraints, "Length") if constraints is not None else None
    lines = _text(free, "NumberOfLinesSuggestion", "1")
    return {
        "kind": "free",
        "default": _text(free, "DefaultText"),
        "lines": int(lines) if lines.isdigit() else 1,
        "numeric": numeric is not None,
        "min_value": numeric.get("minValue") if numeric is not None else None,
        "max_value": numeric.get("maxValue") if numeric is not None else None,
        "min_length": length.get("minLength") if length is not None else None,
        "max_length": length.get("maxLength") if length is not None else None,
    }


def _form_items(root: ET.Element) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for element in root:
        kind = _local(element.tag)
        if kind == "Overview":
            items.append({"kind": "overview", "content": _content(element)})
        elif kind == "Question":
            spec = _child(element, "AnswerSpecification")
            items.append(
                {
                    "kind": "question",
                    "id": _text(element, "QuestionIdentifier"),
                    "name": _text(element, "DisplayName"),
                    "required": _text(element, "IsRequired", "false").lower() == "true",
                    "content": _content(_child(element, "QuestionContent")),
                    "answer": _answer(spec) if spec is not None else {"kind": "free"},
                }
            )
    return items


def read(document: str) -> Question:
    root = questions.parse(document)
    kind = _local(root.tag)
    if kind == "HTMLQuestion":
        return Question("html", _height(root), html=_text(root, "HTMLContent"))
    if kind == "ExternalQuestion":
        return Question("external", _height(root), external_url=_text(root, "ExternalURL"))
    return Question("form", items=_form_items(root))


def frame_parameters(assignment_id: str | None, hit_id: str, worker_id: str, submit_to: str) -> str:
    """The four parameters MTurk appends to an ExternalQuestion's URL (and HTMLQuestion's frame)."""
    return urlencode(
        {
            "assignmentId": assignment_id or NOT_AVAILABLE,
            "hitId": hit_id,
            "workerId": worker_id,
            "turkSubmitTo": submit_to,
        }
    )


def external_src(url: str, parameters: str) -> str:
    return url + ("&" if "?" in url else "?") + parameters


def answers(question: Question, form: dict[str, list[str]]) -> tuple[dict[str, str | list[str]], set[str]]:
    """The answers of a posted QuestionForm page, checked against the form: ({field: value(s)}, the
    fields whose values are SelectionIdentifiers)."""
    result: dict[str, str | list[str]] = {}
    selections: set[str] = set()
    for item in question.items:
        if item["kind"] != "question":
            continue
        identifier, answer = item["id"], item["answer"]
        label = item["name"] or identifier
        values = [v for v in form.get(identifier, []) if v != ""]
        if answer["kind"] == "selection":
            known = {option["id"] for option in answer["options"]}
            other = form.get(identifier + ".other", [""])[-1].strip() if answer["other"] else ""
            if any(v not in known for v in values):
                raise InvalidParameter(f"Choose one of the options offered for {label!r}.")
            count = len(values) + (1 if other else 0)
            if (
                count > answer["max"]
                or (values or other or item["required"])
                and count < max(answer["min"], 1)
            ):
                raise InvalidParameter(
                    f"Choose between {max(answer['min'], 1)} and {answer['max']} options for {label!r}."
                )
            if values:
                result[identifier] = values if answer["multiple"] else values[0]
                selections.add(identifier)
            elif other:
                result[identifier] = other
        elif answer["kind"] == "free":
            value = values[-1] if values else ""
            if value:
                result[identifier] = value
            elif item["required"]:
                raise InvalidParameter(f"{label!r} needs an answer.")
        elif item["required"]:
            raise InvalidParameter(f"{label!r} needs a file, and file uploads are not supported yet.")
    return result, selections
