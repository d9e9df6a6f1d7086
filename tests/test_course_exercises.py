"""Every exercise, driven through its widgets as a learner would: a right, a wrong and an empty answer.

Answers are set on the controls (``.value``) and the *Check my answer* button is clicked
(``button.click()``); the feedback shown under it is read back. The right and wrong answers are
written here by hand, from the lessons' own content and the sample data, not read from the
exercises' answer keys; where a right answer depends on the data (the effect size, the message
order) it is computed here independently. The capstone is completed end to end through its widgets
alone, into a temporary folder, and its files are read back.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import toolkit as tk
from toolkit import course
from toolkit.kit import communications_timeline
from toolkit.rounds import current_round

MEASURES = ("Share of mentees promoted within 24 months, 10 percentage points above similar managers who did not "
            "take part\nMentees' confidence score up 0.5 points from their baseline by the end of the programme")


def _answers_in_timeline_order():
    timeline = communications_timeline(course.northwind().design())
    return list(timeline.sort_values(["date", "id"], kind="stable")["id"])


def _self_efficacy_word():
    client = course.northwind()
    waves = [tk.load_survey(client.survey(wave)["path"], instrument=client.survey(wave)["instrument"])
             for wave in ("baseline", "end")]
    change = tk.survey.pre_post(*waves).set_index("construct").loc["self_efficacy"]
    return course.effect_word(change["d_z"])


# exercise -> (right answer, wrong answer, a phrase the wrong answer's feedback must hold), each answer a
# mapping control -> value; a callable value is computed when the test runs.
CASES = {
    "kind_for_reverse_brief": ({"choice": "reverse"}, {"choice": "formal"}, "the juniors are the experts"),
    "kind_for_graduates": ({"choice": "group"}, {"choice": "formal"}, "only 15 senior colleagues"),
    "design_for_reverse_brief": (
        {"kind": "reverse", "seniority": "mentee_senior", "departments": "none"},
        {"kind": "formal", "seniority": "mentor_senior", "departments": "none"}, "the mentee"),
    "measure_levels": (
        {"Average rating of the launch event": "reaction",
         "Mentees' confidence score in the end survey against their baseline": "learning",
         "Share of pairs that held at least six meetings": "behaviour",
         "Participants still employed 12 months later, against similar non-participants": "results",
         "Number of mentees who applied for an internal role": "behaviour"},
        {"Average rating of the launch event": "reaction",
         "Mentees' confidence score in the end survey against their baseline": "learning",
         "Share of pairs that held at least six meetings": "behaviour",
         "Participants still employed 12 months later, against similar non-participants": "results",
         "Number of mentees who applied for an internal role": "results"}, "a promotion would be a result"),
    "success_measures": ({"text": MEASURES}, {"text": "Participants enjoy the programme\nHigh satisfaction scores"},
                         "(reaction)"),
    "rule_or_weight": (
        {"Nobody is mentored by their own line manager.": "rule",
         "A mentor from another department would be nice.": "weight",
         "Mentees ranked the mentors they would like.": "weight",
         "The programme runs in English; a pair must share a language to talk at all.": "rule",
         "Mentor and mentee should have similar meeting preferences.": "weight"},
        {"Nobody is mentored by their own line manager.": "rule",
         "A mentor from another department would be nice.": "rule",
         "Mentees ranked the mentors they would like.": "weight",
         "The programme runs in English; a pair must share a language to talk at all.": "rule",
         "Mentor and mentee should have similar meeting preferences.": "weight"}, "is a preference"),
    "unfair_rule": ({"choice": "availability"}, {"choice": "same_team"}, "still matched at 29%"),
    "fix_unfair_match": (
        {"seniority": "mentor_senior", "departments": "none", "min_availability_overlap_hours": None,
         "weight_availability": 3},
        {"seniority": "mentor_senior", "departments": "none"}, "Fairness: people with site Hull"),
    "smart_goals": ({"text": "Lead two client workshops and get a rating of 4/5 or more by September 2026\n"
                             "Present the Q3 results to the regional team twice by October 2026"},
                    {"text": "Get better at presenting\nNetwork more"}, "not yet"),
    "agreement_contents": (
        {"What we talk about stays between us, with the usual safeguarding exceptions.": "in",
         "Either of us can end the pair without giving a reason, and nobody is blamed.": "in",
         "We meet once a month for an hour and reply to messages within two working days.": "in",
         "The mentor reports the mentee's progress to the mentee's line manager each quarter.": "out",
         "The mentor rates the mentee's performance for the annual review.": "out"},
        {"What we talk about stays between us, with the usual safeguarding exceptions.": "in",
         "Either of us can end the pair without giving a reason, and nobody is blamed.": "in",
         "We meet once a month for an hour and reply to messages within two working days.": "in",
         "The mentor reports the mentee's progress to the mentee's line manager each quarter.": "in",
         "The mentor rates the mentee's performance for the annual review.": "out"}, "breaks confidentiality"),
    "briefings": (
        {"A mentee's line manager": "manager", "A senior leader about to be mentored in a reverse programme": "taught",
         "A mentor who will lead a circle of six graduates": "facilitate", "The programme's sponsor": "sponsor"},
        {"A mentee's line manager": "sponsor", "A senior leader about to be mentored in a reverse programme": "taught",
         "A mentor who will lead a circle of six graduates": "facilitate", "The programme's sponsor": "manager"},
        "will not hear what is said"),
    "message_order": (lambda: dict(zip(course.exercises.ORDINALS, _answers_in_timeline_order())),
                      lambda: dict(zip(course.exercises.ORDINALS, reversed(_answers_in_timeline_order()))),
                      "comes before"),
    "interventions": (
        {"no meeting logged yet, four weeks after the introductions": "call",
         "met twice, then nothing for two months": "re-engage",
         "meeting every other month against a monthly cadence": "series",
         "both say at the 30-day check-in that the fit is wrong": "re-match",
         "the programme's end date has arrived": "close"},
        dict.fromkeys(course.SITUATIONS, "re-match"), "a first meeting that keeps slipping"),
    "impact_claims": (lambda: {"effect": _self_efficacy_word(), "caused": False, "by": "site"},
                      {"effect": "large", "caused": True, "by": "team"}, "comparison group"),
}


def _resolve(answer):
    return answer() if callable(answer) else answer


def _answer(exercise, values: dict):
    for name, value in values.items():
        exercise.controls[name].value = value
    exercise.button.click()
    return exercise.last


def test_every_exercise_of_the_catalogue_has_a_case_here_and_every_knowledge_check_is_driven_below():
    assert set(CASES) | {f"check_{lesson.name}" for lesson in course.LESSONS} == set(course.EXERCISES)


@pytest.mark.parametrize("name", list(CASES))
def test_an_empty_answer_is_told_what_to_do_first_and_nothing_is_judged(name):
    exercise = course.exercise(name)
    exercise.button.click()
    assert exercise.last.empty and not exercise.last.ok
    assert "tk-feedback-empty" in exercise.output.value and "No answer yet" in exercise.output.value
    assert "Your answer" not in exercise.output.value  # there was none


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_a_right_answer_is_praised_with_why_and_shows_the_answer_it_judged(name):
    exercise = course.exercise(name)
    feedback = _answer(exercise, _resolve(CASES[name][0]))
    assert feedback.ok, feedback
    assert "tk-feedback-ok" in exercise.output.value and "Your answer:" in exercise.output.value
    assert feedback.answer and all(line in exercise.output.value for line in
                                   (line.replace("'", "&#x27;").replace('"', "&quot;") for line in feedback.answer))


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_a_wrong_answer_is_sent_back_with_the_reason(name):
    exercise = course.exercise(name)
    _, wrong, reason = CASES[name]
    feedback = _answer(exercise, _resolve(wrong))
    assert not feedback.ok and not feedback.empty, feedback
    assert reason in " ".join([feedback.headline, *feedback.points]), feedback
    assert "tk-feedback-reconsider" in exercise.output.value and "Your answer:" in exercise.output.value


@pytest.mark.parametrize("lesson", [lesson.name for lesson in course.LESSONS])
def test_each_knowledge_check_marks_each_question_and_explains_every_option_chosen(lesson):
    questions = course.KNOWLEDGE_CHECKS[lesson]
    check = course.exercise(f"check_{lesson}")
    assert _answer(check, {}).empty
    right = {f"q{n}": next(i for i, option in enumerate(q.options) if option.right) for n, q in enumerate(questions, 1)}
    assert _answer(check, right).ok
    wrong_option = next(i for i, option in enumerate(questions[0].options) if not option.right)
    feedback = _answer(check, {"q1": wrong_option})
    assert not feedback.ok and feedback.headline.startswith(f"{len(questions) - 1} of {len(questions)} right")
    assert feedback.points[0] == f"1. Not quite: {questions[0].options[wrong_option].why}"
    assert feedback.answer[0] == f"1. {questions[0].options[wrong_option].label}"
    half = course.exercise(f"check_{lesson}")
    partly = _answer(half, {"q1": right["q1"]})
    assert not partly.ok and not partly.empty and "still to answer" in partly.headline


def test_a_partly_answered_exercise_names_what_is_missing():
    order = course.exercise("message_order")
    first = _answers_in_timeline_order()[0]
    feedback = _answer(order, {"1st": first})
    assert not feedback.ok and not feedback.empty and "Not placed yet" in feedback.points[0]
    design = course.exercise("design_for_reverse_brief")
    feedback = _answer(design, {"kind": "reverse"})
    assert not feedback.ok and feedback.points == ("Choose who should be more senior.",
                                                   "Choose whether pairs come from different departments.")


def test_choosing_a_kind_fills_in_its_template_and_leaves_the_learner_s_own_answers_alone():
    design = course.exercise("design_for_reverse_brief")
    design.controls["seniority"].value = "mentor_senior"
    design.controls["departments"].value = "none"
    design.controls["kind"].value = "reverse"
    template = tk.ProgramDesign.from_template("reverse")
    assert design.controls["weight_skills"].value == template.criteria["skills"]
    assert design.controls["exclude_reporting_line"].value is bool(template.rules.exclude_reporting_line)
    assert design.controls["seniority"].value == "mentor_senior"  # not reset: the learner's decision
    built = design.design()
    assert built.kind == "reverse" and built.seniority.direction == "mentor_senior"


@pytest.mark.slow
@pytest.mark.parametrize("lesson", [lesson.name for lesson in course.LESSONS if "capstone" not in lesson.name])
def test_a_learner_completes_every_exercise_of_a_lesson_with_widgets_alone(lesson):
    names = [name for source in (cell.source for cell in __import__("nbformat").read(
        course.lessons.lesson(lesson).notebook, as_version=4).cells if cell.cell_type == "code")
        for name in re.findall(r'course\.exercise\("(\w+)"\)', source)]
    for name in names:
        exercise = course.exercise(name)
        if name.startswith("check_"):
            questions = course.KNOWLEDGE_CHECKS[lesson]
            values = {f"q{n}": next(i for i, option in enumerate(q.options) if option.right)
                      for n, q in enumerate(questions, 1)}
        else:
            values = _resolve(CASES[name][0])
        assert _answer(exercise, values).ok, (lesson, name)


# -- the capstone ----------------------------------------------------------------------------------


def _step(capstone, name, values=None, *, check=True):
    step = capstone.step(name)
    for control, value in (values or {}).items():
        step.controls[control].value = value
    if check:
        step.button.click()
    return step.last


def test_the_capstone_is_completed_through_its_widgets_alone_and_leaves_a_round_and_agreements(tmp_path):
    capstone = course.Capstone(tmp_path)
    assert not capstone.complete and "0 of 5 criteria met" in capstone.rubric_output.value
    assert _step(capstone, "kind", {"choice": "formal"}).ok
    assert _step(capstone, "data", {"choice": "across"}).ok
    assert _step(capstone, "design", {"seniority": "mentor_senior", "departments": "weight",
                                      "weight_meeting_mode": 2}).ok
    assert _step(capstone, "adopt").ok
    assert _step(capstone, "agreements").ok
    assert _step(capstone, "measures", {"text": "Officers who took part still employed 12 months after the start, "
                                                "10 percentage points above similar officers who did not\n"
                                                "Mentees' confidence score up 0.5 points from baseline by the end of "
                                                "the programme"}).ok
    assert _step(capstone, "timing", {
        "Baseline survey: confidence and intention to stay": "start",
        "Monthly pulse: is the relationship working?": "monthly",
        "End-of-programme survey: the baseline's questions again": "end",
        "HR extract: who still works here, officers who took part and similar officers who did not": "year"}).ok
    assert capstone.complete and "5 of 5 criteria met" in capstone.rubric_output.value

    # everything was written into the working copy, and it reads back
    folder = capstone.client.folder
    assert folder.is_relative_to(tmp_path) and (folder / "client.yaml").exists()
    adopted = current_round(folder)
    assert adopted.number == 1 and len(adopted.pairs) == len(capstone.result.pairs) > 0
    people = capstone.client.roster().participants
    assert set(adopted.pairs["mentee_id"]) == set(people.loc[people["role"] == "mentee", "participant_id"]) | \
        (set(adopted.pairs["mentee_id"]) & set(people.loc[people["role"] == "both", "participant_id"]))
    html = [path for path in (folder / "agreements").glob("*.html") if path.name != "index.html"]
    assert len(html) == len(adopted.pairs) == len(capstone.agreements)
    assert all("No-fault" in path.read_text(encoding="utf-8") or "no-fault" in path.read_text(encoding="utf-8")
               for path in html)
    # the course's own copy of the client is untouched
    assert not (course.course_dir() / "data" / "larkfield" / "matches").exists()


def test_the_capstone_keeps_its_steps_in_order_and_a_failing_design_cannot_be_adopted(tmp_path):
    capstone = course.Capstone(tmp_path)
    assert not _step(capstone, "adopt").ok  # nothing to adopt yet
    assert not _step(capstone, "agreements").ok
    wrong = _step(capstone, "design", {"seniority": "similar", "departments": "none"})
    assert not wrong.ok and "more senior" in " ".join(wrong.points)
    adopt = _step(capstone, "adopt")
    assert not adopt.ok and "step 3" in " ".join(adopt.points)
    assert current_round(capstone.client.folder) is None
    rubric = capstone.rubric().set_index("criterion")["your work"]
    assert rubric["A fair match, adopted"] == "not yet" and not capstone.complete


def test_two_capstones_in_one_working_folder_never_share_a_copy(tmp_path):
    first, second = course.Capstone(tmp_path), course.Capstone(tmp_path)
    assert first.client.folder != second.client.folder
    assert first.client.folder.parent.parent == second.client.folder.parent.parent == tmp_path


def test_the_capstone_data_step_reads_the_places_from_the_export():
    capstone = course.Capstone()
    people = capstone.client.roster().participants
    mentors = people[people["role"].isin(["mentor", "both"])]
    places = int(pd.to_numeric(mentors["capacity"]).sum())
    seekers = int(people["role"].isin(["mentee", "both"]).sum())
    assert f"{places} mentor places for {seekers} people" in capstone.step("data").prompt


def test_the_right_option_of_a_knowledge_check_is_not_always_in_the_same_place():
    places = []
    for lesson in course.LESSONS:
        check = course.exercise(f"check_{lesson.name}")
        for number, question in enumerate(course.KNOWLEDGE_CHECKS[lesson.name], 1):
            shown = [value for _, value in check.controls[f"q{number}"].options]
            assert sorted(shown) == list(range(len(question.options)))  # every option shown once
            places.append(next(place for place, value in enumerate(shown) if question.options[value].right))
    assert len(set(places)) == 3 and max(places.count(place) for place in set(places)) <= len(places) // 2
