"""Running the user's text editor ($VISUAL, else $EDITOR) on a file and waiting for it."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from papercli.errors import EditorAborted, UsageError

FALLBACK_EDITORS = ("nano", "vi")


def editor_command() -> list[str]:
    """The editor to run, as argv. A variable may hold arguments too (`code --wait`)."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError as exc:
                raise UsageError(f"${variable} cannot be parsed as a command: {exc}") from None
    for name in FALLBACK_EDITORS:
        if shutil.which(name):
            return [name]
    raise UsageError("no text editor found: set $VISUAL or $EDITOR (for example `export EDITOR=nano`)")


def run_editor(path: Path) -> None:
    """Open `path` in the editor and wait until it exits. A non-zero exit status raises EditorAborted."""
    command = [*editor_command(), str(path)]
    try:
        status = subprocess.call(command)
    except OSError as exc:
        raise UsageError(f"cannot run the editor {command[0]!r}: {exc.strerror}; check $VISUAL and $EDITOR") from None
    if status != 0:
        raise EditorAborted(f"the editor exited with status {status}; nothing written")
