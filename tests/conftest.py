from __future__ import annotations

import json
import shlex
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from papercli.cli import app
from tests.helpers import FIXTURES, HERE, EditorScript, Invoke


@pytest.fixture(autouse=True)
def _stable_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("PAPERS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # Never the real user's reading log: each test gets a fresh, not yet existing one.
    monkeypatch.setenv("PAPERS_READING_LOG", str(tmp_path_factory.mktemp("data") / "reading-log.toml"))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERMINAL_WIDTH", "120")
    for name in ("PAPERS_CATALOG", "PAPERS_DEBUG", "PAPERS_NO_CACHE", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _no_real_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test opens a web browser: in this process `webbrowser.open` fails the test (tests that open
    links replace it with a recorder), and in child processes $BROWSER is `false`, which opens nothing."""
    import webbrowser

    def refuse(url: str, *args: object, **kwargs: object) -> bool:
        raise AssertionError(f"a test tried to open {url} in a real browser")

    monkeypatch.setattr(webbrowser, "open", refuse)
    monkeypatch.setenv("BROWSER", "false")


@pytest.fixture
def small_catalog(tmp_path: Path) -> Path:
    """A private copy of the small fixture catalog (tests may modify it)."""
    target = tmp_path / "papers.toml"
    shutil.copy(FIXTURES / "small.toml", target)
    return target


@pytest.fixture
def papers(small_catalog: Path) -> Invoke:
    """Run `papers --catalog <small copy> ARGS...` through Typer's CliRunner."""
    runner = CliRunner()

    def invoke(*args: str, catalog: Path | None = small_catalog, **kwargs: object) -> Result:
        prefix = ["--catalog", str(catalog)] if catalog is not None else []
        return runner.invoke(app, [*prefix, *args], **kwargs)  # type: ignore[arg-type]

    return invoke


@pytest.fixture
def commented_catalog(tmp_path: Path) -> Path:
    """A private copy of a catalog full of comments and unusual formatting."""
    target = tmp_path / "commented.toml"
    shutil.copy(FIXTURES / "commented.toml", target)
    return target


@pytest.fixture
def scripted_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> EditorScript:
    """Point $EDITOR at tests/fake_editor.py with the given steps; returns the script file.
    `<script>.seen` then holds what each editor run was shown."""

    def install(*steps: dict[str, object]) -> Path:
        script = tmp_path / "editor-steps.json"
        script.write_text(json.dumps(list(steps)), encoding="utf-8")
        monkeypatch.setenv("FAKE_EDITOR_SCRIPT", str(script))
        monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(HERE / 'fake_editor.py'))}")
        monkeypatch.delenv("VISUAL", raising=False)
        return script

    return install
