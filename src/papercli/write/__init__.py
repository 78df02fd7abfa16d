"""The write side: every change to a catalog file goes through here.

- `transaction`: one change as lock -> read -> change -> check -> atomic replace (`change_catalog`).
- `splice`, `splice_edit`: `papers add` and `papers edit` through the index, re-reading only the entry
  they change (they fall back to `transaction` when that does not apply).
- `reading_log`: `papers mark`'s changes to the reading log, under the same lock and atomic replace.
- `toml_edit`: style-preserving edits of one TOML entry (tomlkit).
- `atomic`: writing a file so that readers see the old or the new version, never half of one.
- `lock`: the inter-process lock that serialises writers of one catalog.
- `cycle`: every writer's lock -> read -> ... -> replace cycle, started again when the file is saved by hand.
- `drafts`: what `papers add` was given (and what arXiv knows) turned into a checked new entry.
- `edit_session`: the `papers edit` loop: buffer, editor, check, retry or write.
- `editor`: running the user's $VISUAL / $EDITOR.
"""
