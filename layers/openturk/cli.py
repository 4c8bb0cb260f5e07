"""The `openturk` command: run the local platform, and manage requesters."""

import argparse
import json
import os
import sys
import urllib.error
import urllib.request


def _serve(args: argparse.Namespace) -> None:
    from openturk.local.runtime import run

    if args.sandbox:
        os.environ["OPENTURK_SANDBOX"] = "1"
    run(args.host, args.port, args.aws_port, args.tick, args.data_dir)


def _local(endpoint: str, path: str, body: dict) -> dict:
    """POST to a running local runtime's /local/… routes."""
    request = urllib.request.Request(
        endpoint.rstrip("/") + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        sys.exit(
            f"openturk: {json.loads(error.read() or b'{}').get('Error', {}).get('Message', error.reason)}"
        )
    except urllib.error.URLError as error:
        sys.exit(
            f"openturk: no local runtime answers at {endpoint} ({error.reason}); start it with `make serve`."
        )


def _requester_create(args: argparse.Namespace) -> None:
    if args.stack:
        from openturk.deployed import create_requester

        result = create_requester(args.stack, args.name)
    else:
        result = _local(args.endpoint, "/local/requesters", {"name": args.name})
    print(json.dumps({k: result[k] for k in ("RequesterId", "AccessKeyId", "SecretAccessKey")}, indent=2))


def _requester_fund(args: argparse.Namespace) -> None:
    if args.stack:
        from openturk.deployed import fund_requester

        result = fund_requester(args.stack, args.requester, args.amount)
    else:
        result = _local(
            args.endpoint, "/local/requesters/fund", {"RequesterId": args.requester, "Amount": args.amount}
        )
    print(json.dumps(result, indent=2))


def _local_aws_credentials() -> None:
    """DynamoDB Local takes any key pair, but boto3 wants one."""
    os.environ.update(AWS_ACCESS_KEY_ID="openturklocal", AWS_SECRET_ACCESS_KEY="openturklocal")
    os.environ.pop("AWS_SESSION_TOKEN", None)


def _export(args: argparse.Namespace) -> None:
    from pathlib import Path

    from openturk.local import backup

    _local_aws_credentials()
    manifest = backup.export(Path(args.data_dir), Path(args.output))
    print(json.dumps({"Output": args.output, **manifest}, indent=2))


def _import(args: argparse.Namespace) -> None:
    from pathlib import Path

    from openturk.local import backup

    source = Path(args.archive)
    try:
        if args.stack:
            manifest = backup.import_into_stack(source, args.stack, args.force)
        else:
            _local_aws_credentials()
            if args.data_dir:
                manifest = backup.import_into_data_dir(source, Path(args.data_dir), args.force)
            else:
                manifest = backup.import_into_endpoint(source, args.endpoint, args.force)
    except backup.Refused as refusal:
        sys.exit(f"openturk: not imported: {refusal}")
    print(json.dumps({"Imported": args.archive, **manifest}, indent=2))


def _requester_preview_link(args: argparse.Namespace) -> None:
    import time

    from openturk.web.preview import query

    key = args.access_key_id or os.environ.get("AWS_ACCESS_KEY_ID")
    secret = args.secret_access_key or os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not key or not secret:
        sys.exit(
            "openturk: give the requester's key pair (--access-key-id/--secret-access-key or AWS_* variables)"
        )
    print(
        f"{args.endpoint.rstrip('/')}/worker/preview/{args.hit}?{query(key, secret, args.hit, time.time())}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="openturk", description="A self-hosted Amazon Mechanical Turk.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run openturk on this machine")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--aws-port", type=int, default=4566, help="port of the local AWS endpoint (moto)")
    serve.add_argument("--tick", type=float, default=5.0, help="seconds between runs of the schedules")
    serve.add_argument(
        "--data-dir", default=None, help="keep the tables in this directory (default: in memory)"
    )
    serve.add_argument(
        "--sandbox",
        action="store_true",
        help="as MTurk's sandbox: every balance reads 10000.00 and never runs out",
    )
    serve.set_defaults(run=_serve)

    requester = commands.add_parser("requester", help="manage requesters").add_subparsers(
        dest="action", required=True
    )
    create = requester.add_parser("create", help="create a requester and print its key pair as JSON")
    create.add_argument("--name", required=True)
    create.add_argument("--endpoint", default="http://127.0.0.1:8000", help="a running local runtime")
    create.add_argument("--stack", default=None, help="a deployed stack's name (uses your AWS credentials)")
    create.set_defaults(run=_requester_create)
    fund = requester.add_parser("fund", help="add a prepayment to a requester's balance")
    fund.add_argument("--requester", required=True, help="the RequesterId")
    fund.add_argument("--amount", required=True, help='dollars, e.g. "100.00"')
    fund.add_argument("--endpoint", default="http://127.0.0.1:8000", help="a running local runtime")
    fund.add_argument("--stack", default=None, help="a deployed stack's name (uses your AWS credentials)")
    fund.set_defaults(run=_requester_fund)

    from openturk.batch_cli import add_commands as add_batch_commands

    add_batch_commands(commands)
    export = commands.add_parser("export", help="write a local data directory's data to a .tar.gz")
    export.add_argument(
        "--data-dir", required=True, help="what `openturk serve --data-dir` used (stop it first)"
    )
    export.add_argument("-o", "--output", required=True, help="the archive to write, e.g. backup.tar.gz")
    export.set_defaults(run=_export)
    restore = commands.add_parser("import", help="load an export into an empty data directory or stack")
    restore.add_argument("archive", help="a file `openturk export` wrote")
    target = restore.add_mutually_exclusive_group(required=True)
    target.add_argument("--data-dir", help="a data directory for `openturk serve --data-dir` (not running)")
    target.add_argument("--endpoint", help="a DynamoDB endpoint URL, e.g. a DynamoDB Local (tables only)")
    target.add_argument("--stack", help="a deployed stack's name (uses your AWS credentials; tables only)")
    restore.add_argument("--force", action="store_true", help="write over a target that holds data")
    restore.set_defaults(run=_import)
    link = requester.add_parser(
        "preview-link", help="print a link that shows one of your HITs as workers see it (valid 7 days)"
    )
    link.add_argument("--hit", required=True, help="the HITId")
    link.add_argument("--endpoint", default="http://127.0.0.1:8000", help="the web app's base URL")
    link.add_argument("--access-key-id", default=None, help="default: $AWS_ACCESS_KEY_ID")
    link.add_argument("--secret-access-key", default=None, help="default: $AWS_SECRET_ACCESS_KEY")
    link.set_defaults(run=_requester_preview_link)

    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
