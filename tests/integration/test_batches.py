"""Batches through S3: a project and a CSV uploaded to the batch bucket become HITs, workers' answers come
back in the results CSV, bad rows are reported, and a batch the balance cannot pay for publishes nothing."""

import pytest

from tests.batch_support import TEMPLATE, Batches, csv_bytes, local, read_csv, wait_for

TRICKY = [
    ["image_url", "caption"],
    ["https://example.org/a.png", 'a "quoted", comma'],
    ["https://example.org/b.png", "two\nlines"],
    ["https://example.org/c.png", "non-ASCII: café, 東京, 🙂"],
    ["https://example.org/d.png", '=HYPERLINK("http://evil")'],
    ["https://example.org/e.png", "<script>alert(1)</script> & more"],
]


@pytest.fixture
def batches(runtime, requester):
    return Batches(runtime, requester["RequesterId"])


def all_hits(mturk) -> list[dict]:
    found, token = [], None
    while True:
        page = mturk.list_hits(MaxResults=100, **({"NextToken": token} if token else {}))
        found += page["HITs"]
        token = page.get("NextToken")
        if not token:
            return found


def test_tricky_cells_round_trip_through_hits_answers_and_results(batches, mturk, new_worker):
    batches.put_project("describe")
    name, status = batches.publish("describe", TRICKY)
    assert status["Status"] == "Published"
    assert (status["RowsRead"], status["HITsCreated"], status["FailedRows"]) == (5, 5, 0)

    hits = sorted(all_hits(mturk), key=lambda hit: hit["HITId"])
    assert len(hits) == 5
    assert {hit["Title"] for hit in hits} == {"Describe a picture"}
    assert all(hit["HITLayoutId"] == status["HITLayoutId"] for hit in hits)
    # values are HTML-escaped into the template: the script is text, not markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in hits[4]["Question"]
    assert "<script>" not in hits[4]["Question"]
    assert mturk.get_hit(HITId=hits[0]["HITId"])["HIT"]["HITStatus"] == "Assignable"

    answers = ['says "hi", then leaves', "line one\nline two", "déjà vu — ✓", "+1 great", "@everyone"]
    worker = new_worker()
    listed = {hit["HITId"] for hit in worker.list_hits()[1]["HITs"]}
    assert {hit["HITId"] for hit in hits} <= listed
    for hit, answer in zip(hits, answers, strict=True):
        code, body = worker.accept(hit["HITId"])
        assert code == 201, body
        code, body = worker.submit(body["Assignment"]["AssignmentId"], {"description": answer})
        assert code == 200, body

    results = batches.results(name)
    assert [row["HITId"] for row in results] == [hit["HITId"] for hit in hits]
    assert [row["Input.caption"] for row in results] == [
        'a "quoted", comma',
        "two\nlines",
        "non-ASCII: café, 東京, 🙂",
        '\'=HYPERLINK("http://evil")',  # neutralised: a spreadsheet shows it as text
        "<script>alert(1)</script> & more",
    ]
    assert [row["Answer.description"] for row in results] == [
        'says "hi", then leaves',
        "line one\nline two",
        "déjà vu — ✓",
        "'+1 great",
        "'@everyone",
    ]
    assert {row["WorkerId"] for row in results} == {worker.worker_id}
    assert {row["AssignmentStatus"] for row in results} == {"Submitted"}
    assert results[0]["Reward"] == "$0.10"
    # every assignment is in: the schedule writes the results file by itself too, and completes the batch
    wait_for(lambda: batches.status(name)["Status"] == "Complete", what="the batch to complete")
    written = read_csv(batches.get(f"results/describe/{name}.csv"))
    assert [row["Answer.description"] for row in written] == [row["Answer.description"] for row in results]
    assert batches.status(name)["AssignmentsDone"] == 5


def test_bad_rows_are_reported_with_their_line_and_the_rest_publish(batches, mturk):
    batches.put_project("describe")
    data = csv_bytes([["image_url", "caption"], ["https://example.org/1.png", "fine"]])
    data += b"only-one-cell\r\n"  # line 3
    data += b'"https://example.org/3.png","bad \xff byte"\r\n'  # line 4
    data += csv_bytes([["https://example.org/4.png", "x" * 70_000]])  # line 5
    data += csv_bytes([["https://example.org/5.png", "also\nfine"], ["https://example.org/6.png", "last"]])
    batches.put("batches/describe/mixed.csv", data)
    status = wait_for(lambda: (s := batches.status("mixed")) and s["Status"] == "Published" and s)
    assert (status["RowsRead"], status["HITsCreated"], status["FailedRows"]) == (6, 3, 3)
    errors = read_csv(batches.get("errors/describe/mixed.csv"))
    assert [row["Line"] for row in errors] == ["3", "4", "5"]
    assert "1 cells; the header has 2" in errors[0]["Reason"]
    assert "not UTF-8" in errors[1]["Reason"]
    assert "limit" in errors[2]["Reason"]
    assert len(all_hits(mturk)) == 3


