"""`papers init PATH`: a new catalog to add papers to."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import BUNDLED, Invoke, toml_data


def test_init_creates_a_minimal_valid_catalog_that_add_can_grow(papers: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    result = papers("init", str(target), "--title", 'Reading "group" notes', catalog=None)
    assert result.exit_code == 0, result.output
    assert f"PAPERS_CATALOG={target}" in result.stderr
    assert toml_data(target.read_text(encoding="utf-8")) == {"title": 'Reading "group" notes'}
    check = papers("check", catalog=target)
    assert check.exit_code == 0 and "0 papers, 0 errors" in check.stderr
    assert papers("add", "--title", "Segment Anything", "--new-tag", "vision", catalog=target).exit_code == 0
    assert papers("list", "--tag", "vision", catalog=target).stdout.count("segment-anything") == 1


def test_init_bundled_copies_the_bundled_catalog(papers: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    assert papers("init", str(target), "--bundled", catalog=None).exit_code == 0
    assert target.read_bytes() == BUNDLED.read_bytes()


def test_init_never_overwrites(papers: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    target.write_text("precious", encoding="utf-8")
    result = papers("init", str(target), catalog=None)
    assert result.exit_code == 1
    assert f"{target}: already exists" in result.stderr
    assert target.read_text(encoding="utf-8") == "precious"


def test_init_into_a_missing_folder_is_reported(papers: Invoke, tmp_path: Path) -> None:
    result = papers("init", str(tmp_path / "no" / "such" / "mine.toml"), catalog=None)
    assert result.exit_code == 1
    assert "does not exist" in result.stderr


def test_init_rejects_a_multi_line_title(papers: Invoke, tmp_path: Path) -> None:
    result = papers("init", str(tmp_path / "x.toml"), "--title", "a\nb", catalog=None)
    assert result.exit_code == 2
    assert "--title: must be a single line" in result.stderr
    assert not (tmp_path / "x.toml").exists()
