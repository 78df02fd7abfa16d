"""Domain exceptions. Each carries a message a user can act on and the exit code the CLI maps it to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papercli.problems import Problem


class PapersError(Exception):
    """Base of every error the `papers` command reports without a traceback; exit code 1 unless a subclass
    says otherwise."""

    exit_code = 1


class UsageError(PapersError):
    """An option value that cannot be used (unknown tag, list, institution, bad range...)."""

    exit_code = 2


class CatalogError(PapersError):
    """The catalog cannot be read or parsed at all."""

    exit_code = 2


class NotFoundError(PapersError):
    """A reference that names no paper."""


class AmbiguousRefError(PapersError):
    """A reference that matches several papers."""

    def __init__(self, ref: str, candidates: Sequence[str]) -> None:
        self.candidates = list(candidates)
        shown = ", ".join(self.candidates[:10])
        more = f" and {len(self.candidates) - 10} more" if len(self.candidates) > 10 else ""
        super().__init__(f"{ref!r} is ambiguous: it matches {shown}{more}")


class OutputError(PapersError):
    """Output that cannot be written where the user asked."""


class DuplicatePaperError(PapersError):
    """The paper is already in the catalog (same id, same link, or the same arXiv paper)."""


class InvalidChange(PapersError):
    """A change would leave the catalog with errors, so nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        shown = "; ".join(p.without_position() for p in self.problems[:3])
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        super().__init__(f"nothing written: {shown}{more}")


class EditProblems(PapersError):
    """An edited entry cannot be written; `messages` say where and why, one per line."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


class ChangedMeanwhile(PapersError):
    """Someone else changed or removed the entry being edited; nothing was written."""


class KeptChanging(PapersError):
    """The file was saved by someone else (by hand) during every try of a change; nothing was written."""


class EditorAborted(PapersError):
    """The editor exited with a failure status: the user's way of saying 'abort'."""


class EditInterrupted(PapersError):
    """Ctrl-C while the editor was open; what the user typed is kept."""

    exit_code = 130  # what a shell reports for a command ended by SIGINT


class LockTimeout(PapersError):
    """Another writer held the catalog's lock for too long."""


class ArxivError(PapersError):
    """arXiv could not be asked, or did not know the paper. Nothing is written."""
