"""QuestionFormAnswers: the XML MTurk stores as an assignment's Answer."""

import re
from xml.sax.saxutils import escape

from openturk.domain.errors import InvalidParameter

NAMESPACE = (
    "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd"
)
# Names MTurk reserves on externalSubmit; they are never answers.
RESERVED = frozenset({"assignmentId", "hitId", "workerId", "turkSubmitTo"})
# The stored Answer must fit in one DynamoDB item (400 KB) with the rest of the assignment.
MAX_ANSWER_BYTES = 262_144
# Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _ascii(text: str, field: str) -> str:
    bad = _NOT_XML.search(text)
    if bad:
        raise InvalidParameter(
            f"The answer {field!r} contains the character U+{ord(bad.group()):04X}, which XML cannot carry."
        )
    # A parser reads a literal CR as a line break; the reference keeps it as sent.
    # MTurk declares encoding="ASCII": everything else travels as character references.
    return escape(text, {"\r": "&#13;"}).encode("ascii", "xmlcharrefreplace").decode("ascii")


def question_form_answers(
    answers: dict[str, str | list[str]], selection_fields: frozenset[str] | set[str] = frozenset()
) -> str:
    """{"field": "value" or ["v1", "v2"]} -> the Answer XML, one <Answer> per value, in order. The values
    of selection_fields (a QuestionForm's SelectionAnswers) are SelectionIdentifiers, the rest FreeText."""
    parts = ['<?xml version="1.0" encoding="ASCII"?>', f'<QuestionFormAnswers xmlns="{NAMESPACE}">']
    for name, values in answers.items():
        if name in RESERVED:
            continue
        given = values if isinstance(values, list) else [values]
        if not all(isinstance(value, str) for value in given):
            raise InvalidParameter(f"The answer {name!r} must be a string or a list of strings.")
        element = "SelectionIdentifier" if name in selection_fields else "FreeText"
        for value in given:
            parts.append(
                f"<Answer><QuestionIdentifier>{_ascii(name, name)}</QuestionIdentifier>"
                f"<{element}>{_ascii(value, name)}</{element}></Answer>"
            )
    parts.append("</QuestionFormAnswers>")
    answer = "".join(parts)
    if len(answer) > MAX_ANSWER_BYTES:  # ASCII: one byte per character
        raise InvalidParameter(
            f"The answers take {len(answer)} bytes as QuestionFormAnswers XML; the limit is {MAX_ANSWER_BYTES}."
        )
    return answer
