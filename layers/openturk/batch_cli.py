"""`openturk project …` and `openturk batch …`: the batch bucket's layout, for people who prefer a command.

They talk to a running local runtime (`--endpoint`, default http://127.0.0.1:8000), which names its AWS
endpoint and bucket; files go to S3 exactly as `aws s3 cp` would put them, so the same notifications
publish them.
"""

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_ENDPOINT = "http://127.0.0.1:8000"
FINAL = ("Published", "Complete", "Refused")


def _local(endpoint: str, path: str, body: dict[str, Any]) -> Any:
    from openturk.cli import _local as post

    return post(endpoint, path, body)


class _Bucket:
    def __init__(self, args: argparse.Namespace):
        import boto3

        self.endpoint = args.endpoint
        info = _local(args.endpoint, "/local/batches/info", {"RequesterId": args.requester})
        self.requester_id, self.bucket = info["RequesterId"], info["BatchBucket"]
        self.prefix = f"requesters/{self.requester_id}/"
        self.s3 = boto3.client(
            "s3",
            endpoint_url=info["AwsEndpoint"],
            region_name="us-east-1",
            aws_access_key_id="openturklocal",
            aws_secret_access_key="openturklocal",
        )

    def projects(self) -> list[dict[str, Any]]:
        return _local(self.endpoint, "/local/projects", {"RequesterId": self.requester_id})

    def status(self, name: str) -> dict[str, Any] | None:

        try:
            return _local(
                self.endpoint, "/local/batches/status", {"RequesterId": self.requester_id, "Name": name}
            )
        except SystemExit:
            return None


def _project_put(args: argparse.Namespace) -> None:
    from openturk.domain import projects

    data = Path(args.file).read_bytes()
    projects.check_name(args.name)
    bucket = _Bucket(args)
    errors_key = f"{bucket.prefix}errors/projects/{args.name}.csv"
    bucket.s3.delete_object(Bucket=bucket.bucket, Key=errors_key)
    bucket.s3.put_object(Bucket=bucket.bucket, Key=f"{bucket.prefix}projects/{args.name}.json", Body=data)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the notification registers it: wait until it has, or says why not
        found = [p for p in bucket.projects() if p["Name"] == args.name]
        if found and found[0]["Template"] == json.loads(data).get("Template"):
            print(json.dumps({k: found[0][k] for k in ("Name", "HITLayoutId", "Columns")}, indent=2))
            return
        refused = _read(bucket, errors_key)
        if refused:
            sys.exit(f"openturk: the project was refused: {refused.decode().splitlines()[-1]}")
        time.sleep(0.2)
    sys.exit("openturk: the project was uploaded but not registered within 30 s; is the runtime running?")


def _read(bucket: _Bucket, key: str) -> bytes | None:
    try:
        return bucket.s3.get_object(Bucket=bucket.bucket, Key=key)["Body"].read()
    except bucket.s3.exceptions.NoSuchKey:
        return None


def _project_list(args: argparse.Namespace) -> None:
    listed = [{k: v for k, v in p.items() if k != "Template"} for p in _Bucket(args).projects()]
    print(json.dumps(listed, indent=2))


def _project_show(args: argparse.Namespace) -> None:
    found = [p for p in _Bucket(args).projects() if p["Name"] == args.name]
    if not found:
        sys.exit(f"openturk: there is no project {args.name}")
    print(json.dumps(found[0], indent=2, ensure_ascii=False))


def _bar(status: dict[str, Any], width: int = 40) -> str:
    done, total = status["HITsCreated"], max(status["HITsExpected"], 1)
    filled = int(width * min(done, total) / total)
    return f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{status['HITsExpected']} HITs"


def _batch_publish(args: argparse.Namespace) -> None:
    from openturk.domain import projects

    name = args.name or Path(args.file).stem
    projects.check_name(name, "batch")
    bucket = _Bucket(args)
    started = time.monotonic()
    bucket.s3.upload_file(args.file, bucket.bucket, f"{bucket.prefix}batches/{args.project}/{name}.csv")
    status = None
    while True:
        status = bucket.status(name)
        if status is not None:
            print(_bar(status), end="", file=sys.stderr, flush=True)
            if status["Status"] in FINAL:
                break
        time.sleep(0.1)
    print(file=sys.stderr)
    status["Seconds"] = round(time.monotonic() - started, 2)
    print(json.dumps(status, indent=2))
    if status["Status"] == "Refused":
        sys.exit(f"openturk: the batch was refused: {status['Reason']}")
    if status["FailedRows"]:
        print(
            f"{status['FailedRows']} rows could not become HITs: see errors/{args.project}/{name}.csv",
            file=sys.stderr,
        )


def _batch_status(args: argparse.Namespace) -> None:
    bucket = _Bucket(args)
    print(
        json.dumps(
            _local(
                args.endpoint,
                "/local/batches/status",
                {"RequesterId": bucket.requester_id, "Name": args.name},
            ),
            indent=2,
        )
    )


def _batch_results(args: argparse.Namespace) -> None:
    bucket = _Bucket(args)
    written = _local(
        args.endpoint, "/local/batches/results", {"RequesterId": bucket.requester_id, "Name": args.name}
    )
    bucket.s3.download_file(bucket.bucket, written["Key"], args.output)
    print(json.dumps({"Key": written["Key"], "File": args.output}, indent=2))


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--requester", default=None, help="the RequesterId (default: the local default requester)"
    )
    parser.add_argument("--endpoint", default=DEFAULT_ENDPOINT, help="a running local runtime")


def add_commands(commands: Any) -> None:
    project = commands.add_parser("project", help="projects: HIT properties and a template").add_subparsers(
        dest="action", required=True
    )
    put = project.add_parser("put", help="upload a project file and print its HITLayoutId")
    put.add_argument("file")
    put.add_argument("--name", required=True)
    put.set_defaults(run=_project_put)
    listing = project.add_parser("list", help="the requester's projects as JSON")
    listing.set_defaults(run=_project_list)
    show = project.add_parser("show", help="one project, with its template")
    show.add_argument("name")
    show.set_defaults(run=_project_show)
    for parser in (put, listing, show):
        _common(parser)

    batch = commands.add_parser("batch", help="batches: a CSV whose rows become HITs").add_subparsers(
        dest="action", required=True
    )
    publish = batch.add_parser("publish", help="upload a CSV and show progress until every row is a HIT")
    publish.add_argument("file")
    publish.add_argument("--project", required=True)
    publish.add_argument("--name", default=None, help="the batch's name (default: the file's name)")
    publish.set_defaults(run=_batch_publish)
    status = batch.add_parser("status", help="rows read, HITs created, failed rows, assignments done")
    status.add_argument("name")
    status.set_defaults(run=_batch_status)
    results = batch.add_parser("results", help="write the results CSV now and download it")
    results.add_argument("name")
    results.add_argument("-o", "--output", required=True)
    results.set_defaults(run=_batch_results)
    for parser in (publish, status, results):
        _common(parser)
