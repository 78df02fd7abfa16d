"""Shell completion of ids, tags, institutions and lists, from the catalog the command line names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURES


def complete(words: str, env_catalog: Path | str | None = None) -> list[str]:
    env = {"_PAPERS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAPERS_")} | env | {"PAPERS_NO_CACHE": "1"}
    if env_catalog is not None:
        environment["PAPERS_CATALOG"] = str(env_catalog)
    code = "import sys; from papercli.cli import app; app(prog_name='papers')"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=60)
    return run.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("papers show lo", ["lomo", "longbench", "loogle", "lora"]),
        ("papers list --tag 检索", ["检索增强生成", "检索增强", "检索"]),
        ("papers list -i 微", ["微软", "微软研究院"]),
        ("papers list --list must", ["must-read"]),
    ],
)
def test_bundled_names_complete(words: str, expected: list[str]) -> None:
    assert complete(words) == expected


def test_the_catalog_on_the_command_line_is_the_one_completed(tmp_path: Path) -> None:
    small = FIXTURES / "small.toml"
    assert complete(f"papers --catalog {small} show q") == ["qlora"]
    assert complete("papers show q", env_catalog=small) == ["qlora"]
    assert complete(f"papers --catalog {tmp_path / 'missing.toml'} show q") == []


def test_an_empty_papers_catalog_completes_nothing_as_the_command_would_refuse_it() -> None:
    """`PAPERS_CATALOG=""` is an error for every command, so completion does not quietly offer the
    bundled catalog's names instead."""
    assert complete("papers show lo") != []
    assert complete("papers show lo", env_catalog="") == []
