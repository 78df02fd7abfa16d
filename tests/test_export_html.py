"""`papers export --format html`: the static site's files, its content, its safety with hostile catalogs and
its determinism. What the page does in a browser is in test_site_browser.py."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papercli.catalog import load_catalog
from papercli.export.bibtex import render_bibtex
from papercli.export.html import render_site
from papercli.links import is_web_link
from papercli.models import Catalog, Institution, Paper, ReadingList, Section, Tag
from tests.helpers import BUNDLED, Invoke


class Page(HTMLParser):
    """Every start tag with its attributes, the text of <script> blocks and the text of each element id."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data

    def ids(self) -> list[str]:
        return [str(attrs["id"]) for _, attrs in self.tags if attrs.get("id")]

    def hrefs(self) -> list[str]:
        return [str(attrs["href"]) for tag, attrs in self.tags if tag == "a" and attrs.get("href") is not None]


def site_data(index_html: str) -> dict[str, object]:
    """The search index embedded in the page, as the browser's JSON.parse would read it."""
    match = re.search(r'<script type="application/json" id="_data">(.*?)</script>', index_html, re.S)
    assert match, "the page embeds its search index"
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_files_are_the_page_and_its_packaged_assets(small_catalog: Path) -> None:
    catalog = load_catalog(small_catalog).catalog
    files = render_site(catalog, catalog.papers)
    assert sorted(files) == ["index.html", "site.css", "site.js"]
    site = resources.files("papercli.export").joinpath("site")
    assert files["site.js"] == site.joinpath("site.js").read_text(encoding="utf-8")
    assert files["site.css"] == site.joinpath("site.css").read_text(encoding="utf-8")
    assert "prefers-color-scheme: dark" in files["site.css"] and "@media (max-width" in files["site.css"]
    page = Page(files["index.html"])
    links = [attrs for tag, attrs in page.tags if tag in ("link", "script") and (attrs.get("href") or attrs.get("src"))]
    assert [a.get("href") or a.get("src") for a in links] == ["site.css", "site.js"]  # relative, no CDN


