"""Feedback: what an exercise check says, shown at once under the learner's answer.

Every verdict carries the answer it judged (``answer``), so the learner sees what was read next to
why it holds up or not; an empty answer gets its own verdict (``empty``), never a telling-off.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["Feedback", "verdict", "points", "no_answer"]


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
    answer
        The learner's answer as it was judged, one line per part (shown above the verdict).
    empty
        True when there was no answer to judge yet.
    """

    ok: bool
    headline: str
    points: tuple[str, ...] = field(default_factory=tuple)
    answer: tuple[str, ...] = field(default_factory=tuple)
    empty: bool = False

    @property
    def mark(self) -> str:
        """"Well done", "Reconsider" or "No answer yet"."""
        return "No answer yet" if self.empty else "Well done" if self.ok else "Reconsider"

    @property
    def state(self) -> str:
        """``ok``, ``reconsider`` or ``empty`` (the CSS class suffix, and what tests read)."""
        return "empty" if self.empty else "ok" if self.ok else "reconsider"

    def with_answer(self, answer: str | Iterable[str]) -> Feedback:
        """The same verdict, showing ``answer`` (a line, or one line per part)."""
        lines = (answer,) if isinstance(answer, str) else tuple(str(line) for line in answer)
        return dataclasses.replace(self, answer=tuple(line for line in lines if line.strip()))

    def __str__(self) -> str:
        lines = [f"Your answer: {line}" for line in self.answer]
        return "\n".join([*lines, f"{self.mark}: {self.headline}", *(f"  - {point}" for point in self.points)])

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour, background = {"ok": ("#1d6b38", "#e9f6ee"), "reconsider": ("#8d4b0b", "#fdf1e3"),
                              "empty": ("#3b4a5a", "#eef2f6")}[self.state]
        answer = ""
        if self.answer:
            if len(self.answer) == 1:
                shown = f"<q>{html.escape(self.answer[0])}</q>"
            else:
                shown = "<ul style='margin:2px 0 0 0'>" + "".join(
                    f"<li>{html.escape(line)}</li>" for line in self.answer) + "</ul>"
            answer = f"<div class='tk-answer' style='margin:0 0 6px 0'><b>Your answer:</b> {shown}</div>"
        items = "".join(f"<li>{html.escape(point)}</li>" for point in self.points)
        return (f"<div class='tk-feedback tk-feedback-{self.state}' style='border-left:4px solid {colour};"
                f"background:{background};padding:8px 14px;margin:6px 0;overflow-wrap:anywhere'>{answer}"
                f"<b style='color:{colour}'>{self.mark}:</b> {html.escape(self.headline)}"
                + (f"<ul style='margin:6px 0 0 0'>{items}</ul>" if items else "") + "</div>")


def verdict(problems: list[str], good: str, bad: str, notes: list[str] | None = None) -> Feedback:
    """Feedback from a list of problems: ok with the notes when there are none."""
    if problems:
        return Feedback(False, bad, tuple(problems))
    return Feedback(True, good, tuple(notes or ()))


def no_answer(what: str) -> Feedback:
    """The verdict on an empty answer: what to do first."""
    return Feedback(False, "there is nothing to check yet.", (what,), empty=True)


def points(count: int, noun: str = "point") -> str:
    """"1 point", "3 points"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
