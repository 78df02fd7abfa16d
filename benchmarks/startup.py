"""Start-up benchmark: `papers list --tag RAG` on the bundled catalog against the import floor.

The floor is `python -c "import typer, rich.console, pydantic"`: what any Typer + Rich + pydantic tool
pays before doing anything. Both commands run alternately in the same session (so machine noise hits
both alike), output discarded; the report gives medians and the ratio. Target: ratio <= 1.3.

    python benchmarks/startup.py [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys

from _timing import clean_env, installed_papers, time_once

TARGET_RATIO = 1.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each command (default 30)")
    args = parser.parse_args()

    papers = installed_papers()
    env = clean_env()
    floor = [sys.executable, "-c", "import typer, rich.console, pydantic"]
    tool = [str(papers), "list", "--tag", "RAG"]

    for command in (floor, tool):  # warm the OS file cache and .pyc files
        time_once(command, env)
    floor_times, tool_times = [], []
    for _ in range(args.runs):
        floor_times.append(time_once(floor, env))
        tool_times.append(time_once(tool, env))

    floor_median = statistics.median(floor_times)
    tool_median = statistics.median(tool_times)
    ratio = tool_median / floor_median
    print(f"python {sys.version.split()[0]}, {args.runs} runs each, medians:")
    print(f"  floor  import typer, rich.console, pydantic   {floor_median * 1000:7.1f} ms")
    print(f"  papers list --tag RAG (bundled catalog)       {tool_median * 1000:7.1f} ms")
    print(f"  ratio  {ratio:.2f}x (target <= {TARGET_RATIO}x): {'ok' if ratio <= TARGET_RATIO else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
