"""`openturk serve`: moto, DynamoDB Local, the tables, a user pool, the event bus, the default requester,
the gateway, and the schedules' work every tick.

Settings are read from the environment when openturk's modules are first imported, so this module sets
the environment first and imports the rest of openturk after.
"""

import logging
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from openturk.local.engines import DynamoDBLocal, MotoServer

REGION = "us-east-1"


@dataclass
class Runtime:
    host: str = "127.0.0.1"
    port: int = 8000
    aws_port: int = 4566
    dynamodb_port: int | None = None
    data_dir: str | None = None
    # When set, a background thread runs the schedules' work (tick_once()) every `tick` seconds: for an
    # in-process runtime such as the tests'. `openturk serve` runs it in its main loop instead.
    tick: float | None = None
    info: dict[str, Any] = field(default_factory=dict)

    def start(self) -> dict[str, Any]:
        started = time.monotonic()
        # The JVM takes the longest to start: start it first, then moto while it boots.
        self.dynamodb = DynamoDBLocal(self.dynamodb_port, self.data_dir).start()
        self.durable_aws = None
        if self.data_dir:  # S3 objects and the user pool's workers on disk too (moto keeps memory only)
            from openturk.local.aws_store import DurableAws

            self.durable_aws = DurableAws(self.data_dir)
        self.moto = MotoServer(
            self.host, self.aws_port or None, wrap=self.durable_aws and self.durable_aws.wrap
        )
        self.moto.start()
        self.dynamodb.wait_until_ready()
        os.environ.update(
            {
                "OPENTURK_LOCAL": "1",
                "OPENTURK_DYNAMODB_ENDPOINT": self.dynamodb.endpoint,
                "OPENTURK_DYNAMODB_DIRECT": os.environ.get("OPENTURK_DYNAMODB_DIRECT", "1"),
                "OPENTURK_AWS_ENDPOINT": self.moto.endpoint,
                "AWS_REGION": REGION,
                "AWS_DEFAULT_REGION": REGION,
                "AWS_ACCESS_KEY_ID": "openturklocal",
                "AWS_SECRET_ACCESS_KEY": "openturklocal",
                "POWERTOOLS_METRICS_DISABLED": "true",
                "POWERTOOLS_TRACE_DISABLED": "true",
                "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
                "OPENTURK_DYNAMODB_LOCAL_ON_DISK": "1" if self.data_dir else "",
            }
        )
        os.environ.pop("AWS_SESSION_TOKEN", None)
        import boto3

        from openturk.data import tables
        from openturk.domain import clock, notifications, requesters, sweeper
        from openturk.local.gateway import Gateway, TokenVerifier, serve

        tables.create_all()
        cognito = boto3.client("cognito-idp", endpoint_url=self.moto.endpoint, region_name=REGION)
        pool = cognito.create_user_pool(PoolName="openturk-workers")["UserPool"]["Id"]
        client = cognito.create_user_pool_client(
            UserPoolId=pool,
            ClientName="openturk-worker-app",
            ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
        )["UserPoolClient"]["ClientId"]
        os.environ.update({"OPENTURK_USER_POOL_ID": pool, "OPENTURK_USER_POOL_CLIENT_ID": client})
        default = requesters.ensure_default(clock.now())
        # The stack's event bus: every event is published on it (domain/notifications.py).
        events = boto3.client("events", endpoint_url=self.moto.endpoint, region_name=REGION)
        events.create_event_bus(Name=os.environ.get("OPENTURK_EVENT_BUS") or "openturk")
        # The batch bucket, its notifications to the batch queue, and the queue's pollers.
        from openturk.local.s3_events import BatchEvents
        from openturk.local.s3_events import local_routes as batch_routes

        self.batch_events = BatchEvents(self.moto.endpoint, REGION, self.dynamodb.on_all_cpus)
        batch_info = self.batch_events.start()
        recovered: dict[str, int] = {}
        if self.data_dir:  # batches half published when it stopped: their chunk messages died with moto
            from openturk.domain import batch_recovery

            recovered["BatchesResumed"] = batch_recovery.resume_publishing()["Batches"]
            recovered["BatchFilesStarted"] = batch_recovery.start_unrecorded()

        local_routes = {
            ("POST", "/local/clock"): lambda body: {"Now": clock.advance(float(body.get("advance", 0)))},
            ("POST", "/local/requesters"): lambda body: requesters.create(body["name"], clock.now()),
            ("POST", "/local/requesters/fund"): lambda body: requesters.fund(
                body["RequesterId"], str(body["Amount"]), clock.now()
            ),
            # Deliver the due events now, once.
            ("POST", "/local/deliver"): lambda body: notifications.deliver_pending(clock.now()),
            # Run the schedules now, once: what the background loop does every tick.
            ("POST", "/local/sweep"): lambda body: sweeper.sweep(clock.now()),
        }
        local_routes.update(batch_routes())
        self.gateway = Gateway(TokenVerifier(REGION, pool, client), local_routes)
        self.server = serve(self.gateway, self.host, self.port)
        self.port = self.server.server_address[1]
        self.info = {
            "Endpoint": f"http://{self.host}:{self.port}",
            "AwsEndpoint": self.moto.endpoint,
            "Region": REGION,
            "DefaultRequester": default,
            "WorkerApi": f"http://{self.host}:{self.port}/worker/api/",
            "ReadyInSeconds": round(time.monotonic() - started, 2),
            **batch_info,
            **recovered,
        }
        if self.tick:
            self._stopping = threading.Event()
            self._ticker = threading.Thread(target=self._tick_every, args=(self.tick,), daemon=True)
            self._ticker.start()
        return self.info

    def tick_once(self) -> None:
        """The schedules' work, once: what the deployed sweep function does every minute. A failure is
        logged, never fatal."""
        from openturk.domain import clock, sweeper
        from openturk.local import s3_events

        try:
            if self.data_dir and self.dynamodb.revive():  # in memory, a new one would hold nothing
                logging.getLogger("openturk").warning("DynamoDB Local had stopped; it was started again")
            sweeper.sweep(clock.now())
            s3_events.finish_due()
        except Exception:
            logging.getLogger("openturk").exception("the background tick failed")

    def _tick_every(self, seconds: float) -> None:
        while not self._stopping.wait(seconds):
            self.tick_once()

    def stop(self) -> None:
        ticker = getattr(self, "_ticker", None)
        if ticker is not None:
            self._stopping.set()
            ticker.join(timeout=30)
        for part in ("server", "batch_events", "dynamodb", "moto"):
            thing = getattr(self, part, None)
            if thing is None:
                continue
            if part == "server":
                thing.shutdown()
            else:
                thing.stop()


