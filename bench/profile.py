"""Where the time of an accept+submit cycle goes, by layer.

Runs the cycles in this thread straight through Gateway.dispatch (everything the gateway does except the
HTTP server itself), first unprofiled, timing the DynamoDB calls apart, then under cProfile, whose own
overhead inflates the Python-heavy layers (it shows where the time goes, not how much there is).
"""

import cProfile
import json
import pstats
import time
import uuid
from collections import defaultdict
from typing import Any

from bench.runtime import Bench
from bench.stats import median, ms

_LAYERS = (
    (("/openturk/data/wire.py",), "direct wire to DynamoDB Local"),
    (("/openturk/", "/functions/"), "openturk (edge, domain, data)"),
    (("/pynamodb/",), "PynamoDB (models, expressions)"),
    (("/botocore/", "/boto3/"), "botocore (build, sign, parse)"),
    (
        ("/urllib3/", "/http/client.py", "/socket.py", "/ssl.py", "/selectors.py"),
        "HTTP client to DynamoDB Local",
    ),
    (("/jwt/", "/cryptography/"), "JWT verification"),
    (("/aws_lambda_powertools/",), "Powertools (logger, metrics)"),
    (("/json/",), "json"),
    (("/local/gateway.py",), "openturk (edge, domain, data)"),
)
_WAIT = "waiting for DynamoDB Local (socket)"


def _layer(key: tuple[str, int, str]) -> str | None:
    filename, _, name = key
    if filename == "~":  # a builtin: its time belongs to whoever called it, except socket waits
        return _WAIT if ("socket" in name or "select" in name or "poll" in name) else None
    for needles, layer in _LAYERS:
        if any(needle in filename for needle in needles):
            return layer
    return "Python standard library, other"


def by_layer(stats: pstats.Stats) -> dict[str, float]:
    """Own time (tottime) per layer; a builtin's own time goes to the layers of its callers, pro rata."""
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    totals: dict[str, float] = defaultdict(float)
    for key, (_, _, own, _, callers) in raw.items():
        layer = _layer(key)
        if layer is not None:
            totals[layer] += own
            continue
        caller_time = sum(c[2] for c in callers.values()) or 1.0
        for caller, figures in callers.items():
            share = own * figures[2] / caller_time if callers else own
            totals[_layer(caller) or "Python standard library, other"] += share
        if not callers:
            totals["Python standard library, other"] += own
    return dict(totals)


