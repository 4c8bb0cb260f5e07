"""The layer's local bundling: what it asks pip for and what it writes, without running pip."""

from pathlib import Path

from infra import settings
from infra.layer import PACKAGE, LocalBundler, pip_command, runtime_dependencies, source_hash


def test_pip_fetches_wheels_for_the_lambda_runtime_only():
    argv = pip_command("/out/python", ["pynamodb==6.1.0"])
    assert argv[1:4] == ["-m", "pip", "install"]
    assert argv[argv.index("--target") + 1] == "/out/python"
    assert argv[argv.index("--platform") + 1] == "manylinux2014_aarch64"
    assert argv[argv.index("--python-version") + 1] == "3.13" == settings.RUNTIME.name.removeprefix("python")
    assert "--only-binary=:all:" in argv
    assert argv[-1] == "pynamodb==6.1.0"


def test_the_bundle_is_the_dependencies_then_the_openturk_package(tmp_path: Path):
    commands: list[list[str]] = []
    bundler = LocalBundler(runtime_dependencies(), run=commands.append)
    (PACKAGE / "__pycache__").mkdir(exist_ok=True)  # as any test run leaves behind

    assert bundler.try_bundle(str(tmp_path), image=settings.RUNTIME.bundling_image) is True

    (command,) = commands
    assert command[-len(runtime_dependencies()) :] == runtime_dependencies()
    assert any(d.startswith("pynamodb") for d in runtime_dependencies())
    layer = tmp_path / "python" / "openturk"
    assert (layer / "edge" / "routes.py").is_file()
    assert (layer / "edge" / "mturk-2017-01-17.json").is_file()  # the botocore model the edge validates with
    assert not list(layer.rglob("__pycache__"))


def test_the_layer_asset_changes_with_its_dependencies():
    dependencies = runtime_dependencies()
    assert source_hash(dependencies) == source_hash(list(dependencies))
    assert source_hash(dependencies) != source_hash(dependencies + ["six==1.17.0"])
