"""The synthesized openturk stack: one function per route, tables mirroring the models, least privilege."""

import json
from typing import Any

import pytest
from aws_cdk.assertions import Match

from infra.events import STREAM_READ_ACTIONS
from infra.functions import KMS_ACTIONS, READ_ACTIONS, WRITE_ACTIONS
from infra.tables import table_key
from infra.worker_api import PREVIEW_ROUTES, SESSION_ROUTES, deployed_routes
from openturk.data.tables import MODELS, TTL_ATTRIBUTES
from openturk.edge.routes import BACKGROUND, BATCHES, REQUESTER, SIGN_UP, WORKER, Route

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CloudFront's managed policy ids
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"

ALL_ROUTES = list(REQUESTER.values()) + deployed_routes() + BACKGROUND + BATCHES + SIGN_UP
# The stream poller's permissions, on the delivery function only (infra/events.py).
STREAM_ACTIONS = set(STREAM_READ_ACTIONS) | {"dynamodb:ListStreams"}


def function_of(synthesized, module: str) -> dict[str, Any]:
    found = [
        r
        for r in synthesized.of_type("AWS::Lambda::Function").values()
        if r["Properties"]["Handler"] == f"{module}.handler"
    ]
    assert len(found) == 1, f"{len(found)} functions run {module}.handler"
    return found[0]


def policy_statements(synthesized, module: str) -> list[dict[str, Any]]:
    role = function_of(synthesized, module)["Properties"]["Role"]["Fn::GetAtt"][0]
    statements = []
    for policy in synthesized.of_type("AWS::IAM::Policy").values():
        if {"Ref": role} in policy["Properties"]["Roles"]:
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def _actions(statement: dict[str, Any]) -> set[str]:
    actions = statement["Action"]
    return {actions} if isinstance(actions, str) else set(actions)


def _resources(statement: dict[str, Any]) -> list[Any]:
    resources = statement["Resource"]
    return resources if isinstance(resources, list) else [resources]


def table_grants(synthesized, module: str) -> dict[str, set[str]]:
    """What a function may do to which table: {"hits": {"dynamodb:GetItem", ...}}, with the index ARNs it
    names checked against the table's indexes on the way."""
    logical = {
        synthesized.stack.get_logical_id(table.node.default_child): key
        for key, table in synthesized.stack.tables.tables.items()
    }
    grants: dict[str, set[str]] = {}
    named_indexes: dict[str, set[str]] = {}
    for statement in policy_statements(synthesized, module):
        actions = _actions(statement)
        if not any(a.startswith("dynamodb:") for a in actions) or actions <= STREAM_ACTIONS:
            continue
        for resource in _resources(statement):
            if "Fn::GetAtt" in resource:
                grants.setdefault(logical[resource["Fn::GetAtt"][0]], set()).update(actions)
            else:
                table_arn, suffix = resource["Fn::Join"][1]
                key = logical[table_arn["Fn::GetAtt"][0]]
                named_indexes.setdefault(key, set()).add(suffix.removeprefix("/index/"))
    for key in grants:
        assert named_indexes.get(key, set()) == set(synthesized.stack.tables.indexes[key]), key
    assert set(named_indexes) <= set(grants)
    return grants


def test_one_function_per_requester_operation_deployed_worker_route_and_background_route(synthesized):
    functions = synthesized.of_type("AWS::Lambda::Function")
    assert len(functions) == len(ALL_ROUTES)
    handlers = {r["Properties"]["Handler"] for r in functions.values()}
    assert handlers == {f"{route.module}.handler" for route in ALL_ROUTES}


def test_the_development_sign_in_is_not_deployed(synthesized):
    local_only = [route for route in WORKER if route.local_only]
    assert local_only, "routes.py no longer has a local-only route; drop this test"
    handlers = {r["Properties"]["Handler"] for r in synthesized.of_type("AWS::Lambda::Function").values()}
    route_keys = {
        r["Properties"]["RouteKey"] for r in synthesized.of_type("AWS::ApiGatewayV2::Route").values()
    }
    for route in local_only:
        assert f"{route.module}.handler" not in handlers
        assert f"{route.method} {route.path}" not in route_keys
    code = [p for p in synthesized.outdir.glob("asset.*/get_hit.py")]
    assert len(code) == 1, "the handlers' asset is staged once"
    assert not (code[0].parent / f"{local_only[0].module}.py").exists()


