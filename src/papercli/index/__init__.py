"""A derived SQLite index beside each catalog, so read commands neither parse nor validate an unchanged
catalog, and answer filters, `show` and ranked search with queries instead of loading every paper.

The TOML file stays the one source of truth. The index holds data only (rows, JSON text, an FTS5 table;
never pickles or anything executable), lives in the user's cache folder, is trusted only when that folder
and file belong to the user and nobody else can write them, and only after the catalog's fingerprint is
confirmed (see `freshness`). Deleting it is always safe: the next command rebuilds it.

- `location`: where indexes live, and whether a folder or file there may be trusted.
- `freshness`: the catalog's fingerprint, and when it may be trusted (git's "racily clean" rule).
- `schema`, `build`: the tables, and writing them from a checked catalog.
- `fts`: turning text and queries into FTS5 input (CJK bigrams), and snippets.
- `reader`: the queries read commands run.
- `access`: `open_index`, which finds a fresh index or builds one.
"""
