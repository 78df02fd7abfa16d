"""Located diagnostics: what is wrong, where (file:line), and with which entry and field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    message: str
    source: str
    line: int | None = None
    column: int | None = None
    subject: str | None = None  # e.g. "paper 'lora'", "paper #3", "list 'must-read'"
    field: str | None = None
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def without_position(self) -> str:
        """The problem without its file position (positions in a text that was never written mean nothing)."""
        return ": ".join(part for part in (self.subject, self.field, self.message) if part)

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where, self.severity]
        if self.subject:
            parts.append(self.subject)
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)
