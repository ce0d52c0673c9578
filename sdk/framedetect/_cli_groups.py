"""The command line's groups: the runtime commands built in, the others found by entry
point and imported only when one of them runs or ``--help`` lists them.

Packages beside the SDK register their commands under ``framedetect.commands.data``,
``…training`` and ``…bench`` in the distribution's entry points, one entry per command,
so the SDK never imports them. A command whose package is not installed (training in a
wheel install) still shows, and says what it needs instead of running.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import metadata
from typing import Any

import typer
from typer.core import TyperGroup

from ._cli_shared import fail
from ._help import PlainHelpCommand

ENTRY_POINT_GROUP = "framedetect.commands"
SECTIONS = {
    "runtime": "Runtime commands",
    "data": "Data commands (the generator and the real-photo sets)",
    "training": "Training and conversion (a source checkout with the [train] extra)",
    "bench": "Benchmark",
}
"""Help sections in order; every one but the first is an entry-point group's suffix."""
NEEDS = {
    "data": "needs the framedetect_synth package (framedetect's wheel ships it)",
    "training": "needs a source checkout with the [train] extra: pip install -e '.[train]'",
    "bench": "needs the framedetect_bench package (framedetect's wheel ships it)",
}
"""What a section's command says when its package is missing."""


@cache
def registered() -> dict[str, tuple[str, metadata.EntryPoint]]:
    """Command name -> (section, entry point), for every installed command group."""
    found: dict[str, tuple[str, metadata.EntryPoint]] = {}
    for section in list(SECTIONS)[1:]:
        for entry in metadata.entry_points(group=f"{ENTRY_POINT_GROUP}.{section}"):
            found.setdefault(entry.name, (section, entry))
    return found


def _as_command(name: str, function: Callable[..., Any], **settings: Any) -> Any:
    """``function`` (a typer-annotated command) as a click command called ``name``."""
    single = typer.Typer(add_completion=False, rich_markup_mode=None)
    single.command(name, cls=PlainHelpCommand, **settings)(function)
    return typer.main.get_command(single)


def _unavailable(name: str, why: str) -> Any:
    """A stand-in for a command whose package is missing: it lists, and explains."""

    def explain(ctx: typer.Context) -> None:
        fail(f"'framedetect {name}' {why}")

    explain.__doc__ = f"({why})"
    settings = {"ignore_unknown_options": True, "allow_extra_args": True}
    return _as_command(name, explain, context_settings=settings, add_help_option=False)


class CommandGroups(TyperGroup):
    """A typer group that adds the registered commands after its own, and lists them in
    :data:`SECTIONS`."""

    def list_commands(self, ctx: Any) -> list[str]:
        own = super().list_commands(ctx)
        return own + [name for name in registered() if name not in own]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in registered():
            return command
        section, entry = registered()[cmd_name]
        try:
            command = _as_command(cmd_name, entry.load())
        except ImportError as error:
            command = _unavailable(cmd_name, f"{NEEDS[section]} ({error})")
        self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows: dict[str, list[tuple[str, str]]] = {section: [] for section in SECTIONS}
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        for name in names:
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            section = registered()[name][0] if name in registered() else "runtime"
            rows[section].append((name, command.get_short_help_str(limit)))
        for section, title in SECTIONS.items():
            if rows[section]:
                with formatter.section(title):
                    formatter.write_dl(rows[section])
