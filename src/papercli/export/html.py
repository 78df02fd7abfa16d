"""HTML: a static website (index.html, a stylesheet and a script) that works from file:// and any web host.

`render_site` returns `{relative path: text}`; the caller writes the files. The page is complete without
JavaScript (every paper, its note rendered from Markdown, its BibTeX); the script adds find-as-you-type,
tag / institution / year facets kept in the URL's query, and a copy-BibTeX button.

Everything from the catalog is data: text is HTML-escaped, notes go through `notes_html` (raw HTML off,
only http(s) links), every href is an http(s) link checked here or one the page makes itself, and the
search index is JSON in a `<script type="application/json">` block with `<`, `>` and `&` written as
`\\u003c`, `\\u003e`, `\\u0026` so no text can close the block. A Content-Security-Policy allows only the
site's own script and stylesheet. Ids of the page's own elements contain `_`, which paper ids cannot, so a
paper anchor (`#lora`) never collides with them. Same input, same bytes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources

from papercli import __version__
from papercli.export.bibtex import render_bibtex
from papercli.export.notes_html import markdown_to_html
from papercli.grouping import GroupBy
from papercli.links import arxiv_pdf_url, is_web_link
from papercli.models import Catalog, Paper, ReadingList
from papercli.sanitize import clean

ASSETS = ("site.css", "site.js")
# Entries are wrapped in blocks of this many: the script takes entries the filter leaves out of the
# document and puts them back a block at a time, rebuilding only the blocks a keystroke changes.
CHUNK = 50
CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z]")
_JSON_IN_HTML = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class Slot:
    """Where a paper stands on the page: its item number in a reading list (or None) and whether this is
    its full entry (the first time it appears) or a reference back to it."""

    paper: Paper
    number: str | None
    full: bool


@dataclass(frozen=True)
class PageSection:
    anchor: str | None
    number: str | None
    title: str | None
    description: str | None
    slots: tuple[Slot, ...]


def asset(name: str) -> str:
    """The text of one of the site's bundled files (package data under papercli/export/site/)."""
    return resources.files("papercli.export").joinpath("site", name).read_text(encoding="utf-8")


def render_site(
    catalog: Catalog, papers: Sequence[Paper], group_by: GroupBy = GroupBy.none, reading_list: str | None = None
) -> dict[str, str]:
    """The site's files for `papers` (in the given order); with `reading_list`, the list's sections, numbered,
    are the page's sections and navigation. `group_by` does not apply (the page filters instead)."""
    del group_by
    rl = catalog.reading_list(reading_list) if reading_list else None
    sections = _sections(rl, papers)
    files = {"index.html": _page(catalog, rl, sections, papers)}
    files |= {name: asset(name) for name in ASSETS}
    return files


def _sections(rl: ReadingList | None, papers: Sequence[Paper]) -> list[PageSection]:
    if rl is None:
        return [PageSection(None, None, None, None, tuple(Slot(p, None, True) for p in papers))]
    selected = {p.id: p for p in papers}
    seen: set[str] = set()
    result: list[PageSection] = []
    for number, section in enumerate(rl.sections, start=1):
        slots: list[Slot] = []
        for item, pid in section.numbered():  # the list author's numbers
            if pid in selected:
                slots.append(Slot(selected[pid], f"{number}.{item}", pid not in seen))
                seen.add(pid)
        if slots:
            result.append(PageSection(f"sec_{number}", str(number), section.title, section.description, tuple(slots)))
    rest = tuple(Slot(p, None, True) for p in papers if p.id not in seen)
    if rest:
        result.append(PageSection("sec_rest", None, "Not in a section", None, rest))
    return result