def banner(info: dict[str, Any]) -> str:
    key = info["DefaultRequester"]
    return "\n".join(
        [
            f"openturk is ready in {info['ReadyInSeconds']} s",
            f"  requester API (MTurk 2017-01-17): {info['Endpoint']}",
            f"  worker API:                       {info['WorkerApi']}",
            f"  AWS endpoint (S3, SQS, SNS, …):   {info['AwsEndpoint']}",
            f"  batch bucket:                     s3://{info.get('BatchBucket')}/requesters/{key['RequesterId']}/",
            f"  default requester {key['RequesterId']}",
            f"    AccessKeyId     {key['AccessKeyId']}",
            f"    SecretAccessKey {key['SecretAccessKey']}",
            "",
            "  boto3.client('mturk', region_name='us-east-1', endpoint_url='" + info["Endpoint"] + "',",
            f"               aws_access_key_id='{key['AccessKeyId']}', aws_secret_access_key='{key['SecretAccessKey']}')",
        ]
    )


def run(host: str, port: int, aws_port: int, tick: float, data_dir: str | None) -> None:
    runtime = Runtime(host, port, aws_port, data_dir=data_dir)
    try:
        info = runtime.start()
    except Exception as error:
        runtime.stop()
        print(f"openturk could not start: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    print(banner(info), flush=True)
    # SIGTERM (a service manager, `kill`) stops as cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        while True:
            time.sleep(tick)
            runtime.tick_once()
    except KeyboardInterrupt:
        pass
    finally:
        runtime.stop()
