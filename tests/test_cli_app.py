"""The command as a whole: catalog selection, version, help, errors at the edge, and the README."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from papercli import __version__
from papercli.cli import app
from tests.helpers import README, Invoke, write_catalog


def app_commands() -> list[str]:
    """Every command the app offers, as `papers --help` lists them: new commands are covered by default."""
    import typer.main

    group = typer.main.get_command(app)
    with group.make_context("papers", ["--help"], resilient_parsing=True) as ctx:
        return list(group.list_commands(ctx))  # type: ignore[attr-defined]


COMMANDS = app_commands()


def test_the_command_list_is_the_apps_own() -> None:
    assert {"list", "show", "export", "tags", "institutions", "check", "add", "edit", "init"} <= set(COMMANDS)


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
        (
            lambda p: p.write_bytes(b'\xef\xbb\xbftitle = "x"\n# caf\xe9\n'),
            ":2: not UTF-8 text: byte 0xe9 at offset 20",
        ),
        (
            lambda p: p.write_bytes(b'[[papers]]\nid = "a"\ntitle = "caf\xe9"\n'),
            ":3: not UTF-8 text: byte 0xe9 at offset 32",
        ),
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


def test_a_run_imports_only_the_command_it_invokes(small_catalog: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from papercli.cli import main\n"
        f"sys.argv = ['papers', '--catalog', {str(small_catalog)!r}, 'tags']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('papercli.commands.'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    loaded = set(run.stdout.split())
    assert "papercli.commands.vocabulary" in loaded
    assert not loaded & {"papercli.commands.add", "papercli.commands.edit", "papercli.commands.listing"}


def test_unknown_command_is_a_usage_error(papers: Invoke) -> None:
    result = papers("lisst")
    assert result.exit_code == 2
    assert "No such command" in result.output


def test_commands_that_select_papers_take_every_filter(papers: Invoke) -> None:
    import typer.main

    from papercli.commands.options import FILTER_OPTIONS

    group = typer.main.get_command(app)
    with group.make_context("papers", ["--help"], resilient_parsing=True) as ctx:
        params = {name: {p.name for p in group.get_command(ctx, name).params} for name in COMMANDS}  # type: ignore[attr-defined]
    selecting = [name for name, names in params.items() if "since" in names]
    assert {"list", "export"} <= set(selecting)
    for name in selecting:
        assert set(FILTER_OPTIONS) <= params[name], name
    for command in ("list", "export"):
        result = papers(command, "--tag", "rag", "--since", "2023", "--list", "must-read")
        assert result.exit_code == 2, result.output
        assert "unknown reading list 'must-read'" in result.stderr
