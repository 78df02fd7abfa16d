"""Making catalog text safe for a terminal, and finding characters that hide or reorder text."""

from __future__ import annotations

import re

_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # C0 and C1 controls but tab and newline
_CONTROL_CHARACTER = re.compile(_CONTROL)
# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte ESC sequences, then stray C0/C1 controls.
_TERMINAL_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|" + _CONTROL)
# Invisible characters that change how the text around them reads: bidirectional embeddings, overrides,
# isolates and marks ("Trojan Source", CVE-2021-42574) and zero-width characters. Zero-width (non-)joiners
# are ordinary inside emoji sequences and in scripts that join letters; next to ASCII or at an end of the
# text they only hide something.
_INVISIBLE = re.compile(
    r"[\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
    r"|(?:^|(?<=[\x00-\x7f]))[\u200c\u200d]|[\u200c\u200d](?=[\x00-\x7f]|$)"
)
# What JSON output escapes as \uXXXX although JSON would allow it raw: DEL, C1 controls (a terminal reads
# U+009B as CSI), line and paragraph separators, and every bidirectional or zero-width format character.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def clean(text: str) -> str:
    """Text with terminal escape sequences and control characters removed (newlines and tabs kept)."""
    return _TERMINAL_SEQUENCE.sub("", text)


def has_control_characters(text: str) -> bool:
    """Whether `clean` would change `text` (a CRLF line break counts as a plain one)."""
    return _CONTROL_CHARACTER.search(text.replace("\r\n", "\n")) is not None


def invisible_characters(text: str) -> list[str]:
    """The hiding or reordering characters in `text`, each once, named like `U+202E RIGHT-TO-LEFT OVERRIDE`."""
    import unicodedata

    found = dict.fromkeys(match.group() for match in _INVISIBLE.finditer(text))
    return [f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip() for char in found]


def escape_for_json(text: str) -> str:
    """JSON text with the characters a terminal would act on written as \\uXXXX escapes (same data)."""
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
