"""`openturk export` then `openturk import` into an empty data directory: the requester API shows the same
HITs, assignments, balances and qualification scores, the S3 objects are there, and a second import
into the now non-empty directory is refused."""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.durability.serve_process import ROOT, Serve, ledger_problems
from tests.support import WorkerClient, hit_args

pytestmark = pytest.mark.slow
OPENTURK = str(Path(sys.executable).with_name("openturk"))


def _openturk(*args: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OPENTURK_")}
    return subprocess.run(
        [OPENTURK, *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180
    )


def _new_requester(serve: Serve) -> dict[str, str]:
    def post(path: str, body: dict) -> dict:
        request = urllib.request.Request(
            serve.endpoint + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        return json.loads(urllib.request.urlopen(request).read())

    keys = post("/local/requesters", {"name": "Second lab"})
    post("/local/requesters/fund", {"RequesterId": keys["RequesterId"], "Amount": "25.00"})
    return keys


def _what_requesters_see(serve: Serve, requesters: dict[str, dict], qualification_ids: list[str]) -> dict:
    """Every HIT, assignment, balance and qualification score, as boto3 shows them."""
    seen: dict = {}
    for name, keys in requesters.items():
        mturk = serve.mturk(keys) if keys else serve.mturk()
        view = seen[name] = {}
        view["Balance"] = {k: v for k, v in mturk.get_account_balance().items() if k.endswith("Balance")}
        hits = mturk.list_hits(MaxResults=100)["HITs"]
        view["HITs"] = sorted(hits, key=lambda h: h["HITId"])
        view["Assignments"] = {
            h["HITId"]: mturk.list_assignments_for_hit(HITId=h["HITId"])["Assignments"] for h in hits
        }
        view["Bonuses"] = {
            h["HITId"]: mturk.list_bonus_payments(HITId=h["HITId"])["BonusPayments"] for h in hits
        }
    mturk = serve.mturk()
    seen["Qualifications"] = {
        q: mturk.list_workers_with_qualification_type(QualificationTypeId=q)["Qualifications"]
        for q in qualification_ids
    }
    return seen


def test_export_then_import_into_an_empty_data_directory(tmp_path):
    source = Serve(tmp_path / "source").start()
    try:
        mturk = source.mturk()
        second = _new_requester(source)
        quality = mturk.create_qualification_type(
            Name="Careful labeller", Description="d", QualificationTypeStatus="Active"
        )["QualificationType"]["QualificationTypeId"]
        alice, bob = WorkerClient(source.endpoint, "alice"), WorkerClient(source.endpoint, "bob")
        mturk.associate_qualification_with_worker(
            QualificationTypeId=quality, WorkerId=alice.worker_id, IntegerValue=87, SendNotification=False
        )
        hits = [mturk.create_hit(**hit_args())["HIT"]["HITId"] for _ in range(3)]
        hits.append(source.mturk(second).create_hit(**hit_args(Reward="0.05"))["HIT"]["HITId"])
        for worker in (alice, bob):
            status, body = worker.accept(hits[0])
            assert status == 201, body
            status, body = worker.submit(body["Assignment"]["AssignmentId"], {"comment": worker.name})
            assert status == 200, body
        first = mturk.list_assignments_for_hit(HITId=hits[0])["Assignments"]
        mturk.approve_assignment(AssignmentId=first[0]["AssignmentId"])
        mturk.reject_assignment(AssignmentId=first[1]["AssignmentId"], RequesterFeedback="Empty")
        mturk.send_bonus(
            WorkerId=first[0]["WorkerId"],
            AssignmentId=first[0]["AssignmentId"],
            BonusAmount="0.75",
            Reason="Careful work",
        )
        s3 = source.aws("s3")
        s3.create_bucket(Bucket="lab-batches")
        s3.put_object(Bucket="lab-batches", Key="batch.csv", Body=b"image_url\nhttps://example.org/1.jpg\n")
        before = _what_requesters_see(source, {"default": {}, "second": second}, [quality])
    finally:
        source.stop()

    archive = tmp_path / "backup.tar.gz"
    exported = _openturk("export", "--data-dir", str(tmp_path / "source"), "-o", str(archive))
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["Tables"]["hits"] == 4
    imported = _openturk("import", str(archive), "--data-dir", str(tmp_path / "copy"))
    assert imported.returncode == 0, imported.stderr
    assert "tables" in imported.stderr and "#" in imported.stderr  # the progress bar
    again = _openturk("import", str(archive), "--data-dir", str(tmp_path / "copy"))
    assert again.returncode != 0
    assert "already holds" in again.stderr and "--force" in again.stderr

    copy = Serve(tmp_path / "copy").start()
    try:
        after = _what_requesters_see(copy, {"default": {}, "second": second}, [quality])
        assert WorkerClient(copy.endpoint, "alice").worker_id == alice.worker_id
        body = copy.aws("s3").get_object(Bucket="lab-batches", Key="batch.csv")["Body"].read()
        assert body == b"image_url\nhttps://example.org/1.jpg\n"
    finally:
        copy.stop()
    assert after == before
    assert ledger_problems(tmp_path / "copy")[0] == []
