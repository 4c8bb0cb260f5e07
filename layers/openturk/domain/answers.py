"""QuestionFormAnswers: the XML MTurk stores as an assignment's Answer."""

from xml.sax.saxutils import escape

NAMESPACE = (
    "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd"
)
# Names MTurk reserves on externalSubmit; they are never answers.
RESERVED = frozenset({"assignmentId", "hitId", "workerId", "turkSubmitTo"})


def _ascii(text: str) -> str:
    # MTurk declares encoding="ASCII": everything else travels as character references.
    return escape(text).encode("ascii", "xmlcharrefreplace").decode("ascii")


def question_form_answers(answers: dict[str, str | list[str]]) -> str:
    """{"field": "value" or ["v1", "v2"]} -> the Answer XML, one <Answer> per value, in order."""
    parts = ['<?xml version="1.0" encoding="ASCII"?>', f'<QuestionFormAnswers xmlns="{NAMESPACE}">']
    for name, values in answers.items():
        if name in RESERVED:
            continue
        for value in values if isinstance(values, list) else [values]:
            parts.append(
                f"<Answer><QuestionIdentifier>{_ascii(name)}</QuestionIdentifier>"
                f"<FreeText>{_ascii(value)}</FreeText></Answer>"
            )
    parts.append("</QuestionFormAnswers>")
    return "".join(parts)
