"""Keep generated README sections in sync: ``python -m flowmodel.docs README.md``.

The data-format tables between ``<!-- SCHEMA:START -->`` and ``<!-- SCHEMA:END -->``
are rendered from :mod:`flowmodel.schema`; a test fails when they differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .schema import markdown_all

START, END = "<!-- SCHEMA:START -->", "<!-- SCHEMA:END -->"


def schema_section() -> str:
    return f"{START}\n{markdown_all()}\n{END}"


def sync(text: str) -> str:
    """``text`` with its schema section replaced by the current rendering."""
    i, j = text.index(START), text.index(END) + len(END)
    return text[:i] + schema_section() + text[j:]


def main(argv: list[str] | None = None) -> int:
    path = Path((argv or sys.argv[1:] or ["README.md"])[0])
    path.write_text(sync(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
