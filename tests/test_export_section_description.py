"""Markdown export of a reading list shows each section's own text (its `description`) under its heading."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import Invoke

PART_ONE = 'title = "Part one"\n'


def _describe_part_one(catalog: Path, description: str) -> None:
    text = catalog.read_text(encoding="utf-8")
    assert PART_ONE in text
    catalog.write_text(text.replace(PART_ONE, PART_ONE + f'description = """\n{description}\n"""\n'), encoding="utf-8")


def _after(doc: str, heading: str) -> str:
    """The document text between `heading` and the next heading line."""
    start = doc.index(f"\n{heading}\n") + len(heading) + 2
    following = doc.find("\n#", start)
    return doc[start : following if following >= 0 else len(doc)]


def test_section_description_is_printed_under_its_heading(papers: Invoke, small_catalog: Path) -> None:
    _describe_part_one(small_catalog, "Why these two: **cheap** fine-tuning.\n\n- QLoRA first\n- then LoRA")
    result = papers("export", "--format", "md", "--list", "starter", "--group-by", "list")
    assert result.exit_code == 0, result.output
    doc = result.stdout
    under = _after(doc, "## Part one")
    assert under.strip() == "Why these two: **cheap** fine-tuning.\n\n- QLoRA first\n- then LoRA"
    assert _after(doc, "## Part two").strip() == ""  # no description: nothing invented
    assert doc.index("Why these two") < doc.index("### QLoRA")
    assert doc.count("Why these two") == 1


def test_section_description_shows_when_all_lists_are_grouped(papers: Invoke, small_catalog: Path) -> None:
    _describe_part_one(small_catalog, "Start here.")
    result = papers("export", "--format", "md", "--group-by", "list")
    assert result.exit_code == 0, result.output
    assert _after(result.stdout, "## Starter list: Part one").strip() == "Start here."


def test_description_with_an_open_code_fence_does_not_swallow_the_papers(papers: Invoke, small_catalog: Path) -> None:
    _describe_part_one(small_catalog, "An example:\n\n```toml\nid = 1")
    result = papers("export", "--format", "md", "--list", "starter", "--group-by", "list")
    assert result.exit_code == 0, result.output
    body = result.stdout.split("## Part one", 1)[1]
    fence_lines = [line for line in body.split("\n") if line.startswith("```")]
    assert len(fence_lines) % 2 == 0
    assert body.index(fence_lines[-1]) < body.index("### QLoRA")


def test_other_exports_and_groupings_are_unchanged(papers: Invoke, small_catalog: Path) -> None:
    before = papers("export", "--format", "md", "--group-by", "tag").stdout
    _describe_part_one(small_catalog, "Only for list documents.")
    after = papers("export", "--format", "md", "--group-by", "tag").stdout
    assert before == after
