"""SharedLayer: the `openturk` package and its runtime dependencies, as one Lambda layer.

Built on this machine, without Docker: pip downloads the wheels for the Lambda runtime's Python and CPU
(--platform/--python-version/--only-binary), so nothing compiles here and the result matches Lambda.
"""

import hashlib
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra import settings

ROOT = Path(__file__).resolve().parent.parent
LAYER_SOURCE = ROOT / "layers"
PACKAGE = LAYER_SOURCE / "openturk"
_IGNORED = ("__pycache__", "*.pyc")


def runtime_dependencies() -> list[str]:
    """pyproject.toml's [project].dependencies: what the handlers need at run time, and only that."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return list(project["dependencies"])


def pip_command(target: str, dependencies: Sequence[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",  # .pyc files made here would be for this interpreter, not Lambda's
        "--target",
        target,
        "--platform",
        settings.PIP_PLATFORM,
        "--implementation",
        "cp",
        "--python-version",
        settings.PIP_PYTHON_VERSION,
        "--only-binary=:all:",
        *dependencies,
    ]


def _run(argv: list[str]) -> None:
    subprocess.run(argv, check=True)


@jsii.implements(ILocalBundling)
class LocalBundler:
    """Writes <out>/python/ (the layer's import root): the wheels pip resolves, then the openturk package."""

    def __init__(
        self,
        dependencies: Sequence[str],
        package: Path = PACKAGE,
        run: Callable[[list[str]], None] = _run,
    ) -> None:
        self.dependencies = list(dependencies)
        self.package = package
        self.run = run

    def try_bundle(self, output_dir: str, *, image: DockerImage, **_: Any) -> bool:
        python = Path(output_dir) / "python"
        python.mkdir(parents=True, exist_ok=True)
        self.run(pip_command(str(python), self.dependencies))
        shutil.copytree(self.package, python / self.package.name, ignore=shutil.ignore_patterns(*_IGNORED))
        return True


def source_hash(dependencies: Sequence[str], package: Path = PACKAGE) -> str:
    """Changes when a dependency, the target platform or any file of the package changes; computed without
    running pip, so that synthesizing without bundling still names the asset correctly."""
    digest = hashlib.sha256()
    for part in (*dependencies, settings.PIP_PLATFORM, settings.PIP_PYTHON_VERSION):
        digest.update(part.encode() + b"\0")
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


class SharedLayer(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        dependencies = runtime_dependencies()
        self.layer = lambda_.LayerVersion(
            self,
            "Layer",
            code=lambda_.Code.from_asset(
                str(LAYER_SOURCE),
                asset_hash_type=AssetHashType.CUSTOM,
                asset_hash=source_hash(dependencies),
                bundling=BundlingOptions(
                    # Required by the API; never pulled, because local bundling always succeeds.
                    image=settings.RUNTIME.bundling_image,
                    local=LocalBundler(dependencies),
                ),
            ),
            compatible_runtimes=[settings.RUNTIME],
            compatible_architectures=[settings.ARCHITECTURE],
            description="openturk: the shared package (edge, domain, data) and its runtime dependencies",
        )