def _page(catalog: Catalog, rl: ReadingList | None, sections: list[PageSection], papers: Sequence[Paper]) -> str:
    title = rl.title if rl else (catalog.title or "Paper catalog")
    index = {p.id: i for i, p in enumerate(papers)}
    notes = {p.id: markdown_to_html(clean(p.note)) for p in papers if p.note.strip()}
    out = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_text(title)}</title>",
        '<link rel="stylesheet" href="site.css">',
        '<script src="site.js" defer></script>',
        "</head>",
        "<body>",
        '<header class="top">',
        f"<h1{_lang(title)}>{_text(title)}</h1>",
    ]
    if rl and rl.description:
        out.append(f'<div class="intro"{_lang(rl.description)}>{markdown_to_html(clean(rl.description))}</div>')
    out.append("</header>")
    out += _filters(catalog, papers)
    out.append('<div class="layout">')
    if rl is not None:
        out += _navigation(sections)
    out.append('<main id="_main">')
    for section in sections:
        out += _section(section, index, notes)
    if not papers:
        out.append('<p class="empty">No papers were selected for this page.</p>')
    out.append('<p class="more"><button type="button" id="_more" hidden>Show more</button></p>')
    out.append('<p class="empty" id="_empty" hidden>No paper matches. <a href="?" id="_clear">Clear the filter</a></p>')
    out.append("</main>")
    out.append("</div>")
    count = len(papers)
    out.append(
        f"<footer><p>{count} {'paper' if count == 1 else 'papers'} · made with papercli {_text(__version__)}</p>"
        "</footer>"
    )
    out.append(f'<script type="application/json" id="_data">{_search_index(catalog, papers)}</script>')
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _filters(catalog: Catalog, papers: Sequence[Paper]) -> list[str]:
    """The filter bar: hidden until the script runs (without it, every paper is simply shown)."""
    tag_counts = Counter(name for p in papers for name in dict.fromkeys(p.tags))
    inst_counts = Counter(name for p in papers for name in dict.fromkeys(p.institutions))
    year_counts = Counter(str(p.year) for p in papers if p.year is not None)
    tags = [t.name for t in catalog.tags if t.name in tag_counts]
    tags += sorted(set(tag_counts) - set(tags))
    insts = sorted(inst_counts, key=lambda name: (-inst_counts[name], name))
    years = sorted(year_counts, reverse=True)
    count = len(papers)
    return [
        '<form class="filters" id="_filters" role="search" hidden>',
        '<input type="search" id="_q" name="q" autocomplete="off" spellcheck="false" '
        'placeholder="Filter: title, author, tag, institution, note… (e.g. 检索增强, 微软, LoRA)" '
        'aria-label="Filter papers">',
        _select("_tag", "tag", "All tags", tags, tag_counts),
        _select("_inst", "inst", "All institutions", insts, inst_counts),
        _select("_year", "year", "All years", years, year_counts),
        '<span class="status"><button type="button" id="_reset">Clear</button>',
        f'<output id="_count" aria-live="polite">{count} {"paper" if count == 1 else "papers"}</output></span>',
        "</form>",
    ]


def _select(element_id: str, name: str, everything: str, values: list[str], counts: Counter[str]) -> str:
    options = [f'<option value="">{everything}</option>']
    options += [f'<option value="{_attr(v)}">{_text(v)} ({counts[v]})</option>' for v in values]
    return f'<select id="{element_id}" name="{name}" aria-label="{everything}">{"".join(options)}</select>'


def _navigation(sections: list[PageSection]) -> list[str]:
    out = ['<nav class="toc" id="_toc" aria-label="Sections">', "<details open><summary>Sections</summary>", "<ol>"]
    for section in sections:
        out.append(
            f'<li data-sec="{section.anchor}"><a href="#{section.anchor}">{_number(section.number)}'
            f"<span{_lang(section.title or '')}>{_text(section.title or '')}</span></a> "
            f'<span class="n">{len(section.slots)}</span></li>'
        )
    out += ["</ol>", "</details>", "</nav>"]
    return out


def _section(section: PageSection, index: dict[str, int], notes: dict[str, str]) -> list[str]:
    out: list[str] = []
    if section.title is not None:
        out.append(f'<section class="part" id="{section.anchor}">')
        out.append(f"<h2{_lang(section.title)}>{_number(section.number)}{_text(section.title)}</h2>")
        if section.description:
            text = clean(section.description)
            out.append(f'<div class="intro"{_lang(text)}>{markdown_to_html(text)}</div>')
    else:
        out.append('<section class="part">')
    for start in range(0, len(section.slots), CHUNK):
        out.append('<div class="chunk">')
        for slot in section.slots[start : start + CHUNK]:
            position = index[slot.paper.id]
            out += _entry(slot, position, notes.get(slot.paper.id)) if slot.full else _reference(slot, position)
        out.append("</div>")
    out.append("</section>")
    return out


def _reference(slot: Slot, position: int) -> list[str]:
    paper = slot.paper
    return [
        f'<article class="paper ref" data-i="{position}">',
        f'<p>{_number(slot.number)}<a href="#{paper.id}"{_lang(paper.title)}>{_text(paper.title)}</a> '
        '<span class="see">(listed above)</span></p>',
        "</article>",
    ]