def run(bench: Bench, cycles: int = 150) -> dict[str, Any]:
    keys = bench.requester("bench-profile")
    hit_ids = bench.seed_hits(keys, 2 * cycles + 10, max_assignments=3)
    _, token = bench.worker()
    host = bench.endpoint.removeprefix("http://")
    headers = {"Host": host, "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    gateway = bench.runtime.gateway
    body = json.dumps({"Answers": {"comment": "a cat"}}).encode()

    def cycle(hit_id: str) -> tuple[float, float, float, float]:
        with bench.counter.window() as accept_window:
            started = time.perf_counter()
            status, _, payload = gateway.dispatch("POST", f"/worker/api/hits/{hit_id}/accept", headers, b"{}")
            accepted = time.perf_counter()
        if status != 201:
            raise RuntimeError(f"accept answered {status}: {payload[:200]!r}")
        assignment_id = json.loads(payload)["Assignment"]["AssignmentId"]
        with bench.counter.window() as submit_window:
            started_submit = time.perf_counter()
            status, _, payload = gateway.dispatch(
                "POST", f"/worker/api/assignments/{assignment_id}/submit", headers, body
            )
            submitted = time.perf_counter()
        if status != 200:
            raise RuntimeError(f"submit answered {status}: {payload[:200]!r}")
        return accepted - started, accept_window.seconds, submitted - started_submit, submit_window.seconds

    for hit_id in hit_ids[:10]:
        cycle(hit_id)
    plain = [cycle(hit_id) for hit_id in hit_ids[10 : 10 + cycles]]

    # A bare GetItem through the transport in use: the floor every DynamoDB request pays on this machine.
    from openturk import config
    from openturk.data.base import connection
    from openturk.data.hits import Hit

    call = connection().dispatch
    key = {"HITId": {"S": hit_ids[0]}}
    get_item = []
    for _ in range(100):
        started = time.perf_counter()
        call("GetItem", {"TableName": Hit.Meta.table_name, "Key": key, "ConsistentRead": True})
        get_item.append(time.perf_counter() - started)

    # A bare two-item transaction (a conditional put and an update, the shape of accept's and submit's).
    from openturk.data.tokens import RequestToken

    table = RequestToken.Meta.table_name
    call(
        "PutItem",
        {
            "TableName": table,
            "Item": {"Token": {"S": "bench#counter"}, "ResultId": {"S": "-"}, "ExpiresAt": {"N": "0"}},
        },
    )
    transact = []
    for index in range(100):
        items = [
            {
                "Put": {
                    "TableName": table,
                    "Item": {
                        "Token": {"S": f"bench#{uuid.uuid4().hex}"},
                        "ResultId": {"S": str(index)},
                        "ExpiresAt": {"N": "0"},
                    },
                    "ConditionExpression": "attribute_not_exists(#t)",
                    "ExpressionAttributeNames": {"#t": "Token"},
                }
            },
            {
                "Update": {
                    "TableName": table,
                    "Key": {"Token": {"S": "bench#counter"}},
                    "UpdateExpression": "SET #r = :r",
                    "ConditionExpression": "attribute_exists(#t)",
                    "ExpressionAttributeNames": {"#r": "ResultId", "#t": "Token"},
                    "ExpressionAttributeValues": {":r": {"S": str(index)}},
                }
            },
        ]
        started = time.perf_counter()
        call("TransactWriteItems", {"TransactItems": items})
        transact.append(time.perf_counter() - started)

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for hit_id in hit_ids[10 + cycles : 10 + 2 * cycles]:
        cycle(hit_id)
    profiler.disable()
    profiled_seconds = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    layers = by_layer(stats)
    total = sum(layers.values()) or 1.0
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    top = sorted(raw.items(), key=lambda item: item[1][2], reverse=True)[:12]

    result = {
        "Cycles": cycles,
        "Transport": "direct wire" if config.DYNAMODB_DIRECT else "botocore",
        "AcceptMs": ms(median([p[0] for p in plain])),
        "AcceptDynamoDBMs": ms(median([p[1] for p in plain])),
        "SubmitMs": ms(median([p[2] for p in plain])),
        "SubmitDynamoDBMs": ms(median([p[3] for p in plain])),
        "BareGetItemMs": ms(median(get_item)),
        "BareTransactionMs": ms(median(transact)),
        "ProfiledCyclesPerSecond": round(cycles / profiled_seconds, 1),
        "Layers": {
            layer: round(100 * seconds / total, 1)
            for layer, seconds in sorted(layers.items(), key=lambda item: -item[1])
        },
        "TopFunctions": [
            {
                "Function": f"{key[0].split('site-packages/')[-1]}:{key[1]}({key[2]})",
                "OwnPercent": round(100 * figures[2] / total, 1),
                "Calls": figures[1],
            }
            for key, figures in top
        ],
    }
    _print(result)
    return result


def _print(result: dict[str, Any]) -> None:
    print(
        f"\n== Where an accept+submit cycle's time goes (in-process through Gateway.dispatch, {result['Cycles']} cycles)"
    )
    print(
        f"  accept {result['AcceptMs']} ms, of which {result['AcceptDynamoDBMs']} ms in DynamoDB calls;"
        f" submit {result['SubmitMs']} ms, of which {result['SubmitDynamoDBMs']} ms in DynamoDB calls"
    )
    cycle_ms = result["AcceptMs"] + result["SubmitMs"]
    print(f"  => without HTTP, one thread could do {1000 / cycle_ms:.0f} cycles/s")
    floor = 2 * result["BareTransactionMs"] + result["BareGetItemMs"]
    print(
        f"  bare calls to DynamoDB Local ({result['Transport']}): GetItem {result['BareGetItemMs']} ms, two-item"
        f" TransactWriteItems {result['BareTransactionMs']} ms; a cycle makes one read (accept's) and two"
        f" transactions, so DynamoDB alone allows at most ~{1000 / floor:.0f} sequential cycles/s"
    )
    print("  share of profiled time by layer (cProfile):")
    for layer, percent in result["Layers"].items():
        print(f"    {percent:5.1f} %  {layer}")
    print("  top functions by own time:")
    for row in result["TopFunctions"][:8]:
        print(f"    {row['OwnPercent']:5.1f} %  {row['Function']}  ({row['Calls']} calls)")
