"""Arranging selected papers into titled groups for documents (by tag, by reading list, or not at all)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from papercli.models import Catalog, Paper


class GroupBy(str, Enum):
    tag = "tag"
    list = "list"
    none = "none"


@dataclass(frozen=True)
class PaperGroup:
    title: str | None  # None: the papers stand directly under the document title
    papers: tuple[Paper, ...]
    description: str | None = None  # a reading-list section's own text, shown under its title


def group_papers(
    catalog: Catalog, papers: Sequence[Paper], by: GroupBy, reading_list: str | None = None
) -> list[PaperGroup]:
    """Groups in a stable order. A paper may sit in several groups (one per tag, or a list naming it
    twice); papers that fit no group are gathered last so none is lost."""
    if by is GroupBy.none:
        return [PaperGroup(None, tuple(papers))]
    selected = {p.id: p for p in papers}
    groups: list[PaperGroup] = []
    placed: set[str] = set()
    if by is GroupBy.tag:
        for tag in catalog.tags:
            members = tuple(p for p in papers if tag.name in p.tags)
            if members:
                groups.append(PaperGroup(tag.name, members))
                placed.update(p.id for p in members)
        leftover_title = "Untagged"
    else:
        lists = [rl for rl in catalog.lists if reading_list is None or rl.id == reading_list]
        for rl in lists:
            for section in rl.sections:
                members = tuple(selected[pid] for pid in section.papers if pid in selected)
                if members:
                    title = section.title if reading_list else f"{rl.title}: {section.title}"
                    groups.append(PaperGroup(title, members, section.description))
                    placed.update(p.id for p in members)
        leftover_title = "Not in a reading list"
    rest = tuple(p for p in papers if p.id not in placed)
    if rest:
        groups.append(PaperGroup(leftover_title, rest))
    return groups
