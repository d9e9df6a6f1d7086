"""Which lesson covers which standard of the two frameworks programme designers are held to.

MENTOR's *Elements of Effective Practice for Mentoring* name six standards a programme meets;
EMCC Global's *International Standards for Mentoring and Coaching Programmes* (ISMCP) name six core
standards a programme is assessed against. The descriptions below are the course's own summary of
what each asks, not the frameworks' wording; the frameworks themselves are the authority.
"""

from __future__ import annotations

import pandas as pd

from .lessons import LESSONS

__all__ = ["MENTOR_ELEMENTS", "EMCC_STANDARDS", "COVERAGE", "coverage_table", "coverage_gaps"]

MENTOR_ELEMENTS: dict[str, str] = {
    "Recruitment": "attract mentors and mentees with a realistic picture of what taking part asks and offers",
    "Screening": "check that the people who sign up can take part and can commit the time the programme needs",
    "Training": "prepare mentors and mentees for their roles before they meet",
    "Matching and initiating": "pair people on what matters for the programme and start each relationship with "
                               "agreed expectations",
    "Monitoring and support": "stay in touch with every pair, spot the ones in difficulty and help them",
    "Closure": "end every relationship in a planned way, including those that end early, and review what was "
               "achieved",
}
EMCC_STANDARDS: dict[str, str] = {
    "Clarity of purpose": "the programme knows why it exists, whom it is for and what it should achieve",
    "Training and briefing": "everyone with a part to play, sponsors and line managers included, is briefed "
                             "or trained for it",
    "Selection and matching": "people are selected and matched fairly and openly, and matches that do not work "
                              "are noticed, ended and the people matched again",
    "Measurement and review": "outcomes are measured against the purpose and the programme is reviewed and "
                              "improved",
    "Ethics": "confidentiality, boundaries, fairness and the use of people's data follow clear standards",
    "Administration and support": "the programme is run reliably: its messages, records and help for participants",
}

# lesson -> (MENTOR elements, EMCC standards) the lesson teaches and practises
COVERAGE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "01_six_kinds": (("Recruitment", "Matching and initiating"), ("Clarity of purpose",)),
    "02_objectives_and_measures": (("Monitoring and support",), ("Clarity of purpose", "Measurement and review")),
    "03_matching_fairness": (("Screening", "Matching and initiating"), ("Selection and matching", "Ethics")),
    "04_goals_and_agreements": (("Matching and initiating", "Closure"), ("Ethics",)),
    "05_communication_and_training": (("Recruitment", "Training"), ("Training and briefing",
                                                                     "Administration and support")),
    "06_running_the_programme": (("Monitoring and support", "Closure"), ("Selection and matching",
                                                                        "Administration and support")),
    "07_measuring_impact": (("Closure",), ("Measurement and review", "Ethics")),
    "08_capstone": (("Screening", "Matching and initiating", "Monitoring and support"),
                    ("Clarity of purpose", "Selection and matching", "Measurement and review", "Ethics",
                     "Administration and support")),
}


def coverage_table() -> pd.DataFrame:
    """One row per standard (MENTOR's six, then EMCC's six): what it asks, and the lessons that cover it."""
    rows = []
    for framework, standards, position in (("MENTOR", MENTOR_ELEMENTS, 0), ("EMCC", EMCC_STANDARDS, 1)):
        for standard, asks in standards.items():
            lessons = [f"{index}" for index, lesson in enumerate(LESSONS, 1)
                       if standard in COVERAGE.get(lesson.name, ((), ()))[position]]
            rows.append({"framework": framework, "standard": standard, "what it asks (in our words)": asks,
                         "lessons": ", ".join(lessons)})
    return pd.DataFrame(rows)


def coverage_gaps() -> list[str]:
    """Standards no lesson covers, and lessons that cover nothing (both should be empty)."""
    table = coverage_table()
    gaps = [f"{row.framework}: {row.standard}" for row in table.itertuples() if not row.lessons]
    gaps += [f"lesson {lesson.name}" for lesson in LESSONS if not any(COVERAGE.get(lesson.name, ((), ())))]
    return gaps
