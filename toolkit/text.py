"""Words for numbers: the small phrasing helpers every summary sentence uses."""

from __future__ import annotations

import math

__all__ = ["plural", "have", "percent", "join_words", "wanted_and_offered"]


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    """``plural(1, "mentor")`` -> "1 mentor"; ``plural(3, "person", "people")`` -> "3 people"."""
    shown = f"{count:g}" if isinstance(count, float) else str(count)
    return f"{shown} {singular if count == 1 else (plural_form or singular + 's')}"


def have(count: int) -> str:
    """The verb that agrees with a count: "1 person has", "2 people have"."""
    return "has" if count == 1 else "have"


def wanted_and_offered(mentees: int, mentors: int) -> str:
    """ "3 mentees want it and 1 mentor offers it" (each verb agreeing with its count)."""
    return (f"{plural(int(mentees), 'mentee')} {'wants' if mentees == 1 else 'want'} it and "
            f"{plural(int(mentors), 'mentor')} {'offers' if mentors == 1 else 'offer'} it")


def percent(value: float | None) -> str:
    """A share as a whole percentage, or "n/a" when it is missing or infinite."""
    return "n/a" if value is None or math.isnan(value) or math.isinf(value) else f"{value:.0%}"


def join_words(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