def test_every_function_runs_python_3_13_on_arm64_with_tracing_and_json_logs(synthesized):
    synthesized.template.all_resources_properties(
        "AWS::Lambda::Function",
        {
            "Runtime": "python3.13",
            "Architectures": ["arm64"],
            "TracingConfig": {"Mode": "Active"},
            "LoggingConfig": Match.object_like({"LogFormat": "JSON", "LogGroup": Match.any_value()}),
            "Layers": [Match.any_value()],
            "Environment": {
                "Variables": Match.object_like(
                    {
                        "POWERTOOLS_SERVICE_NAME": "openturk",
                        "POWERTOOLS_METRICS_NAMESPACE": "openturk",
                        **{f"OPENTURK_TABLE_{table_key(m).upper()}": Match.any_value() for m in MODELS},
                    }
                )
            },
        },
    )
    synthesized.template.all_resources_properties("AWS::Logs::LogGroup", {"RetentionInDays": 30})


def test_the_layer_is_built_for_the_functions_runtime_and_bundling_was_skipped(synthesized):
    synthesized.template.resource_count_is("AWS::Lambda::LayerVersion", 1)
    synthesized.template.has_resource_properties(
        "AWS::Lambda::LayerVersion",
        {"CompatibleRuntimes": ["python3.13"], "CompatibleArchitectures": ["arm64"]},
    )
    assert synthesized.bundler_calls == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_table_mirrors_its_model(synthesized, model):
    schema = model._get_schema()
    table = synthesized.stack.tables.tables[table_key(model)]
    resource = synthesized.resources[synthesized.stack.get_logical_id(table.node.default_child)]
    properties = resource["Properties"]
    assert resource["DeletionPolicy"] == "Retain"
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["DeletionProtectionEnabled"] is True
    # By role: str() of the two sides' dicts differs in key order, so it cannot sort them alike.
    assert sorted(properties["KeySchema"], key=lambda k: k["KeyType"]) == sorted(
        schema["key_schema"], key=lambda k: k["KeyType"]
    )
    expected_indexes = {
        index["index_name"]: sorted(index["key_schema"], key=str)
        for index in schema["global_secondary_indexes"]
    }
    indexes = properties.get("GlobalSecondaryIndexes", [])
    assert {i["IndexName"]: sorted(i["KeySchema"], key=str) for i in indexes} == expected_indexes
    assert all(i["Projection"] == {"ProjectionType": "ALL"} for i in indexes)
    ttl = TTL_ATTRIBUTES.get(model)
    expected_ttl = {"AttributeName": ttl, "Enabled": True} if ttl else None
    assert properties.get("TimeToLiveSpecification") == expected_ttl


def test_every_table_a_route_names_exists(synthesized):
    tables = set(synthesized.stack.tables.tables)
    for route in list(REQUESTER.values()) + WORKER:
        assert set(route.reads) | set(route.writes) <= tables, route.module


@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda r: r.module)
def test_each_function_may_touch_exactly_its_routes_tables(synthesized, route: Route):
    grants = table_grants(synthesized, route.module)
    expected = {key: set(READ_ACTIONS) for key in route.reads}
    expected.update({key: set(READ_ACTIONS + WRITE_ACTIONS) for key in route.writes})
    assert grants == expected


def test_get_hit_reads_the_access_keys_and_hits_and_cannot_write(synthesized):
    grants = table_grants(synthesized, "get_hit")
    read = {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}
    assert grants == {"access_keys": read, "hits": read}


def test_create_hit_writes_its_hit_type_token_and_money_and_only_reads_access_keys(synthesized):
    grants = table_grants(synthesized, "create_hit")
    write = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"}
    money = {"balances", "ledger", "hits", "assignments"}  # holds, and settling what is due when short
    # Settling approves due work, which moves the worker's counters and records the relationship.
    reviewed = {"workers", "relationships"}
    layouts = {"projects"}  # HITLayoutId names a project (domain/projects.py)
    assert set(grants) == {"access_keys", "hit_types", "request_tokens", "events", "qualification_types"} | (
        money | reviewed | layouts
    )
    assert not grants["access_keys"] & write
    assert not grants["qualification_types"] & write  # requirements' types are only checked
    for key in {"hit_types", "request_tokens", "events"} | money:
        assert write <= grants[key]


