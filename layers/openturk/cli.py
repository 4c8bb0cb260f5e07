"""The `openturk` command: run the local platform, and manage requesters."""

import argparse
import json
import sys
import urllib.error
import urllib.request


def _serve(args: argparse.Namespace) -> None:
    from openturk.local.runtime import run

    run(args.host, args.port, args.aws_port, args.tick, args.data_dir)


def _requester_create(args: argparse.Namespace) -> None:
    if args.stack:
        from openturk.deployed import create_requester

        print(json.dumps(create_requester(args.stack, args.name), indent=2))
        return
    request = urllib.request.Request(
        args.endpoint.rstrip("/") + "/local/requesters",
        data=json.dumps({"name": args.name}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            result = json.loads(response.read())
    except urllib.error.HTTPError as error:
        sys.exit(f"openturk: {error.read().decode()}")
    except urllib.error.URLError as error:
        sys.exit(
            f"openturk: no local runtime answers at {args.endpoint} ({error.reason}); start it with `make serve`."
        )
    print(json.dumps({k: result[k] for k in ("RequesterId", "AccessKeyId", "SecretAccessKey")}, indent=2))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="openturk", description="A self-hosted Amazon Mechanical Turk.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run openturk on this machine")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--aws-port", type=int, default=4566, help="port of the local AWS endpoint (moto)")
    serve.add_argument("--tick", type=float, default=5.0, help="seconds between runs of the schedules")
    serve.add_argument(
        "--data-dir", default=None, help="keep the data in this directory (default: in memory)"
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

    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
