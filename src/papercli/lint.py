"""Checks beyond the schema: things that load fine but are probably mistakes in a catalog.

`papers check` runs them over the whole catalog, and every write runs the same checks on what it writes
(`paper_findings` for one entry, `papers_sharing_links` against the others), so nothing a write command accepts
is an error for `check`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from papercli.links import arxiv_link_problem, link_identity
from papercli.models import Catalog, Paper
from papercli.problems import Problem, Severity
from papercli.sanitize import has_control_characters, invisible_characters

_TEXT_FIELDS = ("title", "title_zh", "authors", "institutions", "venue", "url", "code", "tags", "summary", "note")
LINK_FIELDS = ("url", "code")

Locate = Callable[[str, str | None], int | None]


@dataclass(frozen=True)
class Finding:
    """A problem with one field of one paper, before it is given a place in a file."""

    field: str
    message: str
    severity: Severity = "error"


def paper_findings(paper: Paper) -> list[Finding]:
    """What is wrong with one paper on its own (links, control characters, missing notes)."""
    found: list[Finding] = []
    if paper.url:
        problem = arxiv_link_problem(paper.url)
        if problem:
            found.append(Finding("url", problem))
    for field in _TEXT_FIELDS:
        if has_control_characters(_field_text(paper, field)):
            found.append(
                Finding(
                    field,
                    "contains terminal control characters (escape sequences); "
                    "they are stripped on output but should be removed from the catalog",
                )
            )
    for field in ("id", *_TEXT_FIELDS):
        invisible = invisible_characters(_field_text(paper, field))
        if invisible:
            found.append(Finding(field, invisible_message(invisible), "warning"))
    if not paper.note.strip() and not (paper.summary or "").strip():
        found.append(Finding("note", "empty note and no summary", "warning"))
    return found


def _field_text(paper: Paper, field: str) -> str:
    """A text field's value as one string (a list field's items one per line; "" when unset)."""
    value = getattr(paper, field)
    return "\n".join(value) if isinstance(value, tuple) else (value or "")


def invisible_message(names: list[str]) -> str:
    return (
        f"contains invisible characters that reorder or hide text ({', '.join(names)}); "
        "what is shown is not what is matched or linked: remove them"
    )


def vocabulary_findings(catalog: Catalog, source: str) -> list[Problem]:
    """Invisible reordering or hiding characters in tag and institution names and aliases, and in reading
    lists' ids and titles: names that look alike and are not, or that display reordered."""
    problems: list[Problem] = []

    def look(subject: str, field: str, texts: Iterable[str | None]) -> None:
        invisible = invisible_characters("\n".join(text for text in texts if text))
        if invisible:
            problems.append(Problem(invisible_message(invisible), source, None, None, subject, field, "warning"))

    for kind, items in (("tag", catalog.tags), ("institution", catalog.institutions)):
        for item in items:
            subject = f"{kind} {item.name!r}"
            look(subject, "name", [item.name])
            look(subject, "aliases", item.aliases)
            look(subject, "description", [item.description])
    for reading_list in catalog.lists:
        subject = f"list {reading_list.id!r}"
        look(subject, "id", [reading_list.id])
        look(subject, "title", [reading_list.title])
        look(subject, "sections", [section.title for section in reading_list.sections])
    return problems


def link_clash(paper: Paper, field: str, other: Paper) -> Finding:
    """Two papers with one paper link is a copy-paste error; a shared code repository can be legitimate."""
    link = getattr(paper, field)
    return Finding(field, f"same {field} as paper {other.id!r}: {link}", "error" if field == "url" else "warning")


def papers_sharing_links(paper: Paper, others: Iterable[Paper]) -> list[tuple[str, Paper]]:
    """(field, other paper) for each of `paper`'s links another paper already has, in any spelling."""
    mine = {field: link_identity(getattr(paper, field)) for field in LINK_FIELDS if getattr(paper, field)}
    found: list[tuple[str, Paper]] = []
    for other in others:
        if other.id == paper.id:
            continue
        for field, identity in mine.items():
            theirs = getattr(other, field)
            if theirs and link_identity(theirs) == identity:
                found.append((field, other))
    return found


def lint(catalog: Catalog, source: str, locate: Locate) -> list[Problem]:
    problems: list[Problem] = []

    def report(paper: Paper, finding: Finding) -> None:
        problems.append(
            Problem(
                finding.message,
                source,
                locate(paper.id, finding.field),
                None,
                f"paper {paper.id!r}",
                finding.field,
                finding.severity,
            )
        )

    first_with: dict[tuple[str, str], Paper] = {}
    for paper in catalog.papers:
        for field in LINK_FIELDS:
            link = getattr(paper, field)
            if not link:
                continue
            key = (field, link_identity(link))
            if key in first_with:
                report(paper, link_clash(paper, field, first_with[key]))
            else:
                first_with[key] = paper
        for finding in paper_findings(paper):
            report(paper, finding)
    return problems + vocabulary_findings(catalog, source)
