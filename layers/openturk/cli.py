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
