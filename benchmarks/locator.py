"""What finding the tables (outside multi-line strings) costs an uncached load.

The loader skips lines that begin inside a multi-line string (a note's `[[papers]]` line is text, not a
table), so it scans the file for its strings and headers on every uncached load, and reads the catalog
entry by entry from what it finds. This times, on the bundled catalog and on a catalog of ~10,000 papers
made from it, that scan (`toml_layout.Layout`) against the whole load it is part of (`load_catalog_text`:
the scan, TOML parsing, validation), alternating the two, and prints medians and the ratio.

    python3 benchmarks/locator.py --runs 9
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from papercli.catalog import load_catalog_text, read_text
from papercli.toml_layout import Layout

ROOT = Path(__file__).resolve().parents[1]


def big_catalog(text: str, copies: int) -> str:
    """The bundled catalog's vocabularies once, then its papers `copies` times with fresh ids (no lists)."""
    head, _, papers = text.partition("\n[[papers]]\n")
    head = re.split(r"\n\[\[lists\]\]\n", head)[0]
    papers = "\n[[papers]]\n" + papers
    papers = re.split(r"\n\[\[lists\]\]\n", papers)[0]
    copies_text = [re.sub(r'(?m)^id = "([^"]+)"', rf'id = "\1-{n}"', papers) for n in range(copies)]
    return head + "".join(copies_text)


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bundled = read_text(ROOT / "data" / "papers.toml")
    print("| catalog | papers | whole load median | string scan median | scan / load |")
    print("| --- | --- | --- | --- | --- |")
    for name, text in (("bundled", bundled), ("bundled x50", big_catalog(bundled, 50))):
        papers = len(re.findall(r"(?m)^\[\[papers\]\]", text))
        load_times, scan_times = [], []
        data = text.encode()
        for _ in range(args.runs):  # alternate, so load on the machine hits both alike
            load_times.append(median_ms(lambda t=text: load_catalog_text(t, "catalog.toml"), 1))
            scan_times.append(median_ms(lambda b=data: Layout(b), 1))
        load, scan = statistics.median(load_times), statistics.median(scan_times)
        print(f"| {name} | {papers} | {load:.1f} ms | {scan:.1f} ms | {scan / load:.1%} |")


if __name__ == "__main__":
    main()
