"""One synthesis of the openturk app for the whole infra run (it takes seconds), without bundling."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template

from infra.layer import LocalBundler
from infra.stack import OpenturkStack


@dataclass
class Synthesized:
    app: App
    stack: OpenturkStack
    template: Template
    resources: dict[str, dict[str, Any]]  # logical id -> resource, from the written template
    outdir: Path
    bundler_calls: list[str]

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {name: r for name, r in self.resources.items() if r["Type"] == kind}


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory) -> Synthesized:
    from infra.app import create_app

    outdir = tmp_path_factory.mktemp("cdk.out")
    calls: list[str] = []

    def refuse_to_bundle(self, output_dir: str, *, image: Any, **_: Any) -> bool:
        calls.append(output_dir)
        raise AssertionError("the infra tests must not run pip: bundling should have been skipped")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LocalBundler, "try_bundle", refuse_to_bundle)
        # An empty list of stacks to bundle skips bundling (the asset keeps its source hash).
        app, stack = create_app(context={"aws:cdk:bundling-stacks": []}, outdir=str(outdir))
        assembly = app.synth()
    written = json.loads((Path(assembly.directory) / stack.template_file).read_text())
    return Synthesized(
        app=app,
        stack=stack,
        template=Template.from_json(written),
        resources=written["Resources"],
        outdir=Path(assembly.directory),
        bundler_calls=calls,
    )
