"""OpenturkStack: composes the capabilities and names the outputs users and `openturk --stack` read."""

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from infra.api import HttpApi
from infra.batches import Batches
from infra.events import Events
from infra.front_door import FrontDoor
from infra.layer import SharedLayer
from infra.requester_api import RequesterApi
from infra.tables import Tables
from infra.worker_api import WorkerApi
from openturk.edge.routes import REQUESTER


class OpenturkStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.tables = tables = Tables(self, "Tables")
        layer = SharedLayer(self, "Shared").layer
        # The bus first: the API functions that record events are given its name and PutEvents on it.
        self.events = Events(self, "Events", tables=tables, layer=layer)
        bus = self.events.bus
        http_api = HttpApi(self, "Http")
        self.requester_api = RequesterApi(
            self, "Requester", http_api=http_api, tables=tables, layer=layer, event_bus=bus
        )
        self.worker_api = WorkerApi(
            self,
            "Worker",
            http_api=http_api,
            tables=tables,
            layer=layer,
            event_bus=bus,
            master_secret=self.requester_api.master_secret,
        )
        self.front_door = FrontDoor(self, "FrontDoor", http_api=http_api, operations=REQUESTER)
        self.batches = Batches(
            self,
            "Batches",
            tables=tables,
            layer=layer,
            download_function=self.requester_api.functions["GetFileUploadURL"],
            upload_function=self.worker_api.functions["worker_upload_url"],
        )

        outputs = {
            "RequesterEndpoint": (self.front_door.url, "endpoint_url for boto3's mturk client"),
            "WorkerApiUrl": (f"{self.front_door.url}/worker/api", "the worker JSON API"),
            "UserPoolId": (self.worker_api.user_pool.user_pool_id, "the workers' Cognito user pool"),
            "UserPoolClientId": (self.worker_api.client.user_pool_client_id, "the worker app's client"),
            "MasterSecretArn": (self.requester_api.master_secret.secret_arn, "requester keys derive from it"),
            "EventBusName": (bus.event_bus_name, "every event is put here (source openturk.mturk)"),
            "EventBusArn": (bus.event_bus_arn, "for rules and cross-account targets on the bus"),
            "BatchBucketName": (
                self.batches.bucket.bucket_name,
                "upload projects and batches under requesters/<id>/",
            ),
            "BatchDeadLetterQueueUrl": (
                self.batches.dead_letters.queue_url,
                "batch messages that failed 5 times",
            ),
            "TableNames": (
                self.to_json_string({key: table.table_name for key, table in tables.tables.items()}),
                "every table by key, read by `openturk … --stack`",
            ),
        }
        for name, (value, description) in outputs.items():
            CfnOutput(self, name, value=value, description=description)
