"""`openturk project …` and `openturk batch …` against the local runtime."""

import json

from tests.batch_support import csv_bytes, project, read_csv


def run(capsys, *argv: str) -> dict | list:
    from openturk.cli import main

    main(list(argv))
    captured = capsys.readouterr()
    run.err = captured.err  # type: ignore[attr-defined]
    return json.loads(captured.out)


def test_project_put_list_show_then_batch_publish_status_and_results(
    endpoint, requester, tmp_path, capsys, mturk
):
    common = ["--endpoint", endpoint, "--requester", requester["RequesterId"]]
    (tmp_path / "describe.json").write_text(json.dumps(project()))
    put = run(capsys, "project", "put", str(tmp_path / "describe.json"), "--name", "describe", *common)
    assert put["Name"] == "describe" and len(put["HITLayoutId"]) == 30
    listed = run(capsys, "project", "list", *common)
    assert [(p["Name"], p["HITLayoutId"], p["Reward"]) for p in listed] == [
        ("describe", put["HITLayoutId"], "0.10")
    ]
    assert "Template" not in listed[0]
    shown = run(capsys, "project", "show", "describe", *common)
    assert shown["Template"] == project()["Template"]

    rows = [["image_url", "caption"]] + [[f"https://example.org/{i}.png", f"caption {i}"] for i in range(30)]
    (tmp_path / "first.csv").write_bytes(csv_bytes(rows))
    published = run(capsys, "batch", "publish", str(tmp_path / "first.csv"), "--project", "describe", *common)
    assert (published["Name"], published["Status"], published["HITsCreated"]) == ("first", "Published", 30)
    assert "30/30 HITs" in run.err  # type: ignore[attr-defined]  # the progress bar, on stderr
    status = run(capsys, "batch", "status", "first", *common)
    assert (status["RowsRead"], status["FailedRows"], status["AssignmentsDone"]) == (30, 0, 0)
    written = run(capsys, "batch", "results", "first", "-o", str(tmp_path / "results.csv"), *common)
    results = read_csv((tmp_path / "results.csv").read_bytes())
    assert written["File"] == str(tmp_path / "results.csv")
    assert [row["Input.caption"] for row in results] == [f"caption {i}" for i in range(30)]
    assert len(mturk.list_hits(MaxResults=100)["HITs"]) == 30
