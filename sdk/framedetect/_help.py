"""Plain ``--help`` pages: typer 0.2x marks arguments ``{name}`` and types ``<type>``.

Usage lines name arguments as click always did (``IMAGE...``, ``[OUT]``), and option
values as words (``PATH``, ``INTEGER``, ``[cnn|baseline]``), in click's own formatter.
"""

from __future__ import annotations

import re
from typing import Any

import typer
from typer.core import TyperCommand

_TYPE = re.compile(r"<([^<>]+)>(\.\.\.)?")
_WORDS = {"path": "PATH", "int": "INTEGER", "float": "FLOAT", "text": "TEXT", "str": "TEXT"}


def plain_type(text: str) -> str:
    """``<a|b>`` as ``[a|b]``, ``<int range>`` as ``INTEGER``, ``<path>`` as ``PATH``."""

    def word(match: re.Match[str]) -> str:
        label = match.group(1).removeprefix("list[").removesuffix("]")
        if "|" in label:
            return f"[{label}]"
        bare = label.removesuffix(" range").lower()
        return _WORDS.get(bare, bare.upper()) + (match.group(2) or "")

    return _TYPE.sub(word, text)


def _argument_name(param: Any) -> str:
    name = str(param.metavar or str(param.name).upper())
    name = name if name.endswith("...") or param.nargs == 1 else f"{name}..."
    return name if param.required or name.startswith("[") else f"[{name}]"


class PlainHelpCommand(TyperCommand):
    """A typer command whose help reads like click's."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [
            _argument_name(param)
            for param in self.get_params(ctx)
            if param.param_type_name == "argument"
        ]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((_argument_name(param).strip("[]"), record[1]))
            else:
                options.append((plain_type(record[0]), record[1]))
        for title, records in (("Arguments", arguments), ("Options", options)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


def use_plain_help(app: typer.Typer) -> None:
    """Give every command of ``app`` registered so far the plain help page."""
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):
            info.cls = PlainHelpCommand
