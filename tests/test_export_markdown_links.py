"""The Markdown export keeps catalog links and tag names inside their own syntax: a URL containing `>`,
`<`, `\\` or `&`, or a tag containing backticks, cannot end its link or code span early and start markup.
Checked by parsing the exported document with a CommonMark parser (markdown-it-py)."""

from __future__ import annotations

from urllib.parse import unquote

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from papercli.export.markdown import render_markdown
from papercli.grouping import GroupBy
from papercli.models import Catalog, Paper, Tag

_TRICKY = "<>\\&`()[]\"'*_#!|;=:/?%ab1"  # no whitespace: links are validated to have none
url_tails = st.text(alphabet=_TRICKY, max_size=20)
tag_names = st.text(alphabet="`<>*_[]()&ab -", min_size=1, max_size=12).map(str.strip).filter(bool)


def _inline_tokens(document: str) -> list[Token]:
    tokens = MarkdownIt("commonmark").parse(document)
    return [child for token in tokens if token.children for child in token.children]


def _export(paper: Paper, tags: list[str]) -> str:
    catalog = Catalog(tags=tuple(Tag(name) for name in tags), papers=(paper,))
    return render_markdown(catalog, [paper], GroupBy.none)


@settings(deadline=None, max_examples=150)
@given(url_tails, url_tails)
def test_links_survive_any_characters(url_tail: str, code_tail: str) -> None:
    url, code = "https://example.org/" + url_tail, "https://github.com/" + code_tail
    document = _export(Paper(id="p", title="P", url=url, code=code), [])
    inline = _inline_tokens(document)
    hrefs = [t.attrGet("href") for t in inline if t.type == "link_open"]
    paper_links = [h for h in hrefs if isinstance(h, str) and not h.startswith("#")]
    assert [unquote(h) for h in paper_links] == [unquote(url), unquote(code)]
    assert not [t for t in inline if t.type == "html_inline"], document


@settings(deadline=None, max_examples=150)
@given(st.lists(tag_names, min_size=1, max_size=3, unique=True))
def test_tags_are_code_spans_holding_exactly_the_tag(tags: list[str]) -> None:
    document = _export(Paper(id="p", title="P", tags=tuple(tags)), tags)
    tag_line = next(line for line in document.splitlines() if line.startswith("Tags: "))
    inline = _inline_tokens(tag_line)
    assert [t.content for t in inline if t.type == "code_inline"] == tags
    assert {t.type for t in inline} <= {"text", "code_inline"}, tag_line


def test_the_cases_from_issue_12() -> None:
    paper = Paper(
        id="p",
        title="P",
        url="https://example.org/a><script>alert(1)</script>",
        tags=("x`<img src=x onerror=alert(1)>`",),
    )
    document = _export(paper, list(paper.tags))
    html = MarkdownIt("commonmark").render(document)
    assert "<script" not in html and "<img" not in html
    assert "<code>x`&lt;img src=x onerror=alert(1)&gt;`</code>" in html
