"""The reading log under real processes: eight `papers mark` at once all land, and a writer killed at any
moment leaves the old or the new log, never a damaged one."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from papercli.reading_log import load_log
from tests.helpers import BUNDLED, KILL_POINTS, papers_subprocess

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX signals"),
]
MUST_READ_START = ["gpt-1", "gpt-2", "gpt-3", "instructgpt", "t5", "lamda", "flan", "palm"]


def mark_process(log: Path, *args: str, prelude: str = "") -> subprocess.Popen[str]:
    """`papers mark ARGS` on the bundled catalog in a new process, with the log at `log`."""
    return papers_subprocess(
        "mark", *args, prelude=prelude, env={"PAPERS_READING_LOG": str(log), "PAPERS_CATALOG": None}
    )


def test_eight_marks_at_once_all_land(tmp_path: Path) -> None:
    log = tmp_path / "new folder" / "log.toml"  # not there yet: the first writer creates it
    catalog_before = BUNDLED.read_bytes()
    processes = [
        mark_process(log, paper, "read", "--rating", str(n % 5 + 1)) for n, paper in enumerate(MUST_READ_START)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0] * 8, outputs
    entries = {e.id: e for e in load_log(log).entries}
    assert sorted(entries) == sorted(MUST_READ_START)
    assert all(e.status == "read" and len(e.history) == 1 for e in entries.values())
    assert [entries[p].rating for p in MUST_READ_START] == [n % 5 + 1 for n in range(8)]
    assert BUNDLED.read_bytes() == catalog_before


@pytest.mark.parametrize(("where", "prelude", "expect_new"), KILL_POINTS)
def test_a_killed_writer_leaves_the_old_or_the_new_log(
    tmp_path: Path, where: str, prelude: str, expect_new: bool
) -> None:
    log = tmp_path / "log.toml"
    first = mark_process(log, "gpt-1", "reading")
    first.communicate(timeout=60)
    assert first.returncode == 0
    before = log.read_bytes()
    process = mark_process(log, "gpt-1", "gpt-2", "read", prelude=prelude)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, where
    statuses = {e.id: e.status for e in load_log(log).entries}
    if expect_new:
        assert statuses == {"gpt-1": "read", "gpt-2": "read"}
    else:
        assert log.read_bytes() == before


def test_writers_killed_at_random_moments_never_damage_the_log(tmp_path: Path) -> None:
    log = tmp_path / "log.toml"
    rng = random.Random(20261130)
    known: dict[str, str] = {}
    for attempt in range(10):
        paper = MUST_READ_START[attempt % 8]
        status = "read" if known.get(paper) != "read" else "skipped"
        before = log.read_bytes() if log.exists() else None
        process = mark_process(log, paper, status)
        time.sleep(rng.uniform(0.05, 0.8))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        now = {e.id: e.status for e in load_log(log).entries}  # loads: the log is never damaged
        assert now in (known, {**known, paper: status})
        if now == known:
            assert (log.read_bytes() if log.exists() else None) == before
        known = now
    assert all(p.name.startswith((".log.toml.", "log.toml")) for p in tmp_path.iterdir())


def test_the_walk_through_a_list_in_real_processes(tmp_path: Path) -> None:
    """next -> open --print -> mark -> progress, each its own `python -m papercli`, on the bundled catalog."""
    import json

    log = tmp_path / "log.toml"
    env = {**os.environ, "PAPERS_READING_LOG": str(log), "PAPERS_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PAPERS_CATALOG", None)
    catalog_before = BUNDLED.read_bytes()

    def papers(*args: str) -> str:
        run = subprocess.run(
            [sys.executable, "-m", "papercli", *args], capture_output=True, text=True, env=env, timeout=60
        )
        assert run.returncode == 0, run.stderr
        return run.stdout

    first = json.loads(papers("next", "--list", "must-read", "--json"))
    paper_id = first["paper"]["id"]
    assert papers("open", paper_id, "--print").strip() == first["paper"]["url"]
    papers("mark", paper_id, "read")
    (must_read,) = json.loads(papers("progress", "--list", "must-read", "--json"))["lists"]
    assert must_read["read"] == 1
    assert json.loads(papers("next", "--list", "must-read", "--json"))["item"] == "1.2"
    assert BUNDLED.read_bytes() == catalog_before
