"""Domain exceptions. Each carries a message a user can act on and the exit code the CLI maps it to."""

from __future__ import annotations

from collections.abc import Sequence


class PapersError(Exception):
    """Base of every error the `papers` command reports without a traceback."""

    exit_code = 1


class UsageError(PapersError):
    """An option value that cannot be used (unknown tag, list, institution, bad range...)."""

    exit_code = 2


class CatalogError(PapersError):
    """The catalog cannot be read or parsed at all."""

    exit_code = 2


class NotFoundError(PapersError):
    """A reference that names no paper."""

    exit_code = 1


class AmbiguousRefError(PapersError):
    """A reference that matches several papers."""

    exit_code = 1

    def __init__(self, ref: str, candidates: Sequence[str]) -> None:
        self.candidates = list(candidates)
        shown = ", ".join(self.candidates[:10])
        more = f" and {len(self.candidates) - 10} more" if len(self.candidates) > 10 else ""
        super().__init__(f"{ref!r} is ambiguous: it matches {shown}{more}")


class OutputError(PapersError):
    """Output that cannot be written where the user asked."""

    exit_code = 1


def did_you_mean(suggestions: Sequence[str]) -> str:
    if not suggestions:
        return ""
    return " (did you mean " + ", ".join(repr(s) for s in suggestions) + "?)"
