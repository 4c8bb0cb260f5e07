"""The worker web app's pages: median time to first byte and bytes per page, for the marketplace and the
work page, fetched as a signed-in browser fetches them (session cookie, keep-alive connection).

    python -m bench.pages [--quick]     this section alone (starts its own runtime)
"""

import http.client
import sys
import time
import urllib.parse
import uuid
from typing import Any

from bench.stats import median, ms, percentile, table

TARGET_TTFB_MS = 100.0
TARGET_BYTES = 150_000
QUESTION_FORM = (
    '<QuestionForm xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/'
    'QuestionForm.xsd"><Overview><Title>Describe the picture</Title><Binary><MimeType><Type>image</Type>'
    "</MimeType><DataURL>https://example.org/images/0001.jpg</DataURL><AltText>a picture</AltText></Binary>"
    "</Overview><Question><QuestionIdentifier>caption</QuestionIdentifier><QuestionContent><Text>Caption?"
    "</Text></QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question>"
    "<Question><QuestionIdentifier>tags</QuestionIdentifier><QuestionContent><Text>Tags</Text>"
    "</QuestionContent><AnswerSpecification><SelectionAnswer><StyleSuggestion>checkbox</StyleSuggestion>"
    "<Selections>"
    + "".join(
        f"<Selection><SelectionIdentifier>t{i}</SelectionIdentifier><Text>Tag {i}</Text></Selection>"
        for i in range(12)
    )
    + "</Selections></SelectionAnswer></AnswerSpecification></Question></QuestionForm>"
)


class Browser:
    """One keep-alive connection carrying the session cookie, as a browser's."""

    def __init__(self, endpoint: str):
        url = urllib.parse.urlsplit(endpoint)
        self.connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80, timeout=60)
        self.cookie = ""

    def fetch(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, float, int, dict]:
        """(status, seconds to the first byte of the response, body bytes, headers)."""
        body = urllib.parse.urlencode(form) if form is not None else None
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()  # returns once the status line and headers are in
        first_byte = time.perf_counter() - started
        data = response.read()
        got = dict(response.getheaders())
        if "Set-Cookie" in got:
            self.cookie = got["Set-Cookie"].split(";")[0]
        return response.status, first_byte, len(data), got


def run(bench: Any, iterations: int = 100) -> dict[str, Any]:
    mturk = bench.mturk(bench.requester())
    # A marketplace of 50 HITs in 10 groups, and one QuestionForm HIT to work on.
    for group in range(10):
        for _ in range(5):
            mturk.create_hit(
                Title=f"Label images, batch {group}",
                Description="Say what each picture shows",
                Reward="0.25",
                MaxAssignments=3,
                LifetimeInSeconds=86_400,
                AssignmentDurationInSeconds=600,
                Question=QUESTION_FORM,
            )
    browser = Browser(bench.endpoint)
    status, _, _, headers = browser.fetch(
        "POST", "/worker/sign-in", {"name": f"bench-{uuid.uuid4().hex[:8]}", "next": "/worker/"}
    )
    if status != 303:
        raise RuntimeError(f"sign-in failed: {status}")
    hit_id = mturk.list_hits(MaxResults=1)["HITs"][0]["HITId"]
    _, _, _, _ = browser.fetch("GET", f"/worker/hits/{hit_id}")
    status, _, _, headers = browser.fetch(
        "POST", f"/worker/hits/{hit_id}/accept", {"csrf": _csrf(browser, hit_id)}
    )
    if status != 303:
        raise RuntimeError(f"accept failed: {status}")
    pages = {
        "marketplace /worker/": "/worker/",
        "work page /worker/assignments/…": headers["Location"],
        "qualifications /worker/qualifications": "/worker/qualifications",
        "guarded preview /worker/hits/… (2 requirements)": f"/worker/hits/{_guarded_hit(mturk)}",
    }
    figures: dict[str, Any] = {}
    for name, path in pages.items():
        for _ in range(10):  # warm-up: the handlers' first imports and the templates' compilation
            browser.fetch("GET", path)
        times, sizes = [], set()
        for _ in range(iterations):
            status, first_byte, size, _ = browser.fetch("GET", path)
            if status != 200:
                raise RuntimeError(f"{path}: {status}")
            times.append(first_byte)
            sizes.add(size)
        figures[name] = {
            "MedianTTFBMs": ms(median(times)),
            "P95TTFBMs": ms(percentile(times, 0.95)),
            "Bytes": max(sizes),
            "Requests": iterations,
        }
    rows = [
        [name, f"{f['MedianTTFBMs']} ms", f"{f['P95TTFBMs']} ms", f"{f['Bytes']:,} B"]
        for name, f in figures.items()
    ]
    print(
        f"\n== Web pages ({iterations} fetches each, signed in by cookie, 50 HITs in 10 groups)\n"
        + table(["page", "median TTFB", "p95 TTFB", "bytes"], rows),
        flush=True,
    )
    return {"Pages": figures, "TargetTTFBMs": TARGET_TTFB_MS, "TargetBytes": TARGET_BYTES}


def _guarded_hit(mturk: Any) -> str:
    """Five requestable types (the qualifications page lists them) and a HIT that needs one of them and a
    location to be previewed: its page reads the worker's scores and names the types."""
    type_ids = [
        mturk.create_qualification_type(
            Name=f"Bench skill {uuid.uuid4().hex[:8]}",
            Description="A skill workers request",
            QualificationTypeStatus="Active",
            AutoGranted=True,
        )["QualificationType"]["QualificationTypeId"]
        for _ in range(5)
    ]
    guard = {"ActionsGuarded": "PreviewAndAccept"}
    return mturk.create_hit(
        Title="A guarded task",
        Description="Needs a skill",
        Reward="0.25",
        MaxAssignments=1,
        LifetimeInSeconds=86_400,
        AssignmentDurationInSeconds=600,
        Question=QUESTION_FORM,
        QualificationRequirements=[
            {"QualificationTypeId": type_ids[0], "Comparator": "Exists", **guard},
            {
                "QualificationTypeId": "00000000000000000071",
                "Comparator": "EqualTo",
                "LocaleValues": [{"Country": "US"}],
                **guard,
            },
        ],
    )["HIT"]["HITId"]


def _csrf(browser: Browser, hit_id: str) -> str:
    import re

    browser.connection.request("GET", f"/worker/hits/{hit_id}", headers={"Cookie": browser.cookie})
    text = browser.connection.getresponse().read().decode()
    found = re.search(r'name="csrf" value="([0-9a-f]{32})"', text)
    if not found:
        raise RuntimeError("no CSRF token on the preview page")
    return found.group(1)


def main(argv: list[str]) -> int:
    from bench.runtime import Bench

    bench = Bench()
    bench.start()
    try:
        run(bench, iterations=30 if "--quick" in argv else 100)
    finally:
        bench.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
