"""Style-preserving changes to a catalog's TOML text (tomlkit).

Every function here changes one entry and leaves every other byte of the document as it was: comments,
ordering, blank lines and string styles. Blank lines and comments that follow an entry introduce what
comes next (a section comment, the next table), so new entries go before them and edits keep them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Comment, Item, String, StringType, Table, Trivia, Whitespace

from papercli.errors import CatalogError, UsageError
from papercli.models import PAPER_FIELDS

Value = str | int | Sequence[str]


def parse(text: str, source: str) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(text)
    except TOMLKitError as exc:
        raise CatalogError(f"{source}: TOML syntax error: {exc}") from None


def new_table(data: Mapping[str, Value | None], order: Sequence[str] = PAPER_FIELDS) -> Table:
    """A table of the non-empty values, keys in `order` first."""
    table = tomlkit.table()
    keys = [k for k in order if k in data] + [k for k in data if k not in order]
    for key in keys:
        value = data[key]
        if value is None or value == "" or (isinstance(value, (list, tuple)) and not value):
            continue
        table.add(key, styled(value))
    return table


def styled(value: Value) -> Item:
    """A TOML item in the catalog's house style: multi-line text as a `\"\"\"` block opening on its own line."""
    if isinstance(value, str) and "\n" in value:
        # A raw CR before LF would be read back as a plain line break: escape every CR.
        body = tomlkit.string(value, multiline=True).as_string()[3:-3].replace("\r", "\\r")
        if not body.startswith("\n"):
            body = "\n" + body  # TOML drops a newline right after the opening quotes
        return String(StringType.MLB, value, body, Trivia())
    return tomlkit.item(list(value) if isinstance(value, tuple) else value)


def append_entry(doc: tomlkit.TOMLDocument, section: str, table: Table) -> None:
    """Add `table` as the last `[[section]]` entry, right after the current last one."""
    if section not in doc:
        doc.append(section, tomlkit.aot())
    entries = doc[section]
    if not isinstance(entries, AoT):
        raise CatalogError(f"'{section}' is not an array of tables ([[{section}]]); cannot add to it")
    trailing: list[tuple[Any, Item]] = []
    if len(entries):
        own, trailing = _split_trailing(entries[-1])
        _rebuild(entries, len(entries) - 1, own)
    separated = len(entries) > 0 or doc.as_string().strip() != ""
    entries.append(_with_items(table.value.body + trailing, Trivia(indent="\n" if separated else "")))


def entry_index(doc: tomlkit.TOMLDocument, section: str, key: str, value: str) -> int:
    entries = doc.get(section)
    if isinstance(entries, AoT):
        for index, entry in enumerate(entries):
            if entry.get(key) == value:
                return index
    raise CatalogError(f"no [[{section}]] entry with {key} = {value!r} in the TOML text")


def entry_text(doc: tomlkit.TOMLDocument, section: str, index: int) -> str:
    """The `key = value` lines of one entry as written (its header and what follows it excluded)."""
    own, _ = _split_trailing(doc[section][index])
    return "".join(_render(key, item) for key, item in own)


def replace_entry(doc: tomlkit.TOMLDocument, section: str, index: int, text: str) -> None:
    """Replace one entry's lines with `text` (as typed: its comments and styles are kept)."""
    entries = doc[section]
    old = entries[index]
    edited = tomlkit.parse(text if text.endswith("\n") else text + "\n")
    items = list(edited.body)
    if any(isinstance(item, (Table, AoT)) for _, item in items):
        raise UsageError("an entry holds `key = value` lines only; table headers like [x] are not allowed in it")
    _, trailing = _split_trailing(old)
    _rebuild(entries, index, items + trailing)


def set_value(doc: tomlkit.TOMLDocument, section: str, index: int, key: str, value: Value | None) -> None:
    """Set, replace or (with None or '') remove one key of an entry; its other lines stay as they were."""
    entries = doc[section]
    own, trailing = _split_trailing(entries[index])
    new_item = None if value is None or value == "" else styled(value)
    items: list[tuple[Any, Item]] = []
    for item_key, item in own:
        if item_key is not None and item_key.key == key:
            if new_item is not None:
                items.append((item_key, new_item))
            new_item = None
        else:
            items.append((item_key, item))
    if new_item is not None:  # a new key goes right after the entry's last key
        last_key = max((i for i, (k, _) in enumerate(items) if k is not None), default=len(items) - 1)
        if last_key >= 0:
            _end_line(items[last_key][1])
        items.insert(last_key + 1, (tomlkit.key(key), new_item))
    _rebuild(entries, index, items + trailing)


def _split_trailing(table: Table) -> tuple[list[tuple[Any, Item]], list[tuple[Any, Item]]]:
    """(the entry's own items, the blank lines and comments after it that belong to what follows).

    A comment directly under the last key (no blank line between) stays with the entry."""
    body = list(table.value.body)
    last_key = max((i for i, (key, _) in enumerate(body) if key is not None), default=-1)
    cut = len(body)
    for i in range(last_key + 1, len(body)):
        if isinstance(body[i][1], Whitespace):
            cut = i
            break
        if not isinstance(body[i][1], Comment):
            break
    return body[:cut], body[cut:]


def _end_line(item: Item) -> None:
    """Make sure something can follow `item` on a new line (a file may end without a line break)."""
    if isinstance(item, Whitespace):
        return
    # The line break after a value is in its trivia, not in as_string(): adding one there made a blank line.
    if not (item.as_string() + item.trivia.trail).endswith("\n"):
        item.trivia.trail += "\n"


def _rebuild(entries: AoT, index: int, items: list[tuple[Any, Item]]) -> None:
    entries[index] = _with_items(items, entries[index].trivia)


def _with_items(items: list[tuple[Any, Item]], trivia: Trivia) -> Table:
    container = Container(True)
    for key, item in items:
        container.append(key, item)
    return Table(container, trivia, True)


def _render(key: Any, item: Item) -> str:
    container = Container(True)
    container.append(key, item)
    return container.as_string()
