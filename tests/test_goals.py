"""Goal library and SMART checker: library validation, filling templates, rules, labelled accuracy."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import goals
from toolkit.errors import DesignError, ToolkitError

FIXTURES = Path(__file__).parent / "fixtures"
REQUIRED_THEMES = {"skill_development", "organisation_knowledge", "career", "leadership", "networking",
                   "confidence", "work_life_balance", "digital_fluency"}


@pytest.fixture(scope="module")
def library():
    return goals.load_goal_library()


def test_library_has_every_theme_with_several_templates(library):
    assert set(library.themes) >= REQUIRED_THEMES
    for theme in library.themes.values():
        assert len(theme.templates) >= 2, theme.id
        for template in theme.templates:
            assert template.mentor_questions and template.milestones, template.id
            assert template.milestones[-1][0] == 1.0, f"{template.id} has no end-of-programme milestone"


def test_every_placeholder_in_every_template_is_declared_and_fills(library):
    for template in library.templates:
        used = {name for text in (template.text, template.measure, *(t for _, t in template.milestones),
                                  *template.mentor_questions)
                for _, name, _, _ in string.Formatter().parse(text) if name}
        assert used <= set(template.placeholders), template.id
        filled = goals.fill_template(template, {name: f"<{name}>" for name in template.placeholders})
        assert "{" not in filled["goal"] + filled["measure"] + "".join(m["text"] for m in filled["milestones"])


def test_every_programme_kind_has_templates_and_reverse_gets_digital_fluency(library):
    for kind in ("formal", "informal", "peer", "reverse", "group", "virtual"):
        assert len(library.for_kind(kind)) >= 4, kind
    assert "digital_fluency" in library.for_kind("reverse")
    assert "digital_fluency" not in library.for_kind("formal")
    assert "skill_peer_teach" in [t.id for t in library.for_kind("peer")["skill_development"]]


def test_library_with_undeclared_placeholder_is_refused_naming_it(tmp_path):
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump({
        "theme": "x", "name": "X", "templates": [
            {"id": "t1", "title": "T", "text": "Lead {project} by {deadline}", "measure": "{outcome} done",
             "placeholders": {"project": "p", "deadline": "d", "unused": "u"}}]}))
    with pytest.raises(DesignError) as error:
        goals.load_goal_library(tmp_path)
    message = str(error.value)
    assert "{outcome} is used but not declared" in message
    assert "{unused} is declared but not in the goal text" in message


def test_library_with_unknown_kind_suggests_the_right_one(tmp_path):
    (tmp_path / "kinds.yaml").write_text(yaml.safe_dump({
        "theme": "x", "name": "X", "kinds": ["revers"], "templates": [
            {"id": "t1", "title": "T", "text": "Lead {p}", "measure": "m", "placeholders": {"p": "p"}}]}))
    with pytest.raises(DesignError, match="reverse"):
        goals.load_goal_library(tmp_path)


def test_fill_template_names_empty_fields_and_dates_milestones(library):
    template = library.template("career_plan")
    with pytest.raises(ToolkitError, match=r"\{manager\}"):
        goals.fill_template(template, {"horizon": "two-year", "deadline": "September 2026"})
    filled = goals.fill_template(template, {"horizon": "two-year", "manager": "my manager",
                                            "deadline": "30 September 2026"},
                                 programme_start="2026-03-01", programme_end="2026-11-30")
    assert filled["goal"].startswith("Agree a two-year career plan with my manager")
    assert filled["milestones"][-1]["due"] == dt.date(2026, 11, 30)
    assert filled["milestones"][0]["due"] == dt.date(2026, 3, 1) + dt.timedelta(days=round(274 * 0.25))


def test_unknown_template_id_suggests_close_match(library):
    with pytest.raises(ToolkitError, match="career_plan"):
        library.template("carer_plan")


def test_design_example_is_smart():
    check = goals.check_smart("Lead two client workshops by March 2027", programme_end="2027-06-30")
    assert check.missing == []
    assert check.deadline == dt.date(2027, 3, 31)


def test_vague_goal_misses_specific_measurable_time_bound_with_suggestions():
    check = goals.check_smart("Understand social media")
    assert check.missing == ["specific", "measurable", "time_bound"]
    assert check.specific.status == "missing" and check.verdicts["measurable"].suggestion
    assert all(":" in suggestion for suggestion in check.suggestions)


def test_deadline_after_programme_end_is_weak_and_suggests_the_end_date():
    check = goals.check_smart("Lead two client workshops by March 2027", programme_start="2026-03-01",
                              programme_end="2026-11-30")
    assert check.missing == ["time_bound"]
    assert check.time_bound.status == "weak" and "30 November 2026" in check.time_bound.suggestion


def test_structured_fields_supply_measure_deadline_and_theme():
    text = "Present at the regional leadership meeting"  # no object: nothing yet says when it is done
    bare = goals.check_smart(text, programme_start="2026-03-01", programme_end="2026-11-30")
    assert {"measurable", "time_bound"} <= set(bare.missing)
    full = goals.check_smart(text, measure="attendees' feedback rating", target="4 of 5", deadline="2026-09-30",
                             theme="Networking and visibility", programme_start="2026-03-01",
                             programme_end="2026-11-30")
    assert full.missing == [] and full.theme == "networking"


def test_unknown_theme_is_weak_relevance_with_did_you_mean():
    check = goals.check_smart("Run two workshops by May 2026", theme="Leadrship")
    assert check.relevant.status == "weak" and "Leadership" in check.relevant.reason
    check = goals.check_smart("Run two workshops by May 2026", theme="Leadership")
    assert check.relevant.ok and check.theme == "leadership"
    check = goals.check_smart("Run two workshops by May 2026", theme="Career progression")
    assert check.theme == "career"


def test_relative_and_programme_end_deadlines_are_resolved():
    start, end = "2026-03-01", "2026-11-30"
    check = goals.check_smart("Run three stand-ups within two months", programme_start=start, programme_end=end)
    assert check.deadline == dt.date(2026, 5, 1)  # two calendar months after 1 March
    check = goals.check_smart("Run three stand-ups by the end of the programme", programme_start=start,
                              programme_end=end)
    assert check.deadline == dt.date(2026, 11, 30) and check.time_bound.ok


def _labelled():
    data = yaml.safe_load((FIXTURES / "goals_labelled.yaml").read_text())
    return data, data["goals"]


def test_labelled_set_overall_accuracy_precision_recall_reported():
    data, items = _labelled()
    assert len(items) >= 40 and {i["label"] for i in items} == {"good", "weak"}
    predicted = [goals.check_smart(i["goal"], programme_start=data["programme_start"],
                                   programme_end=data["programme_end"]) for i in items]
    true_positive = sum(1 for i, c in zip(items, predicted) if i["label"] == "weak" and not c.ok)
    flagged = sum(1 for c in predicted if not c.ok)
    actual_weak = sum(1 for i in items if i["label"] == "weak")
    accuracy = sum(1 for i, c in zip(items, predicted) if (i["label"] == "weak") == (not c.ok)) / len(items)
    precision, recall = true_positive / flagged, true_positive / actual_weak
    print(f"\nSMART checker on {len(items)} labelled goals: accuracy {accuracy:.2f}, "
          f"precision {precision:.2f}, recall {recall:.2f} (positive = weak goal)")
    assert accuracy >= 0.9 and precision >= 0.9 and recall >= 0.9


def test_labelled_set_per_letter_precision_recall_reported():
    data, items = _labelled()
    lines = []
    for letter in goals.SMART_LETTERS:
        tp = fp = fn = 0
        for item in items:
            check = goals.check_smart(item["goal"], programme_start=data["programme_start"],
                                      programme_end=data["programme_end"])
            truth = letter in item.get("missing", [])
            said = letter in check.missing
            tp += truth and said
            fp += said and not truth
            fn += truth and not said
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        lines.append(f"{letter:11s} precision {precision:.2f} recall {recall:.2f} (tp {tp}, fp {fp}, fn {fn})")
        if letter in ("measurable", "time_bound", "achievable"):
            assert recall >= 0.9, lines[-1]
    print("\n" + "\n".join(lines))


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200), st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))))
def test_checker_never_raises_and_missing_is_ordered_subset(text, deadline):
    check = goals.check_smart(text, deadline=deadline, programme_start="2026-01-01", programme_end="2026-12-31")
    assert check.missing == [letter for letter in goals.SMART_LETTERS if letter in check.missing]
    assert all(check.verdicts[letter].suggestion for letter in check.missing)
    if deadline is not None:
        assert check.time_bound.ok == (dt.date(2026, 1, 1) <= deadline <= dt.date(2026, 12, 31))


@settings(max_examples=60, deadline=None)
@given(st.dates(dt.date(2026, 3, 1), dt.date(2026, 11, 30)))
def test_any_deadline_inside_programme_written_in_text_is_time_bound(day):
    check = goals.check_smart(f"Lead two client workshops by {day:%d %B %Y}", programme_start="2026-03-01",
                              programme_end="2026-11-30")
    assert check.deadline == day and check.time_bound.ok
