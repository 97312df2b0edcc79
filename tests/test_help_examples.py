"""Every example in the command line's --help runs as written (in a copy of the project)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
import typer

from flowmodel.cli import app, main

ROOT = Path(__file__).resolve().parents[1]


def _examples() -> list[str]:
    found = []

    def walk(cmd: click.Command) -> None:
        text = " ".join((cmd.help or "").split())
        found.extend(m.group(1).strip() for m in re.finditer(r"Example: (flowmodel .+?)(?= [A-Z][a-z]+ |$)", text))
        if hasattr(cmd, "commands"):
            for sub in cmd.commands.values():
                walk(sub)

    walk(typer.main.get_command(app))
    return sorted(set(found))


def test_every_command_has_an_example():
    ex = _examples()
    for name in ("run", "validate", "check", "timeline", "compare", "report", "hydraulics pipe", "hydraulics arc"):
        assert any(e.startswith(f"flowmodel {name} ") or e == f"flowmodel {name}" for e in ex), name


@pytest.mark.parametrize("example", _examples())
def test_help_example_runs(example, tmp_path, monkeypatch):
    for folder in ("scenarios", "networks"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    assert main(shlex.split(example)[1:]) == 0, example
