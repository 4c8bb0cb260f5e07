"""The CDK app: the openturk stack with cdk.json's settings and cdk-nag's AwsSolutions checks.

app.py (what `cdk` and `make synth` run) and the infra tests both build it here, so the tests check the
app that deploys.
"""

import json
import os
from pathlib import Path
from typing import Any

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from infra.stack import OpenturkStack

STACK_NAME = "openturk"
ROOT = Path(__file__).resolve().parent.parent
CDK_JSON = ROOT / "cdk.json"


def cdk_json_context() -> dict[str, Any]:
    """cdk.json's context (the feature flags). The CDK CLI passes it to the app itself; a plain
    `python app.py` would not see it, so the app starts from it and lets the CLI's values win."""
    return dict(json.loads(CDK_JSON.read_text()).get("context", {}))


def create_app(context: dict[str, Any] | None = None, outdir: str | None = None) -> tuple[App, OpenturkStack]:
    if outdir is None and "CDK_OUTDIR" not in os.environ:
        outdir = str(ROOT / "cdk.out")  # `python app.py` (make synth) writes where `cdk synth` does
    app = App(context={**cdk_json_context(), **(context or {})}, outdir=outdir)
    stack = OpenturkStack(
        app, STACK_NAME, description="openturk: a self-hosted Mechanical Turk (MTurk 2017-01-17 API)"
    )
    # cdk-nag 3 is a CDK validation plugin: any finding not acknowledged (Validations.of(construct)
    # .acknowledge, next to the construct, with its reason) stops synthesis, so `cdk deploy` too. The
    # acknowledgments are also written into the template's Metadata, where a reviewer sees them.
    Validations.of(app).add_plugins(
        AwsSolutionsChecks(app, verbose=True, write_suppressions_to_cloud_formation=True)
    )
    return app, stack
