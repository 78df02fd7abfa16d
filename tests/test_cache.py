from __future__ import annotations

import os
from pathlib import Path

import pytest

import papercli.validation
from papercli.catalog import load_catalog


def _forbid_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("validated although the catalog is cached")

    monkeypatch.setattr(papercli.validation, "validate", refuse)


def test_second_load_comes_from_the_cache(small_catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_catalog(small_catalog)
    _forbid_validation(monkeypatch)
    second = load_catalog(small_catalog)
    assert second.catalog == first.catalog
    assert second.problems == first.problems


def test_a_changed_catalog_is_loaded_again(small_catalog: Path) -> None:
    load_catalog(small_catalog)
    text = small_catalog.read_text(encoding="utf-8").replace("QLoRA: Efficient", "QLoRA (edited): Efficient")
    small_catalog.write_text(text, encoding="utf-8")
    stat = small_catalog.stat()
    os.utime(small_catalog, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    reloaded = load_catalog(small_catalog).catalog
    assert reloaded.paper("qlora") is not None
    assert reloaded.paper("qlora").title.startswith("QLoRA (edited)")  # type: ignore[union-attr]


def test_check_style_loads_never_use_the_cache(small_catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_catalog(small_catalog)
    _forbid_validation(monkeypatch)
    with pytest.raises(AssertionError):
        load_catalog(small_catalog, use_cache=False)


def test_no_cache_env_turns_it_off(small_catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERS_NO_CACHE", "1")
    load_catalog(small_catalog)
    _forbid_validation(monkeypatch)
    with pytest.raises(AssertionError):
        load_catalog(small_catalog)


def test_unusable_cache_locations_are_harmless(
    small_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("PAPERS_CACHE_DIR", str(blocker / "cache"))
    assert len(load_catalog(small_catalog).catalog.papers) == 4


def test_corrupt_cache_entries_are_ignored(
    small_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("PAPERS_CACHE_DIR", str(cache_dir))
    load_catalog(small_catalog)
    for entry in cache_dir.iterdir():
        entry.write_bytes(b"garbage")
    assert len(load_catalog(small_catalog).catalog.papers) == 4
