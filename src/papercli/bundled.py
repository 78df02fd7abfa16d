"""Where the bundled catalog is. Its own module so that choosing the catalog, which every command does,
does not import the loader (`papercli.catalog`), which most warm commands never need."""

from __future__ import annotations

from pathlib import Path


def bundled_catalog_path() -> Path:
    """The catalog shipped in the wheel, or the repository's copy when running from a checkout."""
    packaged = Path(__file__).with_name("data") / "papers.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "papers.toml"
