"""The command as a whole: catalog selection, version, help, errors at the edge, and the README."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from papercli import __version__
from papercli.cli import app
from tests.conftest import Invoke, write_catalog

README = Path(__file__).parents[1] / "README.md"
COMMANDS = ["list", "show", "export", "tags", "institutions", "check"]


def test_version(papers: Invoke) -> None:
    result = papers("--version", catalog=None)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"papers {__version__}"


def test_no_arguments_prints_help(papers: Invoke) -> None:
    result = papers(catalog=None)
    assert "Usage" in result.output
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(papers: Invoke, command: str) -> None:
    result = papers(command, "-h", catalog=None)
    assert result.exit_code == 0, result.output
    assert "Example: papers" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    assert re.search(rf"^### `papers {command}", README.read_text(encoding="utf-8"), flags=re.M), command


def test_catalog_comes_from_the_environment(
    papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERS_CATALOG", str(small_catalog))
    result = papers("list", "--json", catalog=None)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 4


def test_catalog_option_wins_over_the_environment(
    papers: Invoke, small_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERS_CATALOG", str(tmp_path / "missing.toml"))
    assert papers("list").exit_code == 0


def test_bundled_catalog_is_the_default(papers: Invoke) -> None:
    result = papers("list", "--tag", "RAG", "--json", catalog=None)
    assert result.exit_code == 0, result.output
    assert {"self-rag", "flare", "ragtruth", "carexpert"} <= {r["id"] for r in json.loads(result.stdout)}


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "catalog file not found"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"\xff\xfe\x00"), "not UTF-8"),
        (lambda p: p.write_text("[[papers]\n"), "TOML syntax error"),
    ],
)
def test_unreadable_catalogs_are_one_line_errors_with_exit_2(tmp_path: Path, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cat.toml"
    setup(path)
    result = CliRunner().invoke(app, ["--catalog", str(path), "list"])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_debug_env_lets_the_traceback_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERS_DEBUG", "1")
    result = CliRunner().invoke(app, ["--catalog", str(tmp_path / "none.toml"), "list"])
    assert result.exit_code != 0
    assert result.exception is not None
    assert type(result.exception).__name__ == "CatalogError"


def test_schema_problems_do_not_stop_read_commands(tmp_path: Path) -> None:
    path = write_catalog(
        tmp_path / "c.toml",
        '[[tags]]\nname = "x"\n[[papers]]\nid = "ok"\ntitle = "Ok"\ntags = ["x"]\n[[papers]]\nid = 5\n',
    )
    result = CliRunner().invoke(app, ["--catalog", str(path), "show", "ok", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "ok"
    assert "1 entries skipped" in result.stderr


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["list", "--tag", "RAG"], "list"),
        (["--catalog", "x.toml", "add", "--title", "T"], "add"),
        (["-c", "x.toml", "show", "lora"], "show"),
        (["--catalog=x.toml", "tags"], "tags"),
        (["-cx.toml", "check"], "check"),
        (["--help"], None),
        (["--version"], None),
        ([], None),
    ],
)
def test_requested_command_is_found_past_root_options(argv: list[str], expected: str | None) -> None:
    from papercli.cli import requested_command

    assert requested_command(argv) == expected


def test_completion_needs_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from papercli.cli import requested_command

    monkeypatch.setenv("_PAPERS_COMPLETE", "complete_bash")
    assert requested_command(["list"]) is None