def test_worker_accept_hit_touches_hits_and_assignments_and_nothing_of_the_requesters(synthesized):
    grants = table_grants(synthesized, "worker_accept_hit")
    assert set(grants) == {"hits", "assignments", "events", "blocks", "qualifications", "workers"}
    # The worker's scores are read, never written, on accept.
    assert not grants["qualifications"] & {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
    assert not grants["workers"] & {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
    statements = policy_statements(synthesized, "worker_accept_hit")
    assert not any(a.startswith("secretsmanager:") for s in statements for a in _actions(s))
    variables = function_of(synthesized, "worker_accept_hit")["Properties"]["Environment"]["Variables"]
    assert "OPENTURK_MASTER_SECRET_ARN" not in variables


def test_no_function_may_scan_or_touch_every_table(synthesized):
    for route in ALL_ROUTES:
        for statement in policy_statements(synthesized, route.module):
            actions = _actions(statement)
            assert "dynamodb:Scan" not in actions and "dynamodb:*" not in actions
            if any(a.startswith("dynamodb:") for a in actions) and actions != {"dynamodb:ListStreams"}:
                assert "*" not in _resources(statement)


def test_requester_functions_read_the_master_secret_and_nothing_else_of_secrets_manager(synthesized):
    secret = synthesized.stack.get_logical_id(
        synthesized.stack.requester_api.master_secret.node.default_child
    )
    for route in REQUESTER.values():
        variables = function_of(synthesized, route.module)["Properties"]["Environment"]["Variables"]
        assert variables["OPENTURK_MASTER_SECRET_ARN"] == {"Ref": secret}
        granted = [
            s for s in policy_statements(synthesized, route.module) if "secretsmanager" in str(s["Action"])
        ]
        assert granted == [
            {"Action": "secretsmanager:GetSecretValue", "Effect": "Allow", "Resource": {"Ref": secret}}
        ]


def test_logs_go_to_the_functions_own_log_group_only(synthesized):
    for route in ALL_ROUTES:
        function = function_of(synthesized, route.module)
        log_group = function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        logs = [s for s in policy_statements(synthesized, route.module) if "logs:" in str(s["Action"])]
        assert logs == [
            {
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Effect": "Allow",
                "Resource": {"Fn::GetAtt": [log_group, "Arn"]},
            }
        ]


def test_each_operation_has_its_route_and_worker_routes_need_a_token(synthesized):
    routes = {
        r["Properties"]["RouteKey"]: r["Properties"]
        for r in synthesized.of_type("AWS::ApiGatewayV2::Route").values()
    }
    expected_requester = {f"POST /requester/{operation}" for operation in REQUESTER}
    expected_worker = {f"{route.method} {route.path}" for route in deployed_routes()}
    assert set(routes) == expected_requester | expected_worker
    for key in expected_requester:
        assert routes[key].get("AuthorizationType", "NONE") == "NONE"  # SigV4 is checked in the function
    for route in deployed_routes():
        expected = "NONE" if route.module in SESSION_ROUTES else "JWT"
        assert routes[f"{route.method} {route.path}"].get("AuthorizationType", "NONE") == expected
    synthesized.template.has_resource_properties(
        "AWS::ApiGatewayV2::Authorizer",
        {
            "AuthorizerType": "JWT",
            "IdentitySource": ["$request.header.Authorization"],
            "JwtConfiguration": {"Audience": [Match.any_value()], "Issuer": Match.any_value()},
        },
    )
    synthesized.template.has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {"StageName": "$default", "AutoDeploy": True, "AccessLogSettings": Match.object_like({})},
    )


def test_api_gateway_may_invoke_each_function_only_through_its_own_route(synthesized):
    integrations = synthesized.of_type("AWS::ApiGatewayV2::Integration")
    permissions = [
        p["Properties"]
        for p in synthesized.of_type("AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "apigateway.amazonaws.com"
    ]
    routes = synthesized.of_type("AWS::ApiGatewayV2::Route").values()
    assert len(permissions) == len(routes)
    for route in routes:
        _, path = route["Properties"]["RouteKey"].split(" ")
        integration = route["Properties"]["Target"]["Fn::Join"][1][1]["Ref"]
        function = integrations[integration]["Properties"]["IntegrationUri"]
        assert function["Fn::GetAtt"][1] == "Arn"  # the function itself, wherever its stack
        (permission,) = [p for p in permissions if p["FunctionName"] == function]
        source = permission["SourceArn"]["Fn::Join"][1]
        assert source[-2:] == [route["Properties"]["ApiId"], f"/*/*{path}"], path


def test_the_front_door_rewrites_posts_to_the_requester_routes_and_caches_nothing(synthesized):
    functions = synthesized.of_type("AWS::CloudFront::Function")
    assert len(functions) == 1
    ((name, function),) = functions.items()
    config = function["Properties"]["FunctionConfig"]
    assert config["Runtime"] == "cloudfront-js-2.0"
    code = function["Properties"]["FunctionCode"]
    assert '"/requester/" + operation' in code and "x-openturk-host" in code and "x-openturk-path" in code
    synthesized.template.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": Match.object_like(
                {
                    "DefaultCacheBehavior": Match.object_like(
                        {
                            "AllowedMethods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
                            "CachePolicyId": CACHING_DISABLED,
                            "OriginRequestPolicyId": ALL_VIEWER_EXCEPT_HOST_HEADER,
                            "ViewerProtocolPolicy": "https-only",
                            "FunctionAssociations": [
                                {
                                    "EventType": "viewer-request",
                                    "FunctionARN": {"Fn::GetAtt": [name, "FunctionARN"]},
                                }
                            ],
                        }
                    ),
                    "Origins": [
                        Match.object_like(
                            {"CustomOriginConfig": Match.object_like({"OriginProtocolPolicy": "https-only"})}
                        )
                    ],
                }
            )
        },
    )


