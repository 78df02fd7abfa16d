"""`papers edit`: change one paper's entry (or its note) in the user's editor."""

from __future__ import annotations

from typing import Annotated

import typer

from papercli.commands.context import note, state
from papercli.commands.options import RefArgument


def edit_paper(
    ctx: typer.Context,
    ref: RefArgument,
    note_only: Annotated[bool, typer.Option("--note", help="Edit only the note, as a Markdown file.")] = False,
) -> None:
    """Edit a paper's entry (or only its note) in $VISUAL or $EDITOR; it is checked before it is written.

    Example: papers --catalog my.toml edit lora --note
    """
    from papercli.write import edit_session
    from papercli.write.editor import run_editor

    path = state(ctx).catalog_to_change()
    result = edit_session.edit_paper(path, ref, note_only=note_only, open_editor=run_editor, retry=ask_to_retry)
    messages = {
        edit_session.Outcome.saved: f"saved {result.paper_id!r} to {path}",
        edit_session.Outcome.unchanged: f"no changes to {result.paper_id!r}; nothing written",
        edit_session.Outcome.aborted: f"empty entry: edit of {result.paper_id!r} aborted; nothing written",
    }
    note(messages[result.outcome])


def ask_to_retry(problems: list[str]) -> bool:
    for problem in problems:
        note(f"error: {problem}")
    try:
        return typer.confirm("Re-open the editor to fix this?", default=True, err=True)
    except typer.Abort:  # stdin closed: nobody to ask
        return False
