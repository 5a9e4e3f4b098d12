"""Generated reference pages: the CLI (from ``--help``) and every setting (from pydantic).

``python -m gbo.docs_reference`` rewrites ``docs/cli-reference.md``,
``docs/configuration.md`` and ``docs/codes.md`` (every code list); a test checks that the
checked-in pages match, so they cannot drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from gbo.config import RunConfig

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _command_paths(command: Any, path: list[str]) -> list[list[str]]:
    found = [path]
    for name in sorted(getattr(command, "commands", {}) or {}):
        found += _command_paths(command.commands[name], [*path, name])
    return found


def cli_reference() -> str:
    """Markdown with the help of every gbo command, as ``--help`` prints it."""
    from typer.testing import CliRunner

    from gbo.cli import app

    runner = CliRunner()
    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    lines = [
        "# CLI reference",
        "",
        "Generated from the commands' own help by `make docs`; do not edit by hand.",
        "",
    ]
    for path in _command_paths(typer.main.get_command(app), ["gbo"]):
        result = runner.invoke(app, [*path[1:], "--help"], env=env, prog_name="gbo")
        text = "\n".join(line.rstrip() for line in result.output.splitlines()).strip("\n")
        lines += [f"## `{' '.join(path)}`", "", "```", text, "```", ""]
    return "\n".join(lines)


def _describe_type(info: FieldInfo) -> str:
    text = getattr(info.annotation, "__name__", None) or str(info.annotation)
    return text.replace("typing.", "").replace("pathlib.", "")


def _default(info: FieldInfo) -> str:
    if info.default_factory is not None:
        value: Any = info.default_factory()  # type: ignore[call-arg]
        if isinstance(value, BaseModel):
            return "(section)"
    else:
        value = info.default
    if info.is_required():
        return "required"
    if value is None:
        return "none"
    return f"`{value!r}`".replace("PosixPath", "Path")


def settings_reference() -> str:
    """Markdown with every section and setting of a run configuration file."""
    lines = [
        "# Configuration reference",
        "",
        "Every setting of a run configuration file (TOML), generated from the settings models",
        "by `make docs`; do not edit by hand. Relative paths are taken relative to the",
        "configuration file's folder (every setting whose type is a path). Unknown keys are",
        "errors, and all errors are reported together.",
        "",
    ]
    for section, info in RunConfig.model_fields.items():
        model = info.annotation
        if section == "sources":
            from gbo.ingest.settings import SourceSettings

            model = SourceSettings
            lines += [f"## `[[{section}]]`", "", info.description or "", ""]
        else:
            lines += [f"## `[{section}]`", "", (model.__doc__ or "").strip(), ""]
        assert isinstance(model, type) and issubclass(model, BaseModel)
        if not model.model_fields:
            lines += ["This section has no settings yet.", ""]
            continue
        lines += _settings_table(model)
        lines += _subsections(model, section)
    return "\n".join(lines)


def _settings_table(model: type[BaseModel]) -> list[str]:
    lines = ["| setting | type | default | meaning |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        description = (field.description or "").replace("|", "\\|")
        lines.append(f"| `{name}` | {_describe_type(field)} | {_default(field)} | {description} |")
    return [*lines, ""]


def _subsections(model: type[BaseModel], prefix: str) -> list[str]:
    """A table for every setting that is itself a section (such as ``[link.spark]``)."""
    lines: list[str] = []
    for name, field in model.model_fields.items():
        inner = field.annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel) and inner.model_fields:
            lines += [f"### `[{prefix}.{name}]`", "", (inner.__doc__ or "").strip(), ""]
            lines += _settings_table(inner) + _subsections(inner, f"{prefix}.{name}")
    return lines


def codes_reference() -> str:
    """Markdown with every gbo code list and the shipped crosswalks."""
    from gbo.ingest.codes_doc import render_codes

    return render_codes().rstrip("\n")


PAGES = {
    "cli-reference.md": cli_reference,
    "configuration.md": settings_reference,
    "codes.md": codes_reference,
}


def main() -> None:
    for name, build in PAGES.items():
        (DOCS / name).write_text(build() + "\n", encoding="utf-8")
        print(DOCS / name, file=sys.stderr)


if __name__ == "__main__":
    main()