def test_cli_writes_the_site_into_a_new_folder(papers: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "out" / "site"
    result = papers("export", "--format", "html", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.iterdir()) == ["index.html", "site.css", "site.js"]
    assert "wrote 4 papers" in result.stderr
    page = Page((target / "index.html").read_text(encoding="utf-8"))
    assert {"lora", "qlora", "self-rag", "llava"} <= set(page.ids())
    # Again into the same folder: files are replaced, other files are left alone.
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    assert papers("export", "--format", "html", "--tag", "PEFT", "-o", str(target)).exit_code == 0
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    ids = Page((target / "index.html").read_text(encoding="utf-8")).ids()
    assert "lora" in ids and "self-rag" not in ids, "export's filters choose the site's papers"


def test_a_selection_of_no_papers_is_a_page_that_says_so(papers: Invoke, tmp_path: Path) -> None:
    result = papers("export", "--format", "html", "--year", "1999", "-o", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "No papers were selected" in text and "<article" not in text
    assert site_data(text) == {"papers": []}


def test_cli_refuses_a_file_as_the_folder_and_a_missing_folder(papers: Invoke, tmp_path: Path) -> None:
    existing = tmp_path / "site"
    existing.write_text("not a folder", encoding="utf-8")
    result = papers("export", "--format", "html", "-o", str(existing))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "is not a folder" in result.stderr
    assert existing.read_text(encoding="utf-8") == "not a folder"
    missing = papers("export", "--format", "html")
    assert missing.exit_code == 2 and "--output DIR" in missing.stderr
    grouped = papers("export", "--format", "html", "--group-by", "tag", "-o", str(tmp_path / "x"))
    assert grouped.exit_code == 2 and "--group-by" in grouped.stderr
    assert not (tmp_path / "x").exists()


def test_cli_never_writes_over_the_catalog(papers: Invoke, small_catalog: Path) -> None:
    index = small_catalog.parent / "index.html"
    index.symlink_to(small_catalog)
    before = small_catalog.read_bytes()
    result = papers("export", "--format", "html", "-o", str(small_catalog.parent))
    assert result.exit_code == 1 and "catalog" in result.stderr
    assert small_catalog.read_bytes() == before


def test_a_paper_entry_shows_everything_the_catalog_has(small_catalog: Path) -> None:
    catalog = load_catalog(small_catalog).catalog
    text = render_site(catalog, catalog.papers)["index.html"]
    entry = text[text.index('<article class="paper" id="lora"') : text.index("</article>", text.index('id="lora"'))]
    lora = catalog.paper("lora")
    assert lora is not None
    for value in (lora.title, "LoRA:低秩适配", "Edward J. Hu, Yelong Shen", "Microsoft Research", "ICLR 2022"):
        assert html.escape(value, quote=False) in entry, value
    page = Page(entry)
    assert set(page.hrefs()) >= {
        "#lora",
        "https://arxiv.org/abs/2106.09685",
        "https://arxiv.org/pdf/2106.09685",
        "https://github.com/microsoft/LoRA",
        "?tag=PEFT",
        "?inst=Microsoft%20Research",
        "?year=2021",
    }
    assert "Low-rank updates beside frozen weights." in entry
    assert "<strong>动机</strong>" in entry and "<li>旁路低秩分解</li>" in entry  # Markdown rendered
    assert f"<pre>{html.escape(render_bibtex(catalog, [lora]), quote=False)}</pre>" in entry
    assert 'lang="zh-Hans">LoRA:低秩适配' in entry
    assert "Copy BibTeX" in entry


def test_reading_list_sections_number_their_items(small_catalog: Path) -> None:
    catalog = load_catalog(small_catalog).catalog
    chosen = [p for p in catalog.papers if p.id in ("qlora", "lora", "llava")]
    text = render_site(catalog, chosen, reading_list="starter")["index.html"]
    page = Page(text)
    assert "<title>Starter list</title>" in text and "Read these first." in text
    nav = [h for h in page.hrefs() if h.startswith("#sec_")]
    assert nav == ["#sec_1", "#sec_2"]
    assert {"sec_1", "sec_2"} <= set(page.ids())
    numbers = re.findall(r'<span class="num">([\d.]+)</span> ', text)
    assert numbers == ["1", "2", "1", "1.1", "1.2", "2", "2.1", "2.2"]  # nav, then headings and items
    # lora is in both parts: one full entry (one anchor), and a numbered reference back to it in part two.
    assert page.ids().count("lora") == 1
    part_two = text[text.index('id="sec_2"') :]
    assert '<span class="num">2.2</span> <a href="#lora"' in part_two


def test_search_index_holds_aliases_and_cannot_close_its_script_block(small_catalog: Path) -> None:
    catalog = load_catalog(small_catalog).catalog
    text = render_site(catalog, catalog.papers)["index.html"]
    records = {r["id"]: r for r in site_data(text)["papers"]}  # type: ignore[attr-defined]
    assert "检索增强生成" in records["self-rag"]["text"]  # the RAG tag's alias
    assert "微软研究院" in records["lora"]["text"]  # the institution's alias
    assert records["lora"]["tags"] == ["PEFT"] and records["lora"]["year"] == 2021


HOSTILE = [
    "<script>document.title='pwned'</script>",
    "</script><script>window.pwned=1</script>",
    '"><img src=x onerror="window.pwned=1">',
    "javascript:window.pwned=1",
    "<!--",
    "]]>",
    "\u2028\u2029",
    "&lt;b&gt;",
    "'; window.pwned=1; '",
]
hostile_text = st.lists(st.sampled_from(HOSTILE) | st.text(alphabet="<>&\"'`/=: ab", max_size=8), max_size=4).map(
    "".join
)
hostile_line = hostile_text.map(lambda s: s.replace("\u2028", "").replace("\u2029", "").strip() or "x")
ALLOWED_TAGS = {
    *("html", "head", "meta", "title", "link", "script", "body", "header", "h1", "h2", "h3", "div", "form"),
    *("input", "select", "option", "span", "button", "output", "nav", "details", "summary", "ol", "ul", "li"),
    *("a", "main", "section", "article", "p", "footer", "pre", "code", "strong", "em", "blockquote", "hr", "br"),
    *("h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "s"),
}


def hostile_catalog(title: str, note: str, tag: str, inst: str, url: str) -> tuple[Catalog, list[Paper]]:
    paper = Paper(
        id="evil",
        title=title,
        title_zh=title,
        authors=(title,),
        institutions=(inst,),
        venue=title,
        url=url,
        code="javascript:window.pwned=1",
        tags=(tag,),
        summary=note,
        note=note + "\n\n[click](javascript:window.pwned=1) <a href=x onclick=y>z</a> ![i](https://x.test/i.png)",
    )
    catalog = Catalog(
        title=title,
        tags=(Tag(tag, aliases=(title,)),),
        institutions=(Institution(inst),),
        lists=(ReadingList("l", title, note, (Section(title, note, ("evil",)),)),),
        papers=(paper,),
    )
    return catalog, [paper]


@settings(deadline=None, max_examples=120)
@given(hostile_line, hostile_text, hostile_line, hostile_line, st.sampled_from(HOSTILE).map(lambda s: s.strip()))
def test_hostile_catalog_text_never_becomes_markup(title: str, note: str, tag: str, inst: str, url: str) -> None:
    catalog, chosen = hostile_catalog(title, note, tag, inst, url)
    for reading_list in (None, "l"):
        text = render_site(catalog, chosen, reading_list=reading_list)["index.html"]
        page = Page(text)
        assert {tag for tag, _ in page.tags} <= ALLOWED_TAGS
        assert not [(t, a) for t, a in page.tags for name in a if name.startswith("on")], "no event handlers"
        scripts = [attrs for tag, attrs in page.tags if tag == "script"]
        assert scripts == [{"src": "site.js", "defer": None}, {"type": "application/json", "id": "_data"}]
        for href in page.hrefs():
            assert href.startswith(("https://", "http://", "#", "?")), href
        # The image becomes a link, unless the hostile note left a code fence open that swallows it.
        assert {h for h in page.hrefs() if h.startswith("http")} <= {"https://x.test/i.png"}
        data = site_data(text)
        assert data["papers"][0]["id"] == "evil"  # type: ignore[index]
        assert title in data["papers"][0]["text"]  # type: ignore[index]
        assert "Content-Security-Policy" in text and "script-src 'self'" in text


def test_only_web_links_become_links() -> None:
    catalog, chosen = hostile_catalog("T", "see [a](https://ok.test/a) and [b](data:text/html,x)", "t", "i", "x")
    page = Page(render_site(catalog, chosen)["index.html"])
    external = [h for h in page.hrefs() if not h.startswith(("#", "?"))]
    assert external == ["https://ok.test/a", "https://x.test/i.png"]


def test_same_input_gives_the_same_bytes_in_separate_processes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / f"site-{seed}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERS_")}
        env |= {"PYTHONHASHSEED": seed, "PAPERS_NO_CACHE": "1"}
        for name, extra in (("all", []), ("must-read", ["--list", "must-read"])):
            command = [sys.executable, "-m", "papercli", "--catalog", str(BUNDLED), "export", "-f", "html", *extra]
            result = subprocess.run(
                [*command, "-o", str(folder / name)], capture_output=True, text=True, env=env, timeout=120
            )
            assert result.returncode == 0, result.stderr
        outputs.append({p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()})
    assert len(outputs[0]) == 6  # three files in each of two folders
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("url", "clickable"),
    [
        ("https://arxiv.org/abs/2106.09685", True),
        ("HTTP://example.org", True),
        ("javascript:alert(1)", False),
        ("JavaScript://%0aalert(1)", False),
        ("data:text/html,<script>x</script>", False),
        ("//evil.example", False),
        ("https://", False),
        ("https:///path", False),
        ("https://@evil.example", False),
        ("https://a.example/x y", False),
        ("https://a.example/\x1b[31m", False),
        ("https://a.example/\u0085", False),
    ],
)
def test_which_links_may_become_hrefs(url: str, clickable: bool) -> None:
    assert is_web_link(url) is clickable
