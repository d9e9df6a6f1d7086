"""Filling in the kit's templates: Jinja2 with ``StrictUndefined`` (a missing value is an error, never a
blank in a message sent to a whole organisation), each template compiled once per process."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import ToolkitError
from ..files import clean_text
from ..resources import templates_dir

if TYPE_CHECKING:
    import jinja2

__all__ = ["PLACEHOLDER", "UNSHIELD", "environment", "shield", "render"]


PLACEHOLDER = re.compile(r"\{\{|\}\}|\{%|%\}")


@lru_cache(maxsize=2)
def environment(autoescape: bool = False) -> jinja2.Environment:
    """The kit's Jinja environment (one per process for each escaping mode): strict about missing values."""
    import jinja2

    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=autoescape, keep_trailing_newline=True,
                              loader=jinja2.FileSystemLoader(str(templates_dir())))


@lru_cache(maxsize=256)
def _compiled(source: str, autoescape: bool) -> jinja2.Template:
    """A message template compiled once per process: compiling costs far more than filling in (one per pair)."""
    return environment(autoescape).from_string(source)


# Braces in a value (a client or participant called "{{ x }}") are shielded while the template is checked
# for unfilled placeholders, so only the template's own leftovers count; they come back as typed.
_SHIELD = str.maketrans({"{": "\ue000", "}": "\ue001"})
UNSHIELD = str.maketrans({"\ue000": "{", "\ue001": "}"})


def shield(value: Any) -> Any:
    """Text values (also inside lists and dicts) with control characters removed and braces shielded."""
    if isinstance(value, str):
        return clean_text(value).translate(_SHIELD)
    if isinstance(value, dict):
        return {key: shield(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [shield(item) for item in value]
    return value


def render(source: str, context: dict, *, autoescape: bool = False) -> str:
    """A message template filled in; a placeholder the template leaves unfilled is an error, never sent."""
    text = _compiled(source, autoescape).render(**shield(context))
    if PLACEHOLDER.search(text):
        raise ToolkitError(f"A message template left a placeholder unfilled: {text[:80]!r}",
                           fix="check the template's {{ ... }} names against the values the kit provides")
    return text.translate(UNSHIELD)
