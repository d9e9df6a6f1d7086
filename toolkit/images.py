"""What an image file is, judged by what it holds (never its name), and whether it may be a logo.

A logo is embedded in every report and studio page, so ``branding.logo`` must be a PNG, JPEG or SVG
image of at most :data:`LOGO_LIMIT` bytes, and an SVG a plain drawing: no script, event handler,
entity, embedded HTML or link to another file. A sign-up workbook renamed ``logo.png`` is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["LOGO_LIMIT", "image_type", "logo_problem"]

#: The largest logo (bytes): a logo is embedded in every report and studio page.
LOGO_LIMIT = 1024 * 1024

_IMAGE_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
# What an SVG logo must not hold: scripts, event handlers, entities, embedded HTML, links to anything.
_SVG_REFUSED = re.compile(r"<!ENTITY|<!DOCTYPE[^>]*\[|<script|<foreignObject|\bon[a-z]+\s*=|javascript:|"
                          r"(?:href|src)\s*=\s*[\"']?\s*(?!#|data:image/)[a-z/]|@import|url\(\s*[\"']?\s*(?!#)",
                          re.IGNORECASE)


def image_type(path: str | Path) -> str | None:
    """The media type of an image file read from its content (``image/png``, ``image/jpeg``,
    ``image/svg+xml``), never its name; None for anything else."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    for signature, kind in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return kind
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    text = re.sub(r"^(?:<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE svg[^>\[]*>|\s)*", "", text, flags=re.DOTALL)
    return "image/svg+xml" if re.match(r"<svg[\s>]", text) else None


def logo_problem(path: str | Path) -> str | None:
    """Why a file cannot be a logo (None when it can): at most :data:`LOGO_LIMIT` bytes, a PNG, JPEG or SVG
    image by its content, and an SVG without scripts, entities or links (checked before it is read)."""
    path = Path(path)
    if not path.is_file():
        return f"{path.name} is not an ordinary file"
    size = path.stat().st_size
    if size > LOGO_LIMIT:
        return f"{path.name} is {size / 1024 / 1024:.1f} MB; a logo may be at most {LOGO_LIMIT // 1024:,} KB"
    kind = image_type(path)
    if kind is None:
        return f"{path.name} is not a PNG, JPEG or SVG image (judged by what the file holds, not its name)"
    if kind == "image/svg+xml":
        text = path.read_bytes().decode("utf-8", "replace")
        found = _SVG_REFUSED.search(text)
        if found:
            return (f"{path.name} is an SVG holding {found.group(0).strip()!r} (a script, an entity or a link to "
                    "another file); a logo must be a plain drawing")
    return None
