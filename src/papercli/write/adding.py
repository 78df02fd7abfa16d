"""Adding a paper to a catalog file: what arXiv knows filled in, then the new entry spliced in through the
index (`write.splice`), or written through the general path when the splice does not apply. The entry
itself is planned and checked by `write.drafts`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from papercli.arxiv import DEFAULT_TIMEOUT, ArxivRecord
from papercli.errors import ArxivError, UsageError
from papercli.links import arxiv_abs_url, parse_arxiv_ref
from papercli.models import Paper
from papercli.write.drafts import Addition, Draft, plan_addition, refuse_duplicate
from papercli.write.splice import append_paper, paper_set

if TYPE_CHECKING:
    import tomlkit

    from papercli.write.transaction import Snapshot


def add_paper(
    catalog_path: Path, draft: Draft, *, arxiv_ref: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> Addition:
    """Add a paper to the catalog file, filling gaps from arXiv when `arxiv_ref` names a paper there."""
    from papercli.write.transaction import change_catalog, ensure_writable

    ensure_writable(catalog_path)  # before asking arXiv; change_catalog checks again
    if arxiv_ref is not None:
        draft = _with_arxiv(catalog_path, draft, arxiv_ref, timeout)
    spliced = append_paper(catalog_path, draft)  # through the index, without re-reading the whole catalog
    if spliced is not None:
        return spliced
    planned: list[Addition] = []

    def append(snapshot: Snapshot) -> Paper:
        addition = plan_addition(snapshot.catalog, draft)  # again under the lock: ids may have been taken meanwhile
        _append(snapshot.doc, addition)
        planned.append(addition)
        return addition.paper

    change_catalog(catalog_path, append)
    return planned[-1]


def preview_addition(
    catalog_path: Path, draft: Draft, *, arxiv_ref: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> str:
    """The TOML `papers add` would append, without writing anything."""
    import tomlkit

    if arxiv_ref is not None:
        draft = _with_arxiv(catalog_path, draft, arxiv_ref, timeout)
    preview = tomlkit.document()
    _append(preview, plan_addition(paper_set(catalog_path), draft))
    return preview.as_string()


def _append(doc: tomlkit.TOMLDocument, addition: Addition) -> None:
    from papercli.write import toml_edit

    for name in addition.new_tags:
        toml_edit.append_entry(doc, "tags", toml_edit.new_table({"name": name}))
    for name in addition.new_institutions:
        toml_edit.append_entry(doc, "institutions", toml_edit.new_table({"name": name}))
    toml_edit.append_entry(doc, "papers", toml_edit.new_table(addition.record))


def _with_arxiv(catalog_path: Path, draft: Draft, ref: str, timeout: float) -> Draft:
    from papercli.arxiv import fetch_arxiv

    arxiv_id = parse_arxiv_ref(ref)
    if arxiv_id is None:
        raise UsageError(
            f"{ref!r} is not an arXiv id or link (like 2106.09685 or https://arxiv.org/abs/2106.09685); "
            "to add a paper from elsewhere, give --title and --url"
        )
    # Refuse a paper we already have before asking the network.
    refuse_duplicate(paper_set(catalog_path), Paper(id="arxiv-lookup", title="-", url=arxiv_abs_url(arxiv_id)))
    record = fetch_arxiv(arxiv_id, timeout)
    if draft.year is None and record.year is not None:
        _check_fetched_year(record)
    return draft.filled_from(record)


def _check_fetched_year(record: ArxivRecord) -> None:
    """A year arXiv gives that the catalog cannot hold is arXiv's problem, not the user's --year."""
    from papercli.models import _year_in_range

    assert record.year is not None
    try:
        _year_in_range(record.year)
    except ValueError as exc:
        raise ArxivError(
            f"arXiv's published date for {record.arxiv_id} ({record.published}) has year {record.year}, "
            f"which {exc}; give the year with --year"
        ) from None
