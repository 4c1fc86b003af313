"""The README is the contract: every command, input key and template name is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.main import get_command

from reportgen.cli import app
from reportgen.domain.schema import (
    AuthorityModel,
    CatalogueModel,
    ClearanceModel,
    ContactModel,
    DfeModel,
    IndicatorModel,
    NarrativeModel,
    RetiredModel,
    ScorecardModel,
    SectionModel,
)

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(get_command(app).commands))  # type: ignore[attr-defined]
def it_documents_every_command(command: str) -> None:
    assert f"reportgen {command}" in README


@pytest.mark.parametrize(
    "model",
    [
        AuthorityModel,
        IndicatorModel,
        DfeModel,
        CatalogueModel,
        NarrativeModel,
        RetiredModel,
        ScorecardModel,
        SectionModel,
        ClearanceModel,
        ContactModel,
    ],
)
def it_documents_every_input_key(model: type) -> None:
    for key in model.model_fields:  # type: ignore[attr-defined]
        assert f"`{key}`" in README or re.search(rf"\b{key}:", README), f"{model.__name__}.{key}"


def it_gives_exactly_two_quick_start_commands_and_ci_runs_the_test_one() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick_start)
    assert len(commands) == 2
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()
