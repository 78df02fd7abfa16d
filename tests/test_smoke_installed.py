"""The installed `papers` command, run as a user runs it: a separate process, from another folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
PAPERS = BIN / ("papers.exe" if os.name == "nt" else "papers")
ROOT = Path(__file__).parents[1]


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAPERS_")}
    environment |= {"PAPERS_CACHE_DIR": str(cwd / ".cache")} | env
    return subprocess.run(args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=60)


@pytest.mark.slow
def test_installed_entry_point_lists_rag_papers_from_any_folder(tmp_path: Path) -> None:
    assert PAPERS.exists(), f"`papers` is not installed next to {sys.executable}"
    result = run([str(PAPERS), "list", "--tag", "RAG"], tmp_path, COLUMNS="160")
    assert result.returncode == 0, result.stderr
    assert "self-rag" in result.stdout and "ragtruth" in result.stdout
    assert result.stderr.strip().endswith("papers")
    assert "\x1b[" not in result.stdout


@pytest.mark.slow
def test_python_dash_m_and_errors_without_traceback(tmp_path: Path) -> None:
    version = run([sys.executable, "-m", "papercli", "--version"], tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("papers ")
    missing = run([str(PAPERS), "show", "no-such-paper"], tmp_path)
    assert missing.returncode == 1
    assert "Traceback" not in missing.stderr and "no paper matches" in missing.stderr


@pytest.mark.slow
def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    result = subprocess.run(
        f"PAPERS_NO_CACHE=1 '{PAPERS}' export --format md | head -1",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.startswith("# ")
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    return next(folder.glob("papercli-*.whl"))


@pytest.mark.slow
def test_wheel_ships_the_bundled_catalog(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("papercli/data/papers.toml")
    assert shipped == (ROOT / "data" / "papers.toml").read_bytes()


@pytest.mark.slow
def test_wheel_ships_the_static_site_assets(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        for name in ("site.css", "site.js"):
            shipped = archive.read(f"papercli/export/site/{name}")
            assert shipped == (ROOT / "src" / "papercli" / "export" / "site" / name).read_bytes()


@pytest.mark.slow
def test_installed_package_never_writes_its_bundled_catalog(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    packaged = site / "papercli" / "data" / "papers.toml"
    before = packaged.read_bytes()
    papers = [sys.executable, "-m", "papercli"]
    env = {"PYTHONPATH": str(site)}  # the installed copy, not the checkout, is imported

    implicit = run([*papers, "add", "--title", "X"], tmp_path, **env)
    assert implicit.returncode == 2
    assert "papers init PATH" in implicit.stderr and "PAPERS_CATALOG" in implicit.stderr
    explicit = run([*papers, "--catalog", str(packaged), "edit", "lora"], tmp_path, **env)
    assert explicit.returncode == 2
    assert "bundled with papercli" in explicit.stderr
    assert packaged.read_bytes() == before

    # The way out the message offers: a catalog of one's own, started from the bundled one.
    own = tmp_path / "mine.toml"
    assert run([*papers, "init", str(own), "--bundled"], tmp_path, **env).returncode == 0
    added = run([*papers, "add", "--title", "My paper", "--tag", "RAG"], tmp_path, PAPERS_CATALOG=str(own), **env)
    assert added.returncode == 0, added.stderr
    listed = run([*papers, "--catalog", str(own), "list", "--tag", "RAG", "--json"], tmp_path, **env)
    assert '"my-paper"' in listed.stdout
