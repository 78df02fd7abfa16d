"""Checks beyond the schema: things that load fine but are probably mistakes in a catalog."""

from __future__ import annotations

import re
from collections.abc import Callable

from papercli.models import Catalog, Paper, arxiv_id_from_url
from papercli.problems import Problem

_NEW_STYLE_ID = re.compile(r"^(\d{2})(\d{2})\.(\d{4,5})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TEXT_FIELDS = ("title", "title_zh", "authors", "institutions", "venue", "url", "code", "tags", "summary", "note")

Locate = Callable[[str, str | None], int | None]


def lint(catalog: Catalog, source: str, locate: Locate) -> list[Problem]:
    problems: list[Problem] = []

    def report(paper: Paper, field: str, message: str, severity: str = "error") -> None:
        problems.append(
            Problem(
                message,
                source,
                locate(paper.id, field),
                None,
                f"paper {paper.id!r}",
                field,
                "warning" if severity == "warning" else "error",
            )
        )

    first_with: dict[tuple[str, str], Paper] = {}
    for paper in catalog.papers:
        for field in ("url", "code"):
            link = getattr(paper, field)
            if not link:
                continue
            key = (field, _normalized(link))
            if key in first_with:
                # two papers with one paper link is a copy-paste error; a shared code repo can be legitimate
                report(
                    paper,
                    field,
                    f"same {field} as paper {first_with[key].id!r}: {link}",
                    "error" if field == "url" else "warning",
                )
            else:
                first_with[key] = paper
        if paper.url and "arxiv.org" in paper.url:
            problem = _arxiv_problem(paper.url)
            if problem:
                report(paper, "url", problem)
        for field in _TEXT_FIELDS:
            value = getattr(paper, field)
            text = "\n".join(value) if isinstance(value, list) else (value or "")
            if _CONTROL.search(text.replace("\r\n", "\n")):
                report(
                    paper,
                    field,
                    "contains terminal control characters (escape sequences); "
                    "they are stripped on output but should be removed from the catalog",
                )
        if not paper.note.strip() and not (paper.summary or "").strip():
            report(paper, "note", "empty note and no summary", "warning")
    return problems


def _arxiv_problem(url: str) -> str | None:
    arxiv = arxiv_id_from_url(url)
    if arxiv is None:
        return f"malformed arXiv link {url!r} (expected https://arxiv.org/abs/<id>)"
    match = _NEW_STYLE_ID.match(arxiv)
    if match:
        year, month, number = int(match.group(1)), int(match.group(2)), match.group(3)
        if not 1 <= month <= 12:
            return f"arXiv id {arxiv} has no month {month:02d}"
        if (year, month) >= (15, 1) and len(number) != 5:
            return f"arXiv id {arxiv} looks truncated: ids since 1501 have 5 digits after the dot"
        if (year, month) < (15, 1) and len(number) != 4:
            return f"arXiv id {arxiv} is malformed: ids before 1501 have 4 digits after the dot"
    if not url.startswith("https://arxiv.org/abs/") or url.rstrip("/").endswith(("pdf", f"{arxiv}v1")):
        return f"arXiv link {url!r} is not in the canonical form https://arxiv.org/abs/{arxiv}"
    if re.search(r"v\d+$", url):
        return f"arXiv link {url!r} pins a version; use https://arxiv.org/abs/{arxiv}"
    return None


def _normalized(link: str) -> str:
    return link.lower().rstrip("/").removeprefix("http://").removeprefix("https://").removeprefix("www.")
