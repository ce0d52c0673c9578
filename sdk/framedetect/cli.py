"""The ``framedetect`` command line, put together: the runtime commands of this package
first, then the data, training and bench commands their own packages register.

Heavy imports (onnxruntime, TensorFlow) happen inside the commands that need them, so
``framedetect --version`` and ``--help`` answer at once.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import metadata
from typing import Annotated

import typer

from . import _cli_eval, _cli_labels, _cli_runtime, _cli_scan
from ._cli_groups import CommandGroups
from ._errors import FrameDetectError
from ._help import use_plain_help
from ._version import __version__

app = typer.Typer(
    cls=CommandGroups,
    help="Detect seller-added frames in product thumbnails.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help: paragraphs rewrapped, no <bool> placeholders
)
RUNTIME_COMMANDS: dict[str, Callable[..., None]] = {
    "predict": _cli_runtime.predict,
    "scan": _cli_scan.scan,
    "sort": _cli_labels.sort_images,
    "review": _cli_labels.review,
    "eval": _cli_eval.evaluate,
    "crop": _cli_runtime.crop,
}
for _name, _command in RUNTIME_COMMANDS.items():
    app.command(_name)(_command)
use_plain_help(app)


def _runtime_version() -> str:
    """``onnxruntime 1.x`` (or ``onnxruntime-gpu``), and the providers it offers."""
    from ._session import import_onnxruntime

    try:
        onnxruntime = import_onnxruntime()
    except FrameDetectError:
        return (
            "onnxruntime not installed (install framedetect[cpu] or framedetect[gpu])\n"
            "providers: none"
        )
    build = "onnxruntime"
    try:
        metadata.version("onnxruntime-gpu")
        build = "onnxruntime-gpu"
    except metadata.PackageNotFoundError:
        pass
    providers = ", ".join(onnxruntime.get_available_providers())
    return f"{build} {onnxruntime.__version__}\nproviders: {providers}"


def _version_callback(value: bool) -> None:
    if not value:
        return
    from . import _jpeg
    from ._models import bundled_models

    typer.echo(f"framedetect package {__version__}")
    for info in bundled_models():
        typer.echo(
            f"model {info.name} {info.version} ({info.precision}, sha256 {info.sha256[:12]})"
        )
    typer.echo(_runtime_version())
    typer.echo(_jpeg.describe())
    raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Print the package, model and onnxruntime versions and the providers.",
        ),
    ] = False,
) -> None:
    """Detect seller-added frames in product thumbnails."""


def main() -> None:
    """Console-script entry point."""
    app(prog_name="framedetect")


if __name__ == "__main__":  # pragma: no cover
    main()