def test_workers_sign_up_themselves_with_a_strong_password_and_a_public_client(synthesized):
    synthesized.template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False},
            "AliasAttributes": ["email"],
            "Policies": {
                "PasswordPolicy": Match.object_like(
                    {
                        "MinimumLength": 12,
                        "RequireLowercase": True,
                        "RequireUppercase": True,
                        "RequireNumbers": True,
                        "RequireSymbols": True,
                    }
                )
            },
        },
    )
    synthesized.template.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        {
            "GenerateSecret": False,
            "AllowedOAuthFlowsUserPoolClient": False,
            "ExplicitAuthFlows": [
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
            ],
            "AllowedOAuthFlows": Match.absent(),
        },
    )


def test_a_confirmed_sign_up_runs_the_profile_trigger_with_the_locale_and_adult_attributes(synthesized):
    [pool] = synthesized.of_type("AWS::Cognito::UserPool").values()
    schema = {
        attribute["Name"]: attribute.get("AttributeDataType") for attribute in pool["Properties"]["Schema"]
    }
    assert {name: schema.get(name) for name in ("country", "subdivision", "adult")} == {
        "country": "String",
        "subdivision": "String",
        "adult": "Boolean",
    }
    trigger = pool["Properties"]["LambdaConfig"]["PostConfirmation"]
    assert trigger == {"Fn::GetAtt": [function_logical_id(synthesized, "worker_signed_up"), "Arn"]}


def test_the_stack_names_what_users_and_the_cli_read(synthesized):
    outputs = synthesized.template.to_json()["Outputs"]
    assert set(outputs) >= {
        "RequesterEndpoint",
        "WorkerApiUrl",
        "UserPoolId",
        "UserPoolClientId",
        "MasterSecretArn",
        "TableNames",
        "EventBusName",
        "EventBusArn",
    }
    # TableNames maps every table key to its physical name, for `openturk … --stack`.
    rendered = json.dumps(outputs["TableNames"]["Value"])
    for key, table in synthesized.stack.tables.tables.items():
        assert key in rendered
        assert synthesized.stack.get_logical_id(table.node.default_child) in rendered


# ---- time and events (infra/events.py) ---------------------------------------------------------------


def logical_id(synthesized, construct) -> str:
    return synthesized.stack.get_logical_id(construct.node.default_child)


def function_logical_id(synthesized, module: str) -> str:
    (name,) = [
        name
        for name, r in synthesized.of_type("AWS::Lambda::Function").items()
        if r["Properties"]["Handler"] == f"{module}.handler"
    ]
    return name


def test_the_stack_has_its_event_bus_and_names_it(synthesized):
    synthesized.template.resource_count_is("AWS::Events::EventBus", 1)
    synthesized.template.has_resource_properties("AWS::Events::EventBus", {"Name": "openturk"})
    bus = logical_id(synthesized, synthesized.stack.events.bus)
    outputs = synthesized.template.to_json()["Outputs"]
    assert outputs["EventBusName"]["Value"] == {"Ref": bus}
    assert outputs["EventBusArn"]["Value"] == {"Fn::GetAtt": [bus, "Arn"]}


