from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from papercli.cli import app

FIXTURES = Path(__file__).parent / "fixtures"

Invoke = Callable[..., Result]


@pytest.fixture(autouse=True)
def _stable_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("PAPERS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERMINAL_WIDTH", "120")
    for name in ("PAPERS_CATALOG", "PAPERS_DEBUG", "PAPERS_NO_CACHE", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)


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


def write_catalog(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
