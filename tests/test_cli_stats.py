"""`papers stats`: the numbers (checked against the catalog read independently) and their drawing."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from papercli.render_stats import bar
from tests.helpers import BUNDLED, Invoke


def bundled_papers() -> list[dict[str, object]]:
    import tomllib

    return list(tomllib.loads(BUNDLED.read_text(encoding="utf-8"))["papers"])


def stats_json(papers: Invoke, **kwargs: object) -> dict[str, object]:
    result = papers("stats", "--json", **kwargs)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_the_numbers_match_the_catalog(papers: Invoke) -> None:
    raw = bundled_papers()
    stats = stats_json(papers, catalog=None)
    assert stats["papers"] == len(raw)
    assert stats["kinds"] == dict(Counter(str(p.get("kind", "paper")) for p in raw))
    years = Counter(p["year"] for p in raw if "year" in p)
    assert {int(y): n for y, n in stats["years"].items() if n} == dict(years)  # type: ignore[attr-defined]
    assert stats["undated"] == sum("year" not in p for p in raw)
    tags = Counter(t for p in raw for t in p.get("tags", []))  # type: ignore[attr-defined]
    top = stats["tags"]
    assert len(top) == 10  # type: ignore[arg-type]
    assert [t["papers"] for t in top] == sorted((n for n in tags.values()), reverse=True)[:10]  # type: ignore[union-attr]
    assert all(tags[t["name"]] == t["papers"] for t in top)  # type: ignore[union-attr]
    assert stats["having"] == {
        "notes": sum(bool(str(p.get("note", "")).strip()) for p in raw),
        "summaries": sum("summary" in p for p in raw),
        "code_links": sum("code" in p for p in raw),
        "venues": sum("venue" in p for p in raw),
        "arxiv_ids": sum("arxiv.org" in str(p.get("url", "")) for p in raw),
    }
    assert stats["reading"] is None  # no reading log yet


def test_reading_progress_appears_with_a_log(papers: Invoke) -> None:
    assert papers("mark", "lora", "read", "--rating", "4").exit_code == 0
    assert papers("mark", "qlora", "read", "--rating", "5").exit_code == 0
    assert papers("mark", "llava", "skipped").exit_code == 0
    reading = stats_json(papers)["reading"]
    assert reading == {
        "read": 2,
        "reading": 0,
        "skipped": 1,
        "to_go": 1,
        "rated": 2,
        "mean_rating": 4.5,
        "pace": {"last_7_days": 2, "last_30_days": 2},
    }
    drawn = papers("stats").stdout
    assert "2 read · 0 reading · 1 skipped · 1 to go" in drawn
    assert "2 rated, 4.5 on average" in drawn


def test_the_drawing_at_80_columns(papers: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = papers("stats", "--top", "3", catalog=None)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].startswith(f"{len(bundled_papers())} entries (")
    year_rows = [line.split() for line in lines if line[:4].isdigit() and line[:2] in ("19", "20")]
    counts = {int(row[0]): int(row[-1]) for row in year_rows}
    assert counts == {int(y): n for y, n in stats_json(papers, catalog=None)["years"].items()}  # type: ignore[attr-defined]
    top_year = max(counts, key=lambda y: counts[y])
    assert next(row for row in year_rows if int(row[0]) == top_year)[1] == "█" * 30
    tags_at = lines.index("Top tags")
    assert len([line for line in lines[tags_at + 1 :] if line.strip()][:4]) == 4
    assert lines[tags_at + 4] == ""  # --top 3: three rows


@pytest.mark.parametrize(
    ("value", "largest", "expected"),
    [(0, 10, ""), (10, 10, "█" * 30), (5, 10, "█" * 15), (1, 240, "▏"), (1, 1000, "▏"), (3, 16, "█████▋")],
)
def test_bars_are_drawn_in_eighths(value: int, largest: int, expected: str) -> None:
    assert bar(value, largest) == expected


def test_an_empty_catalog(papers: Invoke, tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text('title = "Nothing yet"\n', encoding="utf-8")
    assert stats_json(papers, catalog=empty)["papers"] == 0
    assert papers("stats", catalog=empty).exit_code == 0


def test_coverage_rows_are_labelled_for_people(papers: Invoke) -> None:
    drawn = papers("stats").stdout
    assert re.search(r"code links .* 2/4 \(50%\)", drawn)
    assert re.search(r"arXiv ids .* 4/4 \(100%\)", drawn)
