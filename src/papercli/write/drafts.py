"""Turning what a user typed (and what arXiv knows) into a new catalog entry, checked against the catalog."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, replace
from typing import Any, Protocol

from papercli.arxiv import ArxivRecord
from papercli.errors import DuplicatePaperError, UsageError
from papercli.ids import id_from_title, unique_id
from papercli.links import arxiv_id_from_url
from papercli.lint import paper_findings, papers_sharing_links
from papercli.models import DEFAULT_KIND, Catalog, Institution, Paper, Tag, check_single_line
from papercli.spelling import find_spelled, resolve_spelled

# Paper field -> the `papers add` option that sets it, for error messages.
OPTION_FOR_FIELD = {
    "id": "--id",
    "kind": "--kind",
    "title": "--title",
    "title_zh": "--title-zh",
    "authors": "--author",
    "institutions": "--institution",
    "year": "--year",
    "venue": "--venue",
    "url": "--url",
    "code": "--code",
    "tags": "--tag",
    "summary": "--summary",
    "note": "--note-file",
}


def normalise_note(text: str) -> str:
    """Markdown as a note: one kind of line break, no blank lines around it, a final newline ('' if empty)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(line.rstrip() for line in lines) + "\n" if lines else ""


@dataclass(frozen=True)
class Draft:
    """A paper as given on the command line; None and () mean 'not given'."""

    title: str | None = None
    id: str | None = None
    kind: str | None = None
    title_zh: str | None = None
    authors: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    url: str | None = None
    code: str | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    note: str | None = None
    new_tags: tuple[str, ...] = ()
    new_institutions: tuple[str, ...] = ()

    def filled_from(self, record: ArxivRecord) -> Draft:
        """This draft with the gaps filled from arXiv; what the user gave wins."""
        return replace(
            self,
            title=self.title or record.title,
            authors=self.authors or record.authors,
            year=self.year if self.year is not None else record.year,
            url=self.url or record.url,
        )


@dataclass(frozen=True)
class Addition:
    """Everything `papers add` writes: the paper and any vocabulary it declares."""

    paper: Paper
    record: dict[str, Any]  # the paper's fields as they go into the TOML table
    new_tags: tuple[str, ...]
    new_institutions: tuple[str, ...]


def plan_addition(catalog: Catalog | PaperSet, draft: Draft) -> Addition:
    """Check a draft against the catalog and settle its id, tags and institutions. Raises on any problem."""
    from papercli.validation import validate

    if not draft.title:
        raise UsageError("a paper needs a title: give --title, or an arXiv id or link to fetch it from arXiv")
    new_tags = _new_names("--new-tag", draft.new_tags, catalog.tags)
    new_institutions = _new_names("--new-institution", draft.new_institutions, catalog.institutions)
    declared_tags = {n.casefold(): n for n in new_tags}  # `--new-tag x --tag x` names the new tag twice
    declared_institutions = {n.casefold(): n for n in new_institutions}
    tags = [declared_tags.get(n.strip().casefold()) or _canonical("tag", n, catalog.tags) for n in draft.tags]
    institutions = [
        declared_institutions.get(n.strip().casefold()) or _canonical("institution", n, catalog.institutions)
        for n in draft.institutions
    ]
    taken: Container[str] = {p.id for p in catalog.papers} if isinstance(catalog, Catalog) else catalog.taken
    if draft.id is not None:
        paper_id = draft.id
        if paper_id in taken:
            existing = catalog.paper(paper_id)
            raise DuplicatePaperError(
                f"id {paper_id!r} is taken by {_entry(existing)}; choose another --id or leave it out to derive one"
            )
    else:
        arxiv = arxiv_id_from_url(draft.url)
        base = id_from_title(draft.title) or (f"arxiv-{arxiv.replace('.', '-').replace('/', '-')}" if arxiv else "")
        paper_id = unique_id(base, taken)
    record: dict[str, Any] = {
        "id": paper_id,
        "kind": None if draft.kind in (None, DEFAULT_KIND) else draft.kind,  # the default is left out
        "title": draft.title,
        "title_zh": draft.title_zh,
        "authors": list(draft.authors),
        "institutions": _unique(institutions + list(new_institutions)),
        "year": draft.year,
        "venue": draft.venue,
        "url": draft.url,
        "code": draft.code,
        "tags": _unique(tags + list(new_tags)),
        "summary": draft.summary,
        "note": normalise_note(draft.note) if draft.note else None,
    }
    record = {key: value for key, value in record.items() if value not in (None, [])}
    paper, errors = validate(Paper, record)
    if paper is None:
        first = errors[0]
        field = first.field.split(".")[0]
        raise UsageError(f"{OPTION_FOR_FIELD.get(field, field)}: {first.message}")
    refuse_duplicate(catalog, paper)
    # The checks `papers check` runs: what add accepts, check accepts.
    for finding in paper_findings(paper):
        if finding.severity == "error":
            raise UsageError(f"{OPTION_FOR_FIELD.get(finding.field, finding.field)}: {finding.message}")
    return Addition(paper, record, new_tags, new_institutions)


class PaperSet(Protocol):
    """What planning an addition asks of a catalog; an index answers it without loading every paper."""

    tags: tuple[Tag, ...]
    institutions: tuple[Institution, ...]
    taken: Container[str]  # the ids in use

    def paper(self, paper_id: str) -> Paper | None: ...
    def sharing_links(self, paper: Paper) -> list[tuple[str, Paper]]: ...


def refuse_duplicate(catalog: Catalog | PaperSet, paper: Paper) -> None:
    """Raise if the paper's link (in any spelling, or the same arXiv paper under any link form) is
    already in the catalog: the rule `papers check` applies."""
    sharing = (
        papers_sharing_links(paper, catalog.papers) if isinstance(catalog, Catalog) else catalog.sharing_links(paper)
    )
    for field, other in sharing:
        if field == "url":
            what = f"arXiv {paper.arxiv}" if paper.arxiv else paper.url
            raise DuplicatePaperError(f"{what} is already in the catalog as {_entry(other)}")


def _entry(paper: Paper | None) -> str:
    if paper is None:
        return "another entry"
    return f"{paper.id!r} ({paper.title}); see `papers show {paper.id}` or change it with `papers edit {paper.id}`"


def _canonical(kind: str, name: str, items: tuple[Tag, ...] | tuple[Institution, ...]) -> str:
    hint = f"`papers {kind}s` lists them, or declare a new one with --new-{kind} {name!r}"
    return resolve_spelled(items, name, kind, hint).name


def _new_names(
    option: str, names: tuple[str, ...], existing: tuple[Tag, ...] | tuple[Institution, ...]
) -> tuple[str, ...]:
    for name in names:
        reason = check_single_line(name)
        if reason:
            raise UsageError(f"{option} {name!r}: {reason}")
        if find_spelled(existing, name) is not None:
            raise UsageError(f"{option} {name!r}: already in the catalog's vocabulary; use it without 'new'")
    return tuple(dict.fromkeys(names))


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))
