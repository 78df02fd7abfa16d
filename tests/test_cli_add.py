"""`papers add` by hand: what lands in the catalog, what is refused, and that refusals write nothing."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, Invoke, show_json, toml_data, write_catalog

LORA_ARXIV = "https://arxiv.org/abs/2106.09685"


def test_add_then_show_round_trips_every_field(papers: Invoke, tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("- **动机**: long inputs are slow.\n- **方法**: route tokens.\n", encoding="utf-8")
    result = papers(
        "add",
        "--title", "CoLT5: Faster Long-Range Transformers with Conditional Computation",
        "--author", "Joshua Ainslie", "--author", "Tao Lei",
        "--year", "2023",
        "--venue", "EMNLP 2023",
        "--url", "https://arxiv.org/abs/2303.09752",
        "--code", "https://github.com/google-research/longt5",
        "--tag", "检索增强生成",  # an alias: stored under its canonical name
        "--institution", "microsoft research",  # any case
        "--title-zh", "CoLT5:条件计算的长程 Transformer",
        "--summary", "Routes important tokens through heavy branches.",
        "--note-file", str(note),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "colt5"
    assert "added 'colt5'" in result.stderr
    shown = show_json(papers, "colt5")
    assert shown["title"] == "CoLT5: Faster Long-Range Transformers with Conditional Computation"
    assert shown["authors"] == ["Joshua Ainslie", "Tao Lei"]
    assert shown["year"] == 2023
    assert shown["venue"] == "EMNLP 2023"
    assert shown["url"] == "https://arxiv.org/abs/2303.09752"
    assert shown["arxiv"] == "2303.09752"
    assert shown["code"] == "https://github.com/google-research/longt5"
    assert shown["tags"] == ["RAG"]
    assert shown["institutions"] == ["Microsoft Research"]
    assert shown["title_zh"] == "CoLT5:条件计算的长程 Transformer"
    assert shown["summary"] == "Routes important tokens through heavy branches."
    assert shown["note"] == note.read_text(encoding="utf-8")


def test_added_paper_is_listed_and_the_catalog_stays_clean(papers: Invoke) -> None:
    assert papers("add", "--title", "Segment Anything", "--year", "2023").exit_code == 0
    listed = papers("list", "--json", "--year", "2023")
    assert "segment-anything" in [p["id"] for p in json.loads(listed.stdout)]
    check = papers("check")
    assert check.exit_code == 0, check.output
    assert "0 errors" in check.stderr


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("LLaMA: Open and Efficient Foundation Language Models", "llama"),
        ("Swin Transformer V2: Scaling Up Capacity and Resolution", "swin-transformer-v2"),
        ("Large Language Models are Zero-Shot Reasoners", "large-language-models-zero-shot"),
        ("The Flan Collection: Designing Data and Methods", "flan-collection"),
        ("Qwen-1_8B-Chat", "qwen-1-8b-chat"),
    ],
)
def test_id_is_derived_from_the_title(papers: Invoke, title: str, expected: str) -> None:
    result = papers("add", "--title", title)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == expected


def test_derived_id_is_made_unique(papers: Invoke) -> None:
    # 'lora' is taken by the fixture; a different paper whose title starts the same way gets lora-2, lora-3
    first = papers("add", "--title", "LoRA: a different paper with the same name")
    second = papers("add", "--title", "LoRA: yet another one")
    assert (first.stdout.strip(), second.stdout.strip()) == ("lora-2", "lora-3")


def test_title_without_latin_letters_falls_back_to_the_arxiv_id(papers: Invoke) -> None:
    result = papers("add", "--title", "大模型综述", "--url", "https://arxiv.org/abs/2303.18223")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "arxiv-2303-18223"


def test_derived_ids_reproduce_most_of_the_bundled_catalogs_named_papers() -> None:
    # "Name: subtitle" titles: the catalog's ids were made by hand the same way the tool now makes them.
    from papercli.ids import id_from_title

    data = toml_data((Path(__file__).parents[1] / "data" / "papers.toml").read_text(encoding="utf-8"))
    named = [p for p in data["papers"] if ":" in p["title"] and len(p["title"].split(":")[0].split()) <= 4]
    same = [p for p in named if id_from_title(p["title"]) == p["id"]]
    assert len(named) > 50
    assert len(same) / len(named) >= 0.85


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--title", "X", "--id", "lora"], "id 'lora' is taken by 'lora'"),
        (["--title", "X", "--url", LORA_ARXIV], "is already in the catalog as 'lora'"),
        (["--title", "X", "--url", "https://arxiv.org/pdf/2106.09685v3.pdf"], "arXiv 2106.09685 is already in"),
        (["--title", "X", "--url", "http://ARXIV.org/abs/2106.09685/"], "already in the catalog as 'lora'"),
    ],
)
def test_duplicates_are_refused_naming_the_existing_entry(
    papers: Invoke, small_catalog: Path, args: list[str], message: str
) -> None:
    before = small_catalog.read_bytes()
    result = papers("add", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "papers edit lora" in result.stderr
    assert small_catalog.read_bytes() == before


def test_unknown_tag_is_refused_with_suggestions(papers: Invoke, small_catalog: Path) -> None:
    before = small_catalog.read_bytes()
    result = papers("add", "--title", "X", "--tag", "PEFF")
    assert result.exit_code == 2
    assert "unknown tag 'PEFF'" in result.stderr
    assert "did you mean 'PEFT'" in result.stderr
    assert "--new-tag 'PEFF'" in result.stderr
    assert small_catalog.read_bytes() == before


def test_unknown_institution_is_refused_with_suggestions(papers: Invoke) -> None:
    result = papers("add", "--title", "X", "--institution", "Columbia Universty")
    assert result.exit_code == 2
    assert "unknown institution 'Columbia Universty'" in result.stderr
    assert "'Columbia University'" in result.stderr


def test_new_tag_and_institution_are_declared_and_used(papers: Invoke, small_catalog: Path) -> None:
    result = papers("add", "--title", "X", "--new-tag", "agents", "--tag", "RAG", "--new-institution", "Meta AI")
    assert result.exit_code == 0, result.output
    data = toml_data(small_catalog.read_text(encoding="utf-8"))
    assert {"name": "agents"} in data["tags"]
    assert {"name": "Meta AI"} in data["institutions"]
    assert data["papers"][-1]["tags"] == ["RAG", "agents"]
    assert data["papers"][-1]["institutions"] == ["Meta AI"]
    tags = papers("tags", "--json")
    assert {"name": "agents", "papers": 1, "aliases": [], "description": None} in json.loads(tags.stdout)


def test_new_tag_that_already_exists_is_refused(papers: Invoke) -> None:
    result = papers("add", "--title", "X", "--new-tag", "rag")
    assert result.exit_code == 2
    assert "already in the catalog's vocabulary" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "a paper needs a title"),
        (["--title", "X", "--year", "1800"], "--year: must be between 1900"),
        (["--title", "X", "--url", "ftp://example.org/x"], "--url: 'ftp://example.org/x' is not an http(s) link"),
        (["--title", "X", "--id", "Not An Id"], "--id: 'Not An Id' is not a valid id"),
        (["--title", "two\nlines"], "--title: must be a single line"),
        (["--title", "X", "--author", " "], "--author: must not be blank"),
        (["--title", "X", "--note-file", "/no/such/note.md"], "--note-file /no/such/note.md: no such file"),
        (["not-an-arxiv-id"], "'not-an-arxiv-id' is not an arXiv id or link"),
    ],
)
def test_bad_values_are_refused_naming_the_option(
    papers: Invoke, small_catalog: Path, args: list[str], message: str
) -> None:
    before = small_catalog.read_bytes()
    result = papers("add", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert small_catalog.read_bytes() == before


def test_note_from_stdin_is_normalised(papers: Invoke) -> None:
    result = papers("add", "--title", "X", "--note-file", "-", input="\n\n- one\r\n- two   \n\n\n")
    assert result.exit_code == 0, result.output
    assert show_json(papers, "x")["note"] == "- one\n- two\n"


def test_hostile_strings_are_stored_verbatim_and_shown_harmlessly(papers: Invoke) -> None:
    title = 'Evil [bold]markup[/bold] <script>x</script> "quoted" \\ title'
    result = papers("add", "--title", title, "--id", "evil", "--summary", "ends with a backslash \\")
    assert result.exit_code == 0, result.output
    assert show_json(papers, "evil")["title"] == title
    shown = papers("show", "evil")
    assert "[bold]markup[/bold]" in shown.stdout


@pytest.mark.parametrize("option", ["--title", "--summary", "--venue", "--author"])
def test_terminal_escapes_are_refused_as_check_would_report_them(
    papers: Invoke, small_catalog: Path, option: str
) -> None:
    before = small_catalog.read_bytes()
    result = papers("add", "--title", "Plain", "--id", "evil", option, "Evil \x1b[31mred\x1b[0m")
    assert result.exit_code == 2, result.output
    assert f"{option}: contains terminal control characters" in result.stderr
    assert small_catalog.read_bytes() == before


def test_dry_run_prints_the_entry_and_writes_nothing(papers: Invoke, small_catalog: Path) -> None:
    before = small_catalog.read_bytes()
    result = papers("add", "--title", "Segment Anything", "--new-tag", "vision", "--dry-run")
    assert result.exit_code == 0, result.output
    assert small_catalog.read_bytes() == before
    preview = toml_data(result.stdout)
    assert preview["papers"] == [{"id": "segment-anything", "title": "Segment Anything", "tags": ["vision"]}]
    assert preview["tags"] == [{"name": "vision"}]


def test_permissions_are_kept(papers: Invoke, small_catalog: Path) -> None:
    small_catalog.chmod(0o640)
    assert papers("add", "--title", "X").exit_code == 0
    assert stat.S_IMODE(small_catalog.stat().st_mode) == 0o640


def test_no_temporary_files_are_left_behind(papers: Invoke, small_catalog: Path) -> None:
    assert papers("add", "--title", "X").exit_code == 0
    assert papers("add", "--title", "X", "--year", "3000").exit_code == 2
    leftovers = [p.name for p in small_catalog.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_catalog_with_errors_is_not_written(papers: Invoke, tmp_path: Path) -> None:
    broken = write_catalog(tmp_path / "broken.toml", '[[papers]]\nid = "a"\ntitle = "A"\ntags = ["nope"]\n')
    before = broken.read_bytes()
    result = papers("add", "--title", "B", catalog=broken)
    assert result.exit_code == 2
    assert "has 1 error(s) this change does not fix; nothing written" in result.stderr
    assert broken.read_bytes() == before


def test_malformed_catalog_is_reported_with_its_line(papers: Invoke, tmp_path: Path) -> None:
    broken = write_catalog(tmp_path / "broken.toml", 'title = "x"\n[[papers]\n')
    result = papers("add", "--title", "B", catalog=broken)
    assert result.exit_code == 2
    assert f"{broken}:2" in result.stderr


def test_missing_catalog_is_reported(papers: Invoke, tmp_path: Path) -> None:
    result = papers("add", "--title", "B", catalog=tmp_path / "none.toml")
    assert result.exit_code == 2
    assert "catalog file not found" in result.stderr


def test_default_bundled_catalog_is_never_written(papers: Invoke) -> None:
    result = papers("add", "--title", "X", catalog=None)
    assert result.exit_code == 2
    assert "none was chosen" in result.stderr
    assert "papers init PATH" in result.stderr
    assert "PAPERS_CATALOG" in result.stderr


def test_catalog_inside_the_package_is_refused(
    papers: Invoke, small_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installed wheel keeps its catalog in papercli/data/; a checkout has no such file, so a copy of
    # the package folder stands in for the installed one.
    from papercli.write import transaction

    package = tmp_path / "site-packages" / "papercli"
    inside = package / "data" / "papers.toml"
    inside.parent.mkdir(parents=True)
    inside.write_bytes(small_catalog.read_bytes())
    monkeypatch.setattr(transaction, "PACKAGE_DIR", package)
    result = papers("add", "--title", "X", catalog=inside)
    assert result.exit_code == 2, result.output
    assert "bundled with papercli" in result.stderr
    assert inside.read_bytes() == small_catalog.read_bytes()


def test_json_catalog_is_refused(papers: Invoke, tmp_path: Path) -> None:
    exported = tmp_path / "catalog.json"
    assert papers("export", "--format", "json", "-o", str(exported)).exit_code == 0
    result = papers("add", "--title", "X", catalog=exported)
    assert result.exit_code == 2
    assert "not JSON exports" in result.stderr


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can write into read-only folders")
def test_unwritable_folder_is_reported(papers: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    catalog = folder / "papers.toml"
    catalog.write_bytes((FIXTURES / "small.toml").read_bytes())
    folder.chmod(0o500)
    try:
        result = papers("add", "--title", "X", catalog=catalog)
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 1
    assert str(catalog) in result.stderr


def test_a_symlinked_catalog_stays_a_symlink(papers: Invoke, small_catalog: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(small_catalog)
    assert papers("add", "--title", "Via a link", catalog=link).exit_code == 0
    assert link.is_symlink()
    assert 'title = "Via a link"' in small_catalog.read_text(encoding="utf-8")


def test_kind_project_is_stored_and_paper_is_the_default(papers: Invoke, small_catalog: Path) -> None:
    assert papers("add", "--title", "ChatLM-mini-Chinese", "--kind", "project").exit_code == 0
    assert papers("add", "--title", "A paper").exit_code == 0
    entries = {p["id"]: p for p in toml_data(small_catalog.read_text(encoding="utf-8"))["papers"]}
    assert entries["chatlm-mini-chinese"]["kind"] == "project"
    assert "kind" not in entries["paper"]
    assert papers("add", "--title", "X", "--kind", "blog").exit_code == 2


def test_a_new_tag_may_also_be_given_with_tag(papers: Invoke, small_catalog: Path) -> None:
    result = papers("add", "--title", "X", "--new-tag", "agents", "--tag", "Agents", "--new-institution", "Meta AI",
                    "-i", "meta ai")  # fmt: skip
    assert result.exit_code == 0, result.output
    entry = toml_data(small_catalog.read_text(encoding="utf-8"))["papers"][-1]
    assert (entry["tags"], entry["institutions"]) == (["agents"], ["Meta AI"])
