"""A reading list as a GitHub task list: per section, `- [x]` for each paper read and `- [ ]` for the rest,
numbered as the list numbers its items, so a list can be shared with its reader's progress."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from papercli.export.markdown import _markdown_block, code_span, escape, link_destination
from papercli.models import Paper, ReadingList
from papercli.reading import ListItem, ListPart
from papercli.reading_log import Status
from papercli.sanitize import clean


def render_checklist(reading_list: ReadingList, parts: Sequence[ListPart], statuses: Mapping[str, Status]) -> str:
    """`statuses` maps paper ids to their reading status (papers not in it are to-read)."""
    distinct = {item.paper.id for part in parts for item in part.items}
    read = sum(statuses.get(pid) == "read" for pid in distinct)
    lines = [f"# {escape(reading_list.title)}", ""]
    if reading_list.description and reading_list.description.strip():
        lines += _markdown_block(reading_list.description)
    lines += [f"{read} of {len(distinct)} {'paper' if len(distinct) == 1 else 'papers'} read.", ""]
    for part in parts:
        lines += [f"## {part.number}. {escape(part.section.title)}", ""]
        if part.section.description and part.section.description.strip():
            lines += _markdown_block(part.section.description)
        lines += [_task(item, statuses.get(item.paper.id, "to-read")) for item in part.items]
        lines.append("")
    return clean("\n".join(lines).rstrip("\n") + "\n")


def _task(item: ListItem, status: Status) -> str:
    paper = item.paper
    text = f"{item.number} {_title(paper)}"
    if paper.title_zh:
        text += f" · {escape(paper.title_zh)}"
    text += f" · {code_span(paper.id)}"
    if status == "skipped":
        return f"- [x] ~~{text}~~ (skipped)"
    if status == "reading":
        return f"- [ ] {text} (reading)"
    return f"- [{'x' if status == 'read' else ' '}] {text}"


def _title(paper: Paper) -> str:
    if paper.url:
        return f"[{escape(paper.title)}]({link_destination(paper.url)})"
    return escape(paper.title)
