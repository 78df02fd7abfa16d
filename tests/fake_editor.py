"""A scripted stand-in for $EDITOR in tests: `python fake_editor.py FILE`.

$FAKE_EDITOR_SCRIPT names a JSON file holding a list of steps; each run of the editor takes the first
step off the list and applies it to FILE:
  {"replace": [OLD, NEW]}  replace the first OLD with NEW (fails if OLD is absent)
  {"write": TEXT}          overwrite FILE with TEXT
  {"append": TEXT}         append TEXT to FILE
  {"exit": N}              leave FILE alone and exit with status N
  {"keep": true}           save without changes
Any step may add "encoding": NAME to save the result in that encoding instead of UTF-8.
Each run also appends the text it was given to $FAKE_EDITOR_SCRIPT.seen (a JSON list), so tests can check
what the user was shown.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

script = Path(os.environ["FAKE_EDITOR_SCRIPT"])
target = Path(sys.argv[-1])
steps = json.loads(script.read_text(encoding="utf-8"))
if not steps:
    sys.exit("fake editor: no steps left")
step, rest = steps[0], steps[1:]
script.write_text(json.dumps(rest), encoding="utf-8")
text = target.read_text(encoding="utf-8")
seen_file = script.with_name(script.name + ".seen")
seen = json.loads(seen_file.read_text(encoding="utf-8")) if seen_file.exists() else []
seen_file.write_text(json.dumps([*seen, text]), encoding="utf-8")
if "exit" in step:
    sys.exit(step["exit"])
if "replace" in step:
    old, new = step["replace"]
    if old not in text:
        sys.exit(f"fake editor: {old!r} not in {target}")
    text = text.replace(old, new, 1)
elif "write" in step:
    text = step["write"]
elif "append" in step:
    text += step["append"]
target.write_text(text, encoding=step.get("encoding", "utf-8"), newline="")
