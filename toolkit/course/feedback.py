"""Feedback: what an exercise check says, shown at once under the learner's answer."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

__all__ = ["Feedback", "verdict", "points"]


@dataclass(frozen=True)
class Feedback:
    """The verdict on one exercise answer.

    Attributes
    ----------
    ok
        True when the answer holds up (there may still be notes worth reading).
    headline
        One sentence: the verdict in plain words.
    points
        What to reconsider (when not ok) or why it works (when ok), one sentence each.
    """

    ok: bool
    headline: str
    points: tuple[str, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        mark = "Well done" if self.ok else "Reconsider"
        return "\n".join([f"{mark}: {self.headline}", *(f"  - {point}" for point in self.points)])

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour, background, mark = (("#1d6b38", "#e9f6ee", "Well done") if self.ok
                                    else ("#8d4b0b", "#fdf1e3", "Reconsider"))
        items = "".join(f"<li>{html.escape(point)}</li>" for point in self.points)
        return (f"<div class='tk-feedback tk-feedback-{'ok' if self.ok else 'reconsider'}' "
                f"style='border-left:4px solid {colour};background:{background};padding:8px 14px;margin:6px 0'>"
                f"<b style='color:{colour}'>{mark}:</b> {html.escape(self.headline)}"
                + (f"<ul style='margin:6px 0 0 0'>{items}</ul>" if items else "") + "</div>")


def verdict(problems: list[str], good: str, bad: str, notes: list[str] | None = None) -> Feedback:
    """Feedback from a list of problems: ok with the notes when there are none."""
    if problems:
        return Feedback(False, bad, tuple(problems))
    return Feedback(True, good, tuple(notes or ()))


def points(count: int, noun: str = "point") -> str:
    """"1 point", "3 points"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
