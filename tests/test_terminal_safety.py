"""What reaches stdout and the terminal: narrow encodings never crash a command, control sequences from
the catalog never reach the terminal through JSON or Markdown, invisible characters that reorder or hide
text are flagged by `check`, and odd terminal settings (COLUMNS=0, PAPERS_CATALOG="") are handled."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import Invoke, write_catalog

# C0 controls other than newline and tab, DEL and C1 controls: none of them may appear raw on stdout.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[bytes]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PAPERS_", "PYTHONIOENCODING"))}
    environment |= {"PAPERS_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "120"} | env
    command = [sys.executable, "-m", "papercli", *args]
    return subprocess.run(command, cwd=tmp_path, env=environment, capture_output=True, timeout=60)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "ascii"])
def test_export_to_redirected_stdout_in_a_narrow_encoding_writes_utf8(
    small_catalog: Path, tmp_path: Path, encoding: str
) -> None:
    exported = tmp_path / "x.md"
    assert run(["--catalog", str(small_catalog), "export", "-f", "md", "-o", str(exported)], tmp_path).returncode == 0
    result = run(["--catalog", str(small_catalog), "export", "-f", "md"], tmp_path, PYTHONIOENCODING=encoding)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in result.stderr
    assert result.stdout == exported.read_bytes()  # the same UTF-8 document as with -o
    assert "LoRA:低秩适配".encode() in result.stdout


@pytest.mark.parametrize("command", [["list"], ["list", "--json"], ["show", "llava"], ["tags"], ["institutions"]])
def test_read_commands_in_latin1_do_not_crash(small_catalog: Path, tmp_path: Path, command: list[str]) -> None:
    result = run(["--catalog", str(small_catalog), *command], tmp_path, PYTHONIOENCODING="latin-1")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in result.stderr
    result.stdout.decode("utf-8")  # redirected output is UTF-8 text


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_latin1_terminal_gets_replacement_characters_not_a_crash(small_catalog: Path, tmp_path: Path) -> None:
    import select

    controller, terminal = os.openpty()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAPERS_")}
    environment |= {"PAPERS_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "120", "PYTHONIOENCODING": "latin-1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "papercli", "--catalog", str(small_catalog), "list"],
        stdout=terminal,
        stderr=subprocess.PIPE,
        env=environment,
        cwd=tmp_path,
    )
    os.close(terminal)
    shown = b""
    try:
        while select.select([controller], [], [], 30)[0]:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the command exited and closed the terminal
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
        stderr = process.communicate(timeout=30)[1]
    assert process.returncode == 0, stderr.decode("utf-8", "replace")
    assert b"Traceback" not in stderr
    assert b"lora" in shown and b"?" in shown  # the Chinese titles, replaced
    shown.decode("latin-1")


HOSTILE = {
    "csi": "\x1b[31mred\x1b[0m",
    "c1": "\x9b31mred",
    "osc8": "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
    "del": "a\x7fb",
}


def hostile_catalog(tmp_path: Path) -> Path:
    note = "\n".join(f"- {name}: {text}" for name, text in HOSTILE.items())
    return write_catalog(
        tmp_path / "hostile.toml",
        '[[tags]]\nname = "QA"\n\n[[papers]]\nid = "h"\n'
        f"title = {json.dumps('Title ' + HOSTILE['c1'] + HOSTILE['csi'])}\n"
        f"summary = {json.dumps(HOSTILE['osc8'])}\n"
        f"note = {json.dumps(note)}\n"
        'tags = ["QA"]\n',
    )


@pytest.mark.parametrize(
    "command", [["list", "--json"], ["show", "h", "--json"], ["export", "-f", "json"], ["tags", "--json"]]
)
def test_json_output_escapes_control_characters(papers: Invoke, tmp_path: Path, command: list[str]) -> None:
    catalog = hostile_catalog(tmp_path)
    result = papers(*command, catalog=catalog)
    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.search(result.stdout), repr(result.stdout)
    if command[0] != "tags":
        texts = "\n".join(strings_in(json.loads(result.stdout)))
        assert HOSTILE["c1"] in texts and HOSTILE["osc8"] in texts  # escaped, not lost: the data round-trips


def strings_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in strings_in(item)] if isinstance(value, list) else []


def test_markdown_export_drops_terminal_sequences(papers: Invoke, tmp_path: Path) -> None:
    catalog = hostile_catalog(tmp_path)
    result = papers("export", "-f", "md", catalog=catalog)
    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.search(result.stdout), repr(result.stdout)
    assert "click" in result.stdout and "red" in result.stdout  # the visible text stays


INVISIBLE = {
    "right-to-left override": "\u202e",
    "left-to-right isolate": "\u2066",
    "zero width space": "\u200b",
    "zero width joiner": "\u200d",
    "word joiner": "\u2060",
}


@pytest.mark.parametrize("name", list(INVISIBLE))
def test_check_warns_about_invisible_reordering_characters(papers: Invoke, tmp_path: Path, name: str) -> None:
    char = INVISIBLE[name]
    catalog = write_catalog(
        tmp_path / "bidi.toml",
        f'[[tags]]\nname = "Q{char}A"\n\n'
        f'[[institutions]]\nname = "MIT"\naliases = ["M{char}IT"]\n\n'
        f'[[lists]]\nid = "l"\ntitle = "List {char}"\n[[lists.sections]]\ntitle = "S"\npapers = ["p"]\n\n'
        f'[[papers]]\nid = "p"\ntitle = "Evil {char}title"\ntags = ["Q{char}A"]\ninstitutions = ["MIT"]\n'
        'summary = "s"\n',
    )
    result = papers("check", catalog=catalog)
    assert result.exit_code == 0, result.output  # warnings only
    lines = result.stdout.splitlines()
    code = f"U+{ord(char):04X}"
    for subject in ("paper 'p': title", "paper 'p': tags", "tag 'Q", "institution 'MIT': aliases", "list 'l': title"):
        assert any(subject in line and ": warning: " in line and code in line for line in lines), (subject, lines)
    assert char not in result.stdout  # shown escaped, not as the character itself


def test_check_does_not_flag_ordinary_text(papers: Invoke, small_catalog: Path) -> None:
    text = small_catalog.read_text(encoding="utf-8")
    small_catalog.write_text(text.replace('title = "LoRA:', 'title = "LoRA — café 👩‍💻:', 1), encoding="utf-8")
    result = papers("check")
    assert result.exit_code == 0 and result.stdout == "", result.stdout


@pytest.mark.parametrize("columns", ["0", "-3", "abc", ""])
def test_a_useless_columns_value_still_prints_the_table(
    papers: Invoke, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = papers("list")
    assert result.exit_code == 0, result.output
    for paper_id in ("lora", "qlora", "self-rag", "llava"):
        assert paper_id in result.stdout
    assert result.stderr.strip() == "4 papers"


@pytest.mark.parametrize("command", [["list"], ["check"], ["add", "--title", "X"]])
def test_an_empty_papers_catalog_is_an_error_not_the_bundled_catalog(
    papers: Invoke, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("PAPERS_CATALOG", "")
    result = papers(*command, catalog=None)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "PAPERS_CATALOG" in lines[0] and "empty" in lines[0], lines
    assert result.stdout == ""
