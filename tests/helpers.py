"""Helpers shared by the test modules (fixtures live in conftest.py and use these)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from papercli.cli import app
from papercli.models import Catalog

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
ROOT = HERE.parent
BUNDLED = ROOT / "data" / "papers.toml"
README = ROOT / "README.md"

Invoke = Callable[..., Result]
EditorScript = Callable[..., Path]

# Preludes for `papers_subprocess` that SIGKILL a writer at a chosen point of its atomic replace:
# (where, prelude, whether the new file is in place when it dies).
KILL_SELF = "import os, signal\ndef _die(*args, **kwargs):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
KILL_POINTS = [
    ("while writing the temporary file", KILL_SELF + "os.fsync = _die\n", False),
    ("just before the rename", KILL_SELF + "os.replace = _die\n", False),
    (
        "just after the rename",
        KILL_SELF + "_real = os.replace\ndef _after(*a, **k):\n    _real(*a, **k)\n    _die()\nos.replace = _after\n",
        True,
    ),
]


def write_catalog(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def papers_subprocess(
    *args: str, prelude: str = "", env: Mapping[str, str | None] | None = None
) -> subprocess.Popen[str]:
    """`papers ARGS` in a new Python process without the cache; `prelude` runs first (to inject faults),
    `env` sets variables (None removes one)."""
    code = f"{prelude}\nimport sys\nfrom papercli.cli import main\nsys.argv = ['papers', *sys.argv[1:]]\nmain()\n"
    environ = {**os.environ, "PAPERS_NO_CACHE": "1"}
    for key, value in (env or {}).items():
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ
    )


def toml_data(text: str) -> dict[str, Any]:
    """Parse TOML the way papercli does (tomllib, or tomli before Python 3.11)."""
    from papercli.catalog import parse_document

    return parse_document(text, "test.toml")


def editor_saw(script: Path) -> list[str]:
    """What each run of tests/fake_editor.py was shown (see the `scripted_editor` fixture)."""
    seen = script.with_name(script.name + ".seen")
    return list(json.loads(seen.read_text(encoding="utf-8"))) if seen.exists() else []


def show_json(papers: Invoke, ref: str) -> dict[str, Any]:
    """`papers show REF --json`, which must succeed."""
    result = papers("show", ref, "--json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def json_ids(stdout: str) -> list[str]:
    """The ids of a JSON array of paper records (`list --json`)."""
    return [record["id"] for record in json.loads(stdout)]


def catalog_from_data(data: dict[str, Any]) -> Catalog:
    """The Catalog papercli loads from generated data, which must load without problems."""
    from papercli.catalog import load_catalog_text
    from tests.strategies import to_toml

    result = load_catalog_text(to_toml(data), "catalog.toml")
    assert not result.problems, [str(p) for p in result.problems]
    return result.catalog


def bundled_catalog() -> Catalog:
    """The bundled catalog, checked from its source; it must have no errors."""
    from papercli.catalog import bundled_catalog_path, load_catalog

    result = load_catalog(bundled_catalog_path())
    assert result.errors == [], [str(p) for p in result.errors]
    return result.catalog


def export_run(catalog_path: Path, fmt: str, *args: str) -> Result:
    """`papers --catalog PATH export --format FMT ARGS...` through CliRunner."""
    return CliRunner().invoke(app, ["--catalog", str(catalog_path), "export", "--format", fmt, *args])


def one_error_line(result: Result) -> str:
    """The single `error: ...` line a failed command must print on stderr, with no traceback caught by
    the runner; returned for the caller to check its words."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]
