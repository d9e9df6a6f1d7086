"""Shared builders for property-based and oracle tests: random rosters, pools and score tables.

Every builder is deterministic in its seed, so Hypothesis draws the seed and sizes and a failing
example can be replayed by hand (``random_roster(4021, 7, 3)``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from toolkit.roster import Roster

seeds = st.integers(0, 10_000)
objectives = st.sampled_from(["max_total", "max_min", "max_participation"])

_SKILLS = ["Python", "SQL", "Negotiation", "Planning", "Coaching", "Budgeting"]


def random_roster(seed: int, mentees: int, mentors: int) -> Roster:
    """A one-to-one roster: mentees S000.., mentors T000.. (capacity 0-2), skills, levels and languages."""
    rng = np.random.default_rng(seed)
    rows = []
    for index in range(mentees + mentors):
        is_mentor = index >= mentees
        rows.append({
            "participant_id": f"{'T' if is_mentor else 'S'}{index:03d}", "name": f"Person {index}",
            "email": f"p{index}@example.com", "role": "mentor" if is_mentor else "mentee",
            "department": ["Finance", "Sales", "Operations"][rng.integers(3)],
            "seniority": int(rng.integers(3, 7) if is_mentor else rng.integers(1, 5)),
            "skills_offered": tuple(rng.choice(_SKILLS, 2, replace=False)) if is_mentor else (),
            "skills_sought": () if is_mentor else tuple(rng.choice(_SKILLS, int(rng.integers(0, 3)), replace=False)),
            "languages": ("English",) + (("French",) if rng.random() < 0.3 else ()),
            "capacity": int(rng.integers(0, 3)) if is_mentor else None,
        })
    return Roster.from_frame(pd.DataFrame(rows))


def random_instance(seed: int, mentees: int, mentors: int, density: float):
    """A score table for ``assign``: (mentee, mentor, score) rows at the given density, and capacities 0-3."""
    rng = np.random.default_rng(seed)
    rows = [(f"E{i:03d}", f"M{j:03d}", float(rng.integers(0, 100)) / 10)
            for i in range(mentees) for j in range(mentors) if rng.random() < density]
    capacity = {f"M{j:03d}": int(rng.integers(0, 4)) for j in range(mentors)}
    return rows, capacity


def two_sided_roster(seed: int, mentees: int, mentors: int) -> Roster:
    """Mentees and mentors in departments A/B/C with two skills each and capacities 1-2 (stability audits)."""
    rng = np.random.default_rng(seed)
    skills = ["Python", "SQL", "Negotiation", "Planning", "Coaching"]
    rows = [{"participant_id": f"S{i:02d}", "role": "mentee", "department": ["A", "B"][i % 2], "seniority": 1,
             "skills_sought": tuple(rng.choice(skills, 2, replace=False))} for i in range(mentees)]
    rows += [{"participant_id": f"T{j:02d}", "role": "mentor", "department": ["A", "B", "C"][j % 3], "seniority": 5,
              "skills_offered": tuple(rng.choice(skills, 2, replace=False)), "capacity": int(rng.integers(1, 3))}
             for j in range(mentors)]
    return Roster.from_frame(pd.DataFrame(rows))


def peer_pool(seed: int, size: int, mentors: int = 0) -> Roster:
    """A peer pool (everyone ``both``), or facilitators first then members when ``mentors`` > 0."""
    rng = np.random.default_rng(seed)
    skills = ["Python", "SQL", "Negotiation", "Planning", "Design"]
    departments = ["Sales", "Finance", "Operations"]
    rows = []
    for index in range(size):
        rows.append({
            "participant_id": f"P{index:02d}", "name": f"Person {index}",
            "role": "mentor" if index < mentors else ("both" if not mentors else "mentee"),
            "department": departments[int(rng.integers(0, 3))],
            "seniority": int(rng.integers(1, 4)) if index >= mentors else 6,
            "skills_offered": tuple(rng.choice(skills, size=2, replace=False)),
            "skills_sought": tuple(rng.choice(skills, size=int(rng.integers(0, 3)), replace=False)),
            "exclusions": (f"P{int(rng.integers(0, size)):02d}",) if rng.random() < 0.2 else (),
        })
    return Roster.from_frame(pd.DataFrame(rows))
