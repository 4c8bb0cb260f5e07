"""One synthesis of the openturk app for the whole infra run (it takes seconds), without bundling.

The functions live in nested stacks (infra/function_stack.py), so the app writes a parent template and one
per nested stack. The tests read them as one flattened view, as if it were one stack: every nested
resource is taken in beside the parent's, each `{"Ref": <parameter>}` in a nested template becomes the
value the parent passes in (a table's `Fn::GetAtt ... Arn`, a secret's `Ref`), and each parent
`{"Fn::GetAtt": [<nested stack>, "Outputs.X"]}` becomes the nested output's value (a function's
`Fn::GetAtt ... Arn`). A grant then reads exactly as it would in a single template.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, NestedStack, Stack
from aws_cdk.assertions import Template

from infra.layer import LocalBundler
from infra.stack import OpenturkStack


@dataclass
class Synthesized:
    app: App
    stack: OpenturkStack
    template: Template  # the flattened view
    resources: dict[str, dict[str, Any]]  # logical id -> resource, from the flattened view
    templates: dict[str, dict[str, Any]]  # every written template as written, by file name
    outdir: Path
    bundler_calls: list[str]

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {name: r for name, r in self.resources.items() if r["Type"] == kind}


def _substitute(node: Any, refs: dict[str, Any], outputs: dict[tuple[str, str], Any]) -> Any:
    if isinstance(node, list):
        return [_substitute(item, refs, outputs) for item in node]
    if not isinstance(node, dict):
        return node
    if list(node) == ["Ref"] and node["Ref"] in refs:
        return refs[node["Ref"]]
    if list(node) == ["Fn::GetAtt"] and tuple(node["Fn::GetAtt"]) in outputs:
        return outputs[tuple(node["Fn::GetAtt"])]
    return {key: _substitute(value, refs, outputs) for key, value in node.items()}


def flatten(outdir: Path, stack: Stack, template: dict[str, Any]) -> dict[str, Any]:
    """The template of `stack` with its nested stacks' resources taken in (recursively), as above."""
    flat = json.loads(json.dumps(template))
    outputs: dict[tuple[str, str], Any] = {}
    for nested in stack.node.find_all():
        if not NestedStack.is_nested_stack(nested) or nested.nested_stack_parent is not stack:
            continue
        assert isinstance(nested, NestedStack)
        resource_id = stack.resolve(stack.get_logical_id(nested.nested_stack_resource))  # type: ignore[arg-type]
        passed_in = flat["Resources"][resource_id]["Properties"].get("Parameters", {})
        written = json.loads((outdir / nested.template_file).read_text())
        inner = flatten(outdir, nested, written)
        assert set(inner.get("Parameters", {})) == set(passed_in), f"{resource_id}'s parameters"
        inner = _substitute(inner, passed_in, {})
        for name, output in inner.get("Outputs", {}).items():
            outputs[(resource_id, f"Outputs.{name}")] = output["Value"]
        clashes = set(inner["Resources"]) & set(flat["Resources"])
        assert not clashes, f"logical ids in both {resource_id} and its parent: {clashes}"
        flat["Resources"].update(inner["Resources"])
    # Outputs of one nested stack may be passed into another: substitute until nothing changes.
    while True:
        substituted = _substitute(flat, {}, outputs)
        if substituted == flat:
            return flat
        flat = substituted


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
    directory = Path(assembly.directory)
    templates = {path.name: json.loads(path.read_text()) for path in directory.glob("*.template.json")}
    flat = flatten(directory, stack, templates[stack.template_file])
    return Synthesized(
        app=app,
        stack=stack,
        template=Template.from_json(flat),
        resources=flat["Resources"],
        templates=templates,
        outdir=directory,
        bundler_calls=calls,
    )