def test_a_rule_runs_the_sweep_every_minute_and_nothing_else(synthesized):
    rules = {k: r for k, r in synthesized.of_type("AWS::Events::Rule").items() if not k.startswith("Batches")}
    assert len(rules) == 1  # the batches' results schedule is tests/infra/test_batches.py's
    ((_, rule),) = rules.items()
    properties = rule["Properties"]
    assert properties["ScheduleExpression"] == "rate(1 minute)"
    assert properties["State"] == "ENABLED"
    assert "EventBusName" not in properties  # schedules run on the default bus
    sweep = function_logical_id(synthesized, "sweep")
    assert [t["Arn"] for t in properties["Targets"]] == [{"Fn::GetAtt": [sweep, "Arn"]}]
    synthesized.template.has_resource_properties(
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "Principal": "events.amazonaws.com",
            "FunctionName": {"Fn::GetAtt": [sweep, "Arn"]},
        },
    )
    # The next minute's run is the retry.
    synthesized.template.has_resource_properties(
        "AWS::Lambda::EventInvokeConfig", {"FunctionName": {"Ref": sweep}, "MaximumRetryAttempts": 0}
    )


def test_the_events_table_streams_new_events_to_deliver_events(synthesized):
    events_table = logical_id(synthesized, synthesized.stack.tables.tables["events"])
    properties = synthesized.resources[events_table]["Properties"]
    assert properties["StreamSpecification"] == {"StreamViewType": "KEYS_ONLY"}
    streamed = [
        name
        for name, r in synthesized.of_type("AWS::DynamoDB::Table").items()
        if "StreamSpecification" in r["Properties"]
    ]
    assert streamed == [events_table]
    mappings = {
        k: m
        for k, m in synthesized.of_type("AWS::Lambda::EventSourceMapping").items()
        if not k.startswith("Batches")
    }
    assert len(mappings) == 1
    ((_, mapping),) = mappings.items()
    dead_letters = logical_id(synthesized, synthesized.stack.events.dead_letters)
    assert mapping["Properties"] == {
        "EventSourceArn": {"Fn::GetAtt": [events_table, "StreamArn"]},
        "FunctionName": {"Ref": function_logical_id(synthesized, "deliver_events")},
        "StartingPosition": "LATEST",
        "BatchSize": 100,
        "MaximumRetryAttempts": 3,
        "BisectBatchOnFunctionError": True,
        "FilterCriteria": {
            "Filters": [{"Pattern": json.dumps({"eventName": ["INSERT"]}, separators=(",", ":"))}]
        },
        "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": [dead_letters, "Arn"]}}},
    }
    queue = synthesized.resources[dead_letters]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True
    # Only the delivery function reads the stream, and by its exact ARN (ListStreams has no resource).
    for route in ALL_ROUTES:
        stream = [s for s in policy_statements(synthesized, route.module) if _actions(s) & STREAM_ACTIONS]
        if route.module != "deliver_events":
            assert stream == [], route.module
            continue
        assert {frozenset(_actions(s)): _resources(s) for s in stream} == {
            frozenset(STREAM_READ_ACTIONS): [{"Fn::GetAtt": [events_table, "StreamArn"]}],
            frozenset({"dynamodb:ListStreams"}): ["*"],
        }


def _service_grants(synthesized, module: str) -> dict[str, list[Any]]:
    """What a function may do outside DynamoDB, logs, X-Ray and Secrets Manager: action -> resources."""
    own = ("dynamodb:", "logs:", "xray:", "secretsmanager:")
    grants: dict[str, list[Any]] = {}
    for statement in policy_statements(synthesized, module):
        for action in _actions(statement):
            if not action.startswith(own):
                grants.setdefault(action, []).extend(_resources(statement))
    return grants