def _entry(slot: Slot, position: int, note: str | None) -> list[str]:
    paper = slot.paper
    out = [
        f'<article class="paper" id="{paper.id}" data-i="{position}">',
        f'<h3>{_number(slot.number)}<a class="self" href="#{paper.id}"{_lang(paper.title)}>'
        f"{_text(paper.title)}</a></h3>",
    ]
    if paper.title_zh:
        out.append(f'<p class="zh" lang="zh-Hans">{_text(paper.title_zh)}</p>')
    meta = []
    if paper.authors:
        meta.append(f'<span class="authors">{_text(", ".join(paper.authors))}</span>')
    if paper.institutions:
        meta.append(f'<span class="insts">{_chips("inst", paper.institutions)}</span>')
    if paper.venue:
        meta.append(f'<span class="venue">{_text(paper.venue)}</span>')
    if paper.year is not None:
        meta.append(f'<a class="year" href="?year={paper.year}" data-year="{paper.year}">{paper.year}</a>')
    if meta:
        out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    out.append(f'<p class="links">{" ".join(_links(paper))}</p>')
    if paper.tags:
        out.append(f'<p class="tags">{_chips("tag", paper.tags)}</p>')
    if paper.summary:
        out.append(f'<p class="summary"{_lang(paper.summary)}>{_text(paper.summary)}</p>')
    if note is not None:
        out.append(f'<details class="note"><summary>Notes</summary><div class="md"{_lang(paper.note)}>')
        out.append(note.rstrip("\n"))
        out.append("</div></details>")
    out.append(f'<details class="bib"><summary>BibTeX</summary><pre>{_text(render_bibtex(Catalog(), [paper]))}</pre>')
    out.append("</details>")
    out.append("</article>")
    return out


def _number(number: str | None) -> str:
    """The item or section number that leads a heading or a navigation entry ("" for none)."""
    return f'<span class="num">{number}</span> ' if number else ""


def _chips(facet: str, names: Sequence[str]) -> str:
    """Links that set a facet of the filter (`?tag=RAG`), one per name."""
    return " ".join(
        f'<a class="chip {facet}" href="?{facet}={_query(n)}" data-{facet}="{_attr(n)}"{_lang(n)}>{_text(n)}</a>'
        for n in names
    )


def _links(paper: Paper) -> list[str]:
    links: list[str] = []
    if paper.url and is_web_link(paper.url):
        label = f"arXiv:{paper.arxiv}" if paper.arxiv else "Paper"
        links.append(_link(paper.url, label))
    if paper.arxiv:
        links.append(_link(arxiv_pdf_url(paper.arxiv), "PDF"))
    if paper.code and is_web_link(paper.code):
        links.append(_link(paper.code, "Code"))
    links.append('<button type="button" class="copy">Copy BibTeX</button>')
    return links


def _link(url: str, label: str) -> str:
    return f'<a href="{_attr(url)}" rel="noopener noreferrer">{_text(label)}</a>'


def _search_index(catalog: Catalog, papers: Sequence[Paper]) -> str:
    """The JSON the script filters with: per paper its id, tags, institutions, year and one text holding
    everything a query may match (names and aliases of its tags and institutions included)."""
    tag_spellings = {t.name: [t.name, *t.aliases] for t in catalog.tags}
    inst_spellings = {i.name: [i.name, *i.aliases] for i in catalog.institutions}
    records = []
    for paper in papers:
        words = [paper.id, paper.title, paper.title_zh or "", ", ".join(paper.authors), paper.venue or ""]
        words += [s for t in paper.tags for s in tag_spellings.get(t, [t])]
        words += [s for i in paper.institutions for s in inst_spellings.get(i, [i])]
        words += [paper.summary or "", paper.note]
        record: dict[str, object] = {"id": paper.id, "tags": paper.tags, "insts": paper.institutions}
        record["year"] = paper.year
        record["text"] = clean("\n".join(w for w in words if w))
        records.append(record)
    text = json.dumps({"papers": records}, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_IN_HTML[m.group(0)], text)


def _text(value: str) -> str:
    return escape(clean(value), quote=False)


def _attr(value: str) -> str:
    return escape(clean(value), quote=True)


def _query(value: str) -> str:
    from urllib.parse import quote

    return _attr(quote(value, safe=""))


def _lang(text: str) -> str:
    """` lang="zh-Hans"` for text that is mostly Chinese (so browsers pick a CJK font for it), else "".
    Long text is judged by its start."""
    text = text[:300]
    cjk = len(_CJK.findall(text))
    return ' lang="zh-Hans"' if cjk and cjk >= len(_LATIN.findall(text)) / 3 else ""