def test_a_header_without_the_templates_columns_refuses_the_batch(batches, mturk):
    batches.put_project("describe")
    name, status = batches.publish("describe", [["image_url", "other"], ["a", "b"]])
    assert status["Status"] == "Refused"
    errors = read_csv(batches.get(f"errors/describe/{name}.csv"))
    assert errors[-1]["Line"] == "1" and "caption" in errors[-1]["Reason"]
    assert all_hits(mturk) == []


def test_a_batch_over_the_balance_publishes_nothing(runtime, new_worker):
    from tests.integration.conftest import mturk_client
    from tests.support import funded_requester

    keys = funded_requester(runtime.info["Endpoint"], "1.00")
    mturk = mturk_client(runtime.info["Endpoint"], keys)
    batches = Batches(runtime, keys["RequesterId"])
    batches.put_project("describe")
    rows = [["image_url", "caption"]] + [[f"https://example.org/{i}.png", str(i)] for i in range(9)]
    name, status = batches.publish("describe", rows)  # 9 x ($0.10 + $0.02 fee) = $1.08 > $1.00

    assert status["Status"] == "Refused"
    assert status["HITsCreated"] == 0
    assert all_hits(mturk) == []
    balance = mturk.get_account_balance()
    assert (balance["AvailableBalance"], balance.get("OnHoldBalance", "0.00")) == ("1.00", "0.00")
    reason = read_csv(batches.get(f"errors/describe/{name}.csv"))[-1]["Reason"]
    assert "cannot pay" in reason and "nothing was published" in reason

    # eight rows fit: the same batch cut down publishes, with one hold for all of it
    _, status = batches.publish("describe", rows[:9])
    assert status["Status"] == "Published" and status["HITsCreated"] == 8
    balance = mturk.get_account_balance()
    assert (balance["AvailableBalance"], balance["OnHoldBalance"]) == ("0.04", "0.96")


def test_a_project_is_a_hit_layout_for_create_hit(batches, mturk):
    batches.put_project("layout")
    projects = wait_for(
        lambda: local(batches.endpoint, "/local/projects", {"RequesterId": batches.requester_id})[1]
    )
    assert [p["Name"] for p in projects] == ["layout"]
    assert projects[0]["Columns"] == ["image_url", "caption"]
    hit = mturk.create_hit(
        Title="One", Description="One HIT", Reward="0.05", LifetimeInSeconds=600,
        AssignmentDurationInSeconds=60, HITLayoutId=projects[0]["HITLayoutId"],
        HITLayoutParameters=[
            {"Name": "image_url", "Value": "https://example.org/x.png"},
            {"Name": "caption", "Value": "<b>bold</b> & \"quoted\""},
        ],
    )["HIT"]  # fmt: skip
    assert hit["HITLayoutId"] == projects[0]["HITLayoutId"]
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;" in hit["Question"]
    assert TEMPLATE.split("${")[0] in hit["Question"]

    with pytest.raises(mturk.exceptions.RequestError, match="caption"):
        mturk.create_hit(
            Title="One", Description="One HIT", Reward="0.05", LifetimeInSeconds=600,
            AssignmentDurationInSeconds=60, HITLayoutId=projects[0]["HITLayoutId"],
            HITLayoutParameters=[{"Name": "image_url", "Value": "x"}],
        )  # fmt: skip


def test_a_project_file_that_cannot_be_used_is_reported_and_not_registered(batches):
    batches.put("projects/broken.json", b'{"Title": "No template", "Description": "d", "Reward": "0.05"}')
    errors = read_csv(batches.wait_for_object("errors/projects/broken.csv"))
    assert "lacks" in errors[0]["Reason"] and "Template" in errors[0]["Reason"]
    assert local(batches.endpoint, "/local/projects", {"RequesterId": batches.requester_id})[1] == []