@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda r: r.module)
def test_sqs_sns_and_the_bus_are_granted_exactly_where_the_route_names_them(synthesized, route: Route):
    bus = logical_id(synthesized, synthesized.stack.events.bus)
    expected: dict[str, list[Any]] = {}
    if "sqs" in route.aws:
        expected["sqs:SendMessage"] = ["*"]  # requesters name their queues at run time
    if "sns" in route.aws:
        expected["sns:Publish"] = ["*"]
    if {"sqs", "sns"} & set(route.aws):
        expected.update({action: ["*"] for action in KMS_ACTIONS})
    if "events" in route.aws:
        expected["events:PutEvents"] = [{"Fn::GetAtt": [bus, "Arn"]}]
    grants = _service_grants(synthesized, route.module)
    if {"s3", "batch-queue"} & set(route.aws):  # the batch bucket and queue: tests/infra/test_batches.py
        grants = {a: r for a, r in grants.items() if not a.startswith(("s3:", "sqs:"))}
    if route.module == "deliver_events":
        # Its stream's failed batches go to the dead-letter queue, and only there.
        dead_letters = {"Fn::GetAtt": [logical_id(synthesized, synthesized.stack.events.dead_letters), "Arn"]}
        for action in ("sqs:GetQueueAttributes", "sqs:GetQueueUrl"):
            assert grants.pop(action) == [dead_letters]
        grants["sqs:SendMessage"].remove(dead_letters)
    assert grants == expected
    # The keys of encrypted queues and topics, only through SQS and SNS.
    for statement in policy_statements(synthesized, route.module):
        if _actions(statement) & set(KMS_ACTIONS):
            assert statement["Condition"] == {
                "StringLike": {"kms:ViaService": ["sqs.*.amazonaws.com", "sns.*.amazonaws.com"]}
            }
    variables = function_of(synthesized, route.module)["Properties"]["Environment"]["Variables"]
    if "events" in route.aws:
        assert variables["OPENTURK_EVENT_BUS"] == {"Ref": bus}
    else:
        assert "OPENTURK_EVENT_BUS" not in variables
    if route.aws:
        assert variables["OPENTURK_ACCOUNT_ID"] == {"Ref": "AWS::AccountId"}
    else:
        assert "OPENTURK_ACCOUNT_ID" not in variables


def test_the_routes_that_send_are_the_delivery_the_sweep_and_the_test_notification(synthesized):
    senders = {
        route.module
        for route in ALL_ROUTES
        if route not in BATCHES  # it sends only to its own queue (tests/infra/test_batches.py)
        and "sqs:SendMessage" in _service_grants(synthesized, route.module)
    }
    assert senders == {"deliver_events", "sweep", "send_test_event_notification"}
    on_the_bus = {
        route.module
        for route in ALL_ROUTES
        if "events:PutEvents" in _service_grants(synthesized, route.module)
    }
    assert on_the_bus == {"deliver_events", "sweep"}


def test_background_functions_have_no_http_route_and_a_longer_timeout(synthesized):
    for route in BACKGROUND:
        properties = function_of(synthesized, route.module)["Properties"]
        assert properties["Timeout"] == 60
    integrations = json.dumps(synthesized.of_type("AWS::ApiGatewayV2::Integration"))
    for route in BACKGROUND:
        assert function_logical_id(synthesized, route.module) not in integrations


def test_a_worker_requesting_a_qualification_reads_types_and_writes_only_their_request_and_score(synthesized):
    grants = table_grants(synthesized, "worker_request_qualification")
    assert set(grants) == {"qualification_types", "qualifications", "qualification_requests"}
    assert not grants["qualification_types"] & {
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
    }


def test_the_qualification_requests_table_has_its_pending_index(synthesized):
    assert "Pending" in synthesized.stack.tables.indexes["qualification_requests"]
    assert "ByWorker" in synthesized.stack.tables.indexes["qualifications"]


def test_web_pages_check_the_session_token_against_the_user_pool_themselves(synthesized):
    pool = synthesized.stack.get_logical_id(synthesized.stack.worker_api.user_pool.node.default_child)
    for module in SESSION_ROUTES:
        variables = function_of(synthesized, module)["Properties"]["Environment"]["Variables"]
        assert variables["OPENTURK_USER_POOL_ID"] == {"Ref": pool}
        assert "OPENTURK_USER_POOL_CLIENT_ID" in variables


def test_only_the_preview_pages_read_the_master_secret_among_worker_functions(synthesized):
    for route in deployed_routes():
        granted = [
            s for s in policy_statements(synthesized, route.module) if "secretsmanager" in str(s["Action"])
        ]
        assert bool(granted) == (route.module in PREVIEW_ROUTES), route.module
