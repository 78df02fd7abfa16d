"""Matching what a user typed against the catalog's names (tags, institutions, reading lists), with one
"did you mean" for everything that matches nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from papercli.errors import UsageError
from papercli.models import VocabularyEntry

Entry = TypeVar("Entry", bound=VocabularyEntry)


def find_spelled(items: Iterable[Entry], text: str) -> Entry | None:
    """The entry `text` names exactly (its name or an alias, any case), or None."""
    return next((item for item in items if item.is_spelled(text)), None)


def spellings(items: Iterable[VocabularyEntry]) -> list[str]:
    return [spelling for item in items for spelling in (item.name, *item.aliases)]


def closest(value: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to `n` candidates that look like `value` (any case), best first."""
    import difflib  # only error paths need it

    pool = list(dict.fromkeys(candidates))
    folded = {c.casefold(): c for c in pool}
    hits = difflib.get_close_matches(value.casefold(), list(folded), n=n, cutoff=0.5)
    return [folded[h] for h in hits]


def did_you_mean(suggestions: Sequence[str]) -> str:
    if not suggestions:
        return ""
    return " (did you mean " + ", ".join(repr(s) for s in suggestions) + "?)"


def unknown(what: str, value: str, candidates: Iterable[str], hint: str) -> UsageError:
    """The error for a name that matches nothing: `unknown tag 'rgb' (did you mean 'RAG'?); HINT`."""
    return UsageError(f"{what} {value!r}" + did_you_mean(closest(value, candidates)) + (f"; {hint}" if hint else ""))


def resolve_spelled(items: Sequence[Entry], value: str, kind: str, hint: str) -> Entry:
    """The entry `value` names, or a UsageError that suggests the closest spellings."""
    found = find_spelled(items, value)
    if found is None:
        raise unknown(f"unknown {kind}", value, spellings(items), hint)
    return found
