"""What the benchmark scripts share: the installed `papers`, a clean environment, timing one command."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def installed_papers() -> Path:
    papers = Path(sys.executable).parent / "papers"
    if not papers.exists():
        sys.exit(f"no `papers` next to {sys.executable}: pip install . first")
    return papers


def clean_env(**extra: str) -> dict[str, str]:
    """The current environment without PAPERS_* settings, at a fixed terminal width. Without
    PYTHONDONTWRITEBYTECODE too: Python caches compiled modules on a user's machine, and a run that
    recompiled papercli every time (as from an editable install with the variable set) would count ~16 ms
    no user pays."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("PAPERS_") and k != "PYTHONDONTWRITEBYTECODE"}
    return kept | {"COLUMNS": "120"} | extra


def time_once(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start
