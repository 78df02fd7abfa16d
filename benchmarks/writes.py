"""Write benchmark: `papers add` on a copy of the bundled catalog against `papers list` on the same data.

Three commands alternate in one session:
- read: `papers list --tag RAG` on an unchanged copy (cache warm), the baseline;
- add, cold: `papers add` on a fresh copy each time (copied outside the timing), as the first write
  after a hand edit: the file is checked from its source before and after the change;
- add, consecutive: `papers add` on one copy that keeps growing, as when adding papers one after
  another: the previous add left the checked catalog in the cache, so only the result is checked.
Each add does the whole cycle: lock, read, tomlkit parse, append, check the whole result, atomic replace.
No target: the figures say what one write costs next to one read.

    python benchmarks/writes.py [--runs 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from _timing import clean_env, installed_papers, time_once

BUNDLED = Path(__file__).resolve().parents[1] / "data" / "papers.toml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each command (default 20)")
    args = parser.parse_args()

    papers = installed_papers()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = clean_env(PAPERS_CACHE_DIR=str(work / "cache"))
        read_copy, cold_copy, warm_copy = work / "read.toml", work / "cold.toml", work / "warm.toml"
        for copy in (read_copy, cold_copy, warm_copy):
            shutil.copy(BUNDLED, copy)
        read = [str(papers), "--catalog", str(read_copy), "list", "--tag", "RAG"]

        def add(catalog: Path) -> list[str]:
            return [str(papers), "--catalog", str(catalog), "add", "--title", "Benchmark paper", "--tag", "RAG"]

        for command in (read, add(warm_copy)):  # warm the OS file cache, .pyc files and the read cache
            time_once(command, env)
        times: dict[str, list[float]] = {"read": [], "cold": [], "warm": []}
        for _ in range(args.runs):
            times["read"].append(time_once(read, env))
            shutil.copy(BUNDLED, cold_copy)
            times["cold"].append(time_once(add(cold_copy), env))
            times["warm"].append(time_once(add(warm_copy), env))

    read_median, cold_median, warm_median = (statistics.median(times[k]) for k in ("read", "cold", "warm"))
    print(f"python {sys.version.split()[0]}, {args.runs} runs each, medians:")
    rows = [
        ("read              papers list --tag RAG  ", read_median),
        ("add, cold         papers add (fresh copy)", cold_median),
        ("add, consecutive  papers add (same file) ", warm_median),
    ]
    for label, median in rows:
        print(f"  {label}  {median * 1000:7.1f} ms  {median / read_median:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
