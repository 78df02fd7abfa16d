"""Markdown notes to HTML for the static site, with catalog text kept as data.

markdown-it-py (CommonMark, plus GFM tables and strikethrough) with raw HTML off, so `<script>` or
`<img onerror=...>` in a note comes out as visible text. Only http(s) destinations become links; any other
(`javascript:`, `data:`, relative paths) leaves the Markdown as text. Images are not rendered (the site
must not fetch anything at view time): `![alt](url)` shows as "!" and a link to the image. Links get
`rel="noopener noreferrer"`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from papercli.links import is_web_link

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"]).disable("image")
    md.validateLink = is_web_link  # type: ignore[method-assign]

    def link_open(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        tokens[idx].attrSet("rel", "noopener noreferrer")
        return str(renderer.renderToken(tokens, idx, options, env))

    md.add_render_rule("link_open", link_open)
    return md


def markdown_to_html(text: str) -> str:
    """`text` (CommonMark) as an HTML fragment in which nothing from `text` is markup it did not ask for
    through Markdown syntax, and every link is http(s)."""
    return str(_parser().render(text))
