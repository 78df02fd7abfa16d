"""`toml_edit.set_value` adding a key: it goes on the line after the entry's last key, with no blank line."""

from __future__ import annotations

import pytest
import tomlkit

from papercli.write import toml_edit


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            '[[papers]]\nid = "a"\ntitle = "A"\n\n[[papers]]\nid = "b"\n',
            '[[papers]]\nid = "a"\ntitle = "A"\nyear = 2020\n\n[[papers]]\nid = "b"\n',
        ),
        ('[[papers]]\nid = "a"\ntitle = "A"', '[[papers]]\nid = "a"\ntitle = "A"\nyear = 2020\n'),
        ('[[papers]]\nid = "a"\ntitle = "A"  # kept\n', '[[papers]]\nid = "a"\ntitle = "A"  # kept\nyear = 2020\n'),
    ],
)
def test_a_new_key_follows_the_last_one(before: str, after: str) -> None:
    doc = tomlkit.parse(before)
    toml_edit.set_value(doc, "papers", 0, "year", 2020)
    assert doc.as_string() == after
