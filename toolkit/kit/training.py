"""The training plans: mentor training and mentee orientation for the programme's kind, timed, as Markdown
and as a printable page (``templates/training``)."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import DesignError
from ..resources import templates_dir
from ..safe_yaml import parse_yaml

if TYPE_CHECKING:
    from ..design.model import ProgramDesign

__all__ = ["TrainingPlan", "training_plan"]


@lru_cache(maxsize=1)
def _training_templates() -> tuple[dict, dict]:
    modules = parse_yaml(templates_dir() / "training" / "modules.yaml", what="training modules file")["modules"]
    plans = parse_yaml(templates_dir() / "training" / "plans.yaml", what="training plans file")
    for name, module in modules.items():
        module["minutes"] = sum(int(activity["minutes"]) for activity in module["activities"])
        module["id"] = name
    for session in plans.values():
        for kind, names in session.items():
            unknown = [name for name in names if name not in modules]
            if unknown:
                raise DesignError(f"templates/training/plans.yaml: the {kind} plan names unknown modules {unknown}.",
                                  fix=f"use module ids from modules.yaml: {', '.join(modules)}")
    return modules, plans


@dataclass
class TrainingPlan:
    """A timed session plan (mentor training and mentee orientation) for one programme kind."""

    kind: str
    programme: str
    sessions: dict[str, list[dict]]   # "mentor_training" / "mentee_orientation" -> timed modules

    def minutes(self, session: str) -> int:
        return sum(module["minutes"] for module in self.sessions[session])

    def topics(self) -> set[str]:
        return {module["id"] for modules in self.sessions.values() for module in modules}

    def schedule(self, session: str, start: str = "09:30") -> pd.DataFrame:
        """Module, start and end clock times, minutes: the running order of one session."""
        clock = dt.datetime.combine(dt.date(2000, 1, 1), dt.time.fromisoformat(start))
        rows = []
        for module in self.sessions[session]:
            end = clock + dt.timedelta(minutes=module["minutes"])
            rows.append({"start": f"{clock:%H:%M}", "end": f"{end:%H:%M}", "module": module["title"],
                         "minutes": module["minutes"]})
            clock = end
        return pd.DataFrame(rows)

    def markdown(self) -> str:
        """The plan as Markdown a facilitator can print."""
        lines = [f"# Training plan: {self.programme}", "", f"Programme kind: {self.kind}.", ""]
        for session, title in (("mentor_training", "Mentor training"), ("mentee_orientation", "Mentee orientation")):
            lines += [f"## {title} ({self.minutes(session)} minutes)", ""]
            schedule = self.schedule(session)
            for module, row in zip(self.sessions[session], schedule.itertuples()):
                lines += [f"### {row.start}-{row.end} {module['title']} ({module['minutes']} min)", "",
                          "Objectives:", *[f"- {item}" for item in module["objectives"]], "", "Activities:",
                          *[f"- {activity['name']} ({activity['minutes']} min, {activity['method']})"
                            for activity in module["activities"]], "",
                          "Handouts: " + "; ".join(module["handouts"]), ""]
        return "\n".join(lines)

    def html(self) -> str:
        """The plan as a standalone printable HTML page (no external resources)."""
        body = []
        for line in self.markdown().splitlines():
            if line.startswith("### "):
                body.append(f"<h3>{html.escape(line[4:])}</h3>")
            elif line.startswith("## "):
                body.append(f"<h2>{html.escape(line[3:])}</h2>")
            elif line.startswith("# "):
                body.append(f"<h1>{html.escape(line[2:])}</h1>")
            elif line.startswith("- "):
                body.append(f"<li>{html.escape(line[2:])}</li>")
            elif line:
                body.append(f"<p>{html.escape(line)}</p>")
        return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                f"{html.escape(self.programme)}: training plan</title><style>body{{font-family:'DejaVu Sans',Arial,"
                "sans-serif;max-width:48rem;margin:2rem auto;color:#1f2933;line-height:1.45}h2{border-bottom:2px solid"
                " #1c7ed6}h3{margin-bottom:.2rem}li{margin-left:1.2rem}</style></head><body>"
                + "\n".join(body) + "</body></html>")


def training_plan(design: ProgramDesign) -> TrainingPlan:
    """The mentor training and mentee orientation for the design's programme kind, with timings."""
    modules, plans = _training_templates()
    kind = design.kind if design.kind in plans["mentor_training"] else "formal"
    sessions = {session: [modules[name] for name in plans[session][kind]] for session in plans}
    return TrainingPlan(kind, design.name, sessions)
