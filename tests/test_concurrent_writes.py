"""Writers in separate processes: parallel adds all land, and a writer killed at any point leaves either
the old or the new catalog, never a damaged one."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from papercli.catalog import load_catalog_text
from papercli.write.lock import catalog_lock
from tests.helpers import BUNDLED, FIXTURES, KILL_POINTS, papers_subprocess, toml_data

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX signals"),
]


def papers_process(catalog: Path, *args: str, prelude: str = "") -> subprocess.Popen[str]:
    """`papers --catalog CATALOG ARGS` in a new Python process; `prelude` runs first (to inject faults)."""
    return papers_subprocess("--catalog", str(catalog), *args, prelude=prelude)


def ids_in(catalog: Path) -> list[str]:
    return [p["id"] for p in toml_data(catalog.read_text(encoding="utf-8"))["papers"]]


def assert_valid(catalog: Path) -> None:
    result = load_catalog_text(catalog.read_text(encoding="utf-8"), str(catalog))
    assert result.errors == []


def test_parallel_adds_all_land(tmp_path: Path) -> None:
    catalog = tmp_path / "papers.toml"
    shutil.copy(FIXTURES / "small.toml", catalog)
    count = 8
    processes = [papers_process(catalog, "add", "--title", "Parallel paper", "--tag", "RAG") for _ in range(count)]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0] * count, outputs
    added = sorted(out.strip() for out, _ in outputs)
    # One title, one derived id: each process had to see the others' writes to pick a free one.
    assert added == sorted(["parallel-paper"] + [f"parallel-paper-{n}" for n in range(2, count + 1)])
    assert sorted(set(ids_in(catalog)) - {"lora", "qlora", "self-rag", "llava"}) == added
    assert_valid(catalog)


def test_a_held_lock_makes_a_writer_wait(tmp_path: Path) -> None:
    catalog = tmp_path / "papers.toml"
    shutil.copy(FIXTURES / "small.toml", catalog)
    before = catalog.read_bytes()
    with catalog_lock(catalog):
        process = papers_process(catalog, "add", "--title", "Waiting")
        time.sleep(1.5)
        assert process.poll() is None  # still waiting for the lock
        assert catalog.read_bytes() == before
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "waiting" in ids_in(catalog)


@pytest.mark.parametrize(("where", "prelude", "expect_new"), KILL_POINTS)
def test_writer_killed_leaves_old_or_new_catalog(tmp_path: Path, where: str, prelude: str, expect_new: bool) -> None:
    catalog = tmp_path / "papers.toml"
    shutil.copy(BUNDLED, catalog)
    before = catalog.read_bytes()
    process = papers_process(catalog, "add", "--title", "Killed writer", prelude=prelude)
    process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL, where
    assert_valid(catalog)
    if expect_new:
        assert "killed-writer" in ids_in(catalog)
        assert catalog.read_bytes().startswith(before.rstrip(b"\n"))
    else:
        assert catalog.read_bytes() == before


def test_writers_killed_at_random_moments_never_damage_the_catalog(tmp_path: Path) -> None:
    catalog = tmp_path / "papers.toml"
    shutil.copy(BUNDLED, catalog)
    rng = random.Random(20261121)
    known = set(ids_in(catalog))
    landed = 0
    for attempt in range(12):
        before = catalog.read_bytes()
        process = papers_process(catalog, "add", "--title", f"Interrupted {attempt}")
        time.sleep(rng.uniform(0.05, 0.9))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        assert_valid(catalog)
        now = set(ids_in(catalog))
        assert now - known in (set(), {f"interrupted-{attempt}"})  # the old catalog, or old + this paper
        if now != known:
            landed += 1
        else:
            assert catalog.read_bytes() == before
        known = now
    print(f"{landed} of 12 killed writers had replaced the catalog before they died")
    # Leftover temporary files are the only trace a killed writer may leave; they never replace the catalog.
    assert all(p.name.startswith(".papers.toml.") for p in tmp_path.iterdir() if p.name != "papers.toml")
