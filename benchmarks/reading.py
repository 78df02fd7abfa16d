"""Reading-list benchmark at scale: the reading commands on a generated catalog of 10,000 papers (one
reading list of all of them in 20 sections) with a reading log of 1,000 entries, against `papers list
--tag T --limit 50` on the same catalog as the baseline measured in the same session.

Commands alternate with the baseline run by run (so machine noise hits both alike), output discarded,
catalog cache warm; the report gives each command's median, the baseline's, and their ratio.
`mark` changes one paper per run (read, then skipped, ...), so every timed run writes the log.

    python benchmarks/reading.py [--runs 9] [--papers 10000] [--logged 1000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from _timing import clean_env, installed_papers, time_once


def catalog_text(count: int, sections: int = 20) -> str:
    lines = ['title = "Generated"', "", "[[tags]]", 'name = "T"', "", "[[institutions]]", 'name = "Lab"', ""]
    lines += ["[[lists]]", 'id = "big"', 'title = "Everything"', ""]
    per = count // sections
    for s in range(sections):
        ids = ", ".join(f'"paper-{i}"' for i in range(s * per, (s + 1) * per))
        lines += ["[[lists.sections]]", f'title = "Part {s + 1}"', f"papers = [{ids}]", ""]
    for i in range(count):
        lines += [
            "[[papers]]",
            f'id = "paper-{i}"',
            f'title = "Generated paper number {i} on a topic"',
            f"year = {2000 + i % 25}",
            f'url = "https://arxiv.org/abs/24{i % 12 + 1:02d}.{i:05d}"',
            'tags = ["T"]',
            'institutions = ["Lab"]',
            f'summary = "What paper {i} does, in one line."',
            'note = """\n- **动机**: a note of a few lines.\n- **方法**: more text here.\n"""',
            "",
        ]
    return "\n".join(lines)


def log_text(logged: int) -> str:
    statuses = ["read", "reading", "skipped", "to-read"]
    out = []
    for i in range(logged):
        status = statuses[i % 4]
        out += [
            "[[papers]]",
            f'id = "paper-{i * 3}"',
            f'status = "{status}"',
            f'history = [{{ status = "{status}", at = 2026-11-{1 + i % 28:02d}T10:00:00Z }}]',
            "",
        ]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each command (default 9)")
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--logged", type=int, default=1_000, help="entries in the reading log")
    args = parser.parse_args()

    papers = str(installed_papers())
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        catalog = work / "catalog.toml"
        catalog.write_text(catalog_text(args.papers), encoding="utf-8")
        log = work / "log.toml"
        log.write_text(log_text(args.logged), encoding="utf-8")
        env = clean_env(PAPERS_CACHE_DIR=str(work / "cache"), PAPERS_READING_LOG=str(log))
        base = [papers, "--catalog", str(catalog)]
        baseline = [*base, "list", "--tag", "T", "--limit", "50"]
        commands = {
            "progress": [*base, "progress"],
            "next --list big": [*base, "next", "--list", "big"],
            "list --list big --limit 50": [*base, "list", "--list", "big", "--limit", "50"],
            "list --status unread --limit 50": [*base, "list", "--status", "unread", "--limit", "50"],
            "stats": [*base, "stats"],
            "show paper-1000": [*base, "show", "paper-1000"],
        }
        marks = [[*base, "mark", "paper-7", status] for status in ("read", "skipped")]
        for command in (baseline, *commands.values(), marks[0]):  # warm the cache, .pyc and OS file cache
            time_once(command, env)
        times: dict[str, list[float]] = {name: [] for name in ["baseline", *commands, "mark paper-7 (writes)"]}
        for run in range(args.runs):
            for name, command in commands.items():
                times["baseline"].append(time_once(baseline, env))
                times[name].append(time_once(command, env))
            times["baseline"].append(time_once(baseline, env))
            times["mark paper-7 (writes)"].append(time_once(marks[(run + 1) % 2], env))

    floor = statistics.median(times["baseline"])
    print(f"{args.papers} papers, a reading log of {args.logged} entries, {args.runs} runs each")
    print(f"{'command':36} {'median':>9} {'ratio':>7}")
    print(f"{'list --tag T --limit 50 (baseline)':36} {floor * 1000:7.0f} ms {1:6.2f}x")
    for name, values in times.items():
        if name != "baseline":
            median = statistics.median(values)
            print(f"{name:36} {median * 1000:7.0f} ms {median / floor:6.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
