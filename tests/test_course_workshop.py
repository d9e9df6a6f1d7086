"""Time and coverage: every lesson's time claim is honest, the one-day plan fits a day, and the course covers
MENTOR's six Elements and EMCC's six standards."""

from __future__ import annotations

import datetime as dt
import re

import nbformat
import pytest

from toolkit import course
from toolkit.course.workshop import MINUTES_PER_TABLE, WORDS_PER_MINUTE, lesson_minutes, lesson_words

_CLAIM = re.compile(r"About (\d+) minutes: (\d+) of reading and looking at tables, (\d+) of exercises\.")


@pytest.mark.parametrize("lesson", course.LESSONS, ids=lambda lesson: lesson.name)
def test_each_lesson_claims_the_time_it_takes(lesson):
    first = nbformat.read(lesson.notebook, as_version=4).cells[0].source
    claim = _CLAIM.search(first)
    assert claim, f"{lesson.name}: say 'About N minutes: R of reading and looking at tables, E of exercises.'"
    total, reading, exercises = map(int, claim.groups())
    assert total == lesson.minutes  # the page and the workshop plan agree
    estimate = lesson_minutes(lesson.name)
    assert abs(total - estimate["estimate"]) <= max(3, 0.15 * total), estimate
    assert abs(reading - (estimate["reading"] + estimate["tables"])) <= 2, estimate
    assert abs(exercises - estimate["exercises"]) <= 2, estimate
    assert estimate["words"] >= 400, f"{lesson.name}: too thin to teach its objectives"


def test_reading_time_counts_the_words_a_learner_reads(tmp_path, monkeypatch):
    # the estimator against a hand-counted notebook: 260 words of markdown, one table, one exercise
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title\n\n" + " ".join(["word"] * 259)),
        nbformat.v4.new_markdown_cell("<!-- a note for authors, not read -->"),
        nbformat.v4.new_code_cell("from toolkit import course"),
        nbformat.v4.new_code_cell("table = course.kinds_table()"),  # an assignment shows nothing
        nbformat.v4.new_code_cell("course.show(table)"),
        nbformat.v4.new_code_cell('course.exercise("kind_for_graduates")'),
    ])
    nbformat.write(notebook, tmp_path / "01_six_kinds.ipynb")
    monkeypatch.setattr(course.lessons, "course_dir", lambda: tmp_path)
    assert lesson_words("01_six_kinds") == 260
    minutes = lesson_minutes("01_six_kinds")
    exercise = course.exercise("kind_for_graduates").minutes
    assert minutes["reading"] == round(260 / WORDS_PER_MINUTE, 1) and minutes["tables"] == MINUTES_PER_TABLE
    assert minutes["exercises"] == exercise and minutes["estimate"] == round(2 + 1 + exercise, 1)


def test_the_one_day_plan_runs_from_nine_to_before_five_with_every_lesson_once():
    plan = course.session_plan()
    times = [dt.datetime.strptime(value, "%H:%M") for value in plan["start"]] + \
        [dt.datetime.strptime(plan["end"].iloc[-1], "%H:%M")]
    assert plan["start"].iloc[0] == "09:00" and plan["end"].iloc[-1] <= "17:00"
    assert list(plan["start"].iloc[1:]) == list(plan["end"].iloc[:-1])  # no gaps, no overlaps
    assert all((later - earlier).seconds // 60 == minutes
               for earlier, later, minutes in zip(times, times[1:], plan["minutes"]))
    lessons = plan[plan["session"].str.startswith(("Lesson", "Capstone"))
                   & ~plan["session"].str.contains("debrief")]
    assert list(lessons["what happens"]) == [lesson.title for lesson in course.LESSONS]
    assert list(lessons["minutes"]) == [lesson.minutes for lesson in course.LESSONS]
    assert {"Coffee", "Lunch", "Tea"} <= set(plan["session"])
    assert (plan["session"] == "Discussion").sum() == len(course.LESSONS) - 1


def test_every_mentor_element_and_emcc_standard_is_covered_and_every_lesson_covers_one():
    assert course.coverage.coverage_gaps() == []
    table = course.coverage_table()
    assert list(table["standard"][table["framework"] == "MENTOR"]) == [
        "Recruitment", "Screening", "Training", "Matching and initiating", "Monitoring and support", "Closure"]
    assert list(table["standard"][table["framework"] == "EMCC"]) == [
        "Clarity of purpose", "Training and briefing", "Selection and matching", "Measurement and review", "Ethics",
        "Administration and support"]
    assert set(course.coverage.COVERAGE) == {lesson.name for lesson in course.LESSONS}


def test_the_answer_key_holds_every_fixed_answer_and_every_knowledge_check_question():
    keys = course.answer_keys()
    questions = sum(len(questions) for questions in course.KNOWLEDGE_CHECKS.values())
    assert (keys["exercise"].str.startswith("knowledge check")).sum() == questions
    assert keys["answer"].astype(str).str.len().gt(0).all() and keys["why"].str.len().gt(10).all()
