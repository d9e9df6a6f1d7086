"""GoalBuilder, headless: set widget values, click buttons, assert on the model and rendered output."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from toolkit.design.model import ProgramDesign
from toolkit.roster import Roster
from toolkit.widgets import GoalBuilder
from toolkit.widgets.goal_builder import GoalBuilderModel


@pytest.fixture
def design():
    return ProgramDesign.from_template("reverse").override({"start_date": dt.date(2026, 4, 6),
                                                            "end_date": dt.date(2026, 9, 30)})


@pytest.fixture
def result(design):
    roster = Roster.from_frame(pd.DataFrame({
        "participant_id": ["L1", "J1"], "name": ["Lee Senior", "Jo Junior"], "role": ["mentee", "mentor"]}))
    return SimpleNamespace(roster=roster, design=design, shape="one_to_one",
                           pairs=pd.DataFrame({"mentee_id": ["L1"], "mentor_id": ["J1"], "score": [5.0]}),
                           circles=pd.DataFrame(columns=["circle_id", "participant_id", "circle_role"]))


def test_model_never_imports_ipywidgets():
    import ast
    import inspect

    import toolkit.widgets.goal_builder as module

    source = inspect.getsource(module.GoalBuilderModel)
    assert "ipywidgets" not in source
    tree = ast.parse(inspect.getsource(module))
    top_imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert not any("ipywidgets" in ast.dump(node) for node in top_imports)


def test_reverse_programme_offers_digital_fluency_and_not_career(design):
    model = GoalBuilderModel(design)
    theme_ids = [theme_id for _, theme_id in model.theme_options]
    assert "digital_fluency" in theme_ids and "career" not in theme_ids


def test_filling_fields_makes_the_goal_smart_live(design, result):
    app = GoalBuilder(design, result=result, pair_or_circle=("L1", "J1"))
    app.theme.value = "digital_fluency"
    app.template.value = "digital_tool_adopt"
    assert set(app.field_boxes) == {"tool", "use_case", "count", "deadline"}
    assert app.model.check.missing  # empty fields: not yet SMART
    app.field_boxes["tool"].value = "a Teams channel"
    app.field_boxes["use_case"].value = "weekly updates instead of email"
    app.field_boxes["count"].value = "eight"
    app.field_boxes["deadline"].value = "31 July 2026"
    assert app.model.goal == ("Use a Teams channel for weekly updates instead of email with my leadership team "
                              "at least eight times by 31 July 2026")
    assert app.goal.value == app.model.goal
    assert app.model.check.missing == []
    assert "✔ Time-bound" in app.check.value


def test_deadline_after_programme_end_is_flagged_in_the_view(design):
    app = GoalBuilder(design)
    app.deadline.value = "2026-12-31"
    assert "time_bound" in app.model.check.missing
    assert "after the programme ends" in app.check.value


def test_editing_goal_text_rechecks(design):
    app = GoalBuilder(design)
    app.goal.value = "Understand social media"
    assert {"specific", "measurable"} <= set(app.model.check.missing)


def test_add_goal_refuses_unfilled_template_and_shows_error(design):
    app = GoalBuilder(design)
    app.add.click()
    assert app.model.goals == [] and "Fill in every field" in app.error.value


def test_export_without_pair_shows_error_not_traceback(design):
    app = GoalBuilder(design)
    app.export.click()
    assert "no pair or circle" in app.error.value and app.output.value == ""


def test_export_renders_agreement_with_added_goal_and_writes_file(design, result, tmp_path):
    app = GoalBuilder(design, result=result, pair_or_circle=("L1", "J1"))
    app.theme.value = "digital_fluency"
    app.template.value = "social_media_presence"
    for name, value in {"count": "four", "platform": "LinkedIn", "topic": "our community work",
                        "deadline": "31 August 2026"}.items():
        app.field_boxes[name].value = value
    app.add.click()
    assert app.model.goals == ["Publish four posts on LinkedIn about our community work with the junior mentor's "
                               "feedback by 31 August 2026"]
    app.format.value = "markdown"
    app.path.value = str(tmp_path / "agreement.md")
    app.export.click()
    written = (tmp_path / "agreement.md").read_text()
    assert "Reverse mentoring agreement" in written and "Publish four posts on LinkedIn" in written
    assert "Lee Senior" in app.output.value and app.error.value == ""
    app.format.value = "html"
    app.path.value = ""
    app.export.click()
    assert app.model.agreement_text.startswith("<!DOCTYPE html>") and "<iframe srcdoc=" in app.output.value


def test_constructor_displays_nothing(design, capsys):
    GoalBuilder(design)
    assert capsys.readouterr().out == ""


# -- a goal from its fields; a warning before keeping a goal that fails; tags from the goal's words ---------


def test_the_fields_make_a_smart_goal_and_name_a_field_that_cannot(design):
    app = GoalBuilder(design)
    app.source.value = "fields"
    assert app.fields_box.layout.display == "" and app.template_box.layout.display == "none"
    for name, value in {"outcome": "Publish posts about our community work on LinkedIn", "measure": "posts published",
                        "baseline": "0", "target": "4", "date": "end of August"}.items():
        app.goal_fields[name].value = value
    assert app.model.goal == ("Publish posts about our community work on LinkedIn by 31 August 2026: posts published "
                              "from 0 to 4.")
    assert app.goal.value == app.model.goal and app.model.check.ok and app.field_error.value == ""
    app.goal_fields["target"].value = "lots"
    assert "Target" in app.field_error.value and "not a number" in app.field_error.value
    app.goal_fields["target"].value = "4"
    app.goal_fields["date"].value = "end of December"  # after the programme ends (30 September)
    assert "after the programme ends" in app.field_error.value


def test_adding_a_goal_that_fails_the_check_warns_first_and_can_still_be_added(design):
    app = GoalBuilder(design)
    app.goal.value = "Understand social media"
    assert app.add_anyway.layout.display == "none"
    app.add.click()
    assert app.model.goals == [] and "not SMART yet" in app.warning.value and "Specific" in app.warning.value
    assert app.add_anyway.layout.display == ""
    app.add_anyway.click()
    assert app.model.goals == ["Understand social media"] and app.warning.value == ""
    assert app.add_anyway.layout.display == "none" and "Understand social media" in app.kept.value


def test_kept_goals_are_tagged_by_what_they_say_not_by_the_theme_in_the_menu(design, result):
    app = GoalBuilder(design, result=result, pair_or_circle=("L1", "J1"))
    app.theme.value = "digital_fluency"  # the menu shows digital fluency ...
    app.goal.value = "Run two lunch-and-learn sessions on delegation for my team by 31 July 2026"
    app.add.click()  # ... but this goal is about leading a team
    app.goal.value = "Publish four posts on LinkedIn about our community work by 31 August 2026"
    app.add.click()
    tags = dict(app.model.tags())
    assert tags["Run two lunch-and-learn sessions on delegation for my team by 31 July 2026"] == "Leadership"
    assert tags["Publish four posts on LinkedIn about our community work by 31 August 2026"] == "Networking and visibility"
    app.format.value = "markdown"
    app.export.click()
    assert "_(Leadership)_" in app.model.agreement_text
    assert "(Leadership)" in app.kept.value
