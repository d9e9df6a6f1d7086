"""MatchingStudio driven headless against an exact stand-in engine (fast, with call records) and the real one.

The studio's quality chart is read from its Vega-Lite spec (``studio.chart.chart``), validated against the schema at
every redraw; it is drawn as a picture once, in the chart's own test (the drawing is ``tests/test_widgets_base.py``'s
subject), rather than at every solve of every test.
"""

from __future__ import annotations

import asyncio
import types
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from standin_matching import StandInSolver, small_roster, solve

from toolkit.design.model import ProgramDesign
from toolkit.errors import MatchingError
from toolkit.widgets import MatchingStudio
from toolkit.widgets._base import chart_png
from toolkit.widgets.matching_model import MatchingStudioModel
from toolkit.widgets.matching_studio import (
    compare_scenarios,
    match_quality_chart,
    pairs_table,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def charts_validated_not_drawn(monkeypatch):
    def validated(chart, scale=2.0):
        chart.to_dict()  # the schema check drawing starts with
        return b"", 560

    monkeypatch.setattr("toolkit.widgets._base.chart_png", validated)


@pytest.fixture
def roster():
    return small_roster()


@pytest.fixture
def design():
    return ProgramDesign.from_template("formal")


@pytest.fixture
def solver():
    return StandInSolver()


@pytest.fixture
def studio(roster, design, solver):
    return MatchingStudio(roster, design, solver=solver)


def _mentor_of(result, mentee_id):
    pairs = result.pairs
    return pairs.loc[pairs["mentee_id"] == mentee_id, "mentor_id"].iloc[0]


def test_first_solve_shows_every_pair_with_names_and_scores(studio, solver):
    assert len(solver.calls) == 1
    result = studio.result
    assert len(result.pairs) == 8
    shown = studio.pairs_html.value
    assert shown.count("<tr>") == len(result.pairs) + 1
    assert "Mo Mentee (M1)" in shown and "Ana Mentor (A)" in shown
    assert "Solve 1: the best match these settings allow (proven optimal). 8 pairs, 0 unmatched" \
        in studio.status_html.value
    assert "objective" not in studio.status_html.value.lower()
    assert "@example.com" not in shown  # emails never shown


def test_moving_weight_sliders_re_solves_with_the_new_weights_and_updates_the_table(studio, solver):
    assert _mentor_of(studio.result, "M1") == "A"  # the only Python mentor
    before = studio.pairs_html.value
    studio.weight_sliders["skills"].value = 0
    studio.weight_sliders["cross_department"].value = 10
    design = solver.calls[-1]["design"]
    assert design.criteria["skills"] == 0 and design.criteria["cross_department"] == 10
    assert studio.design.criteria["cross_department"] == 10
    # Oracle: the table shows exactly what the engine returned for that design.
    assert _mentor_of(studio.result, "M1") != "A"
    assert solve(studio.model.roster, design).pairs.equals(studio.result.pairs)
    assert studio.pairs_html.value != before
    assert "Solve 3" in studio.status_html.value


def test_switching_a_hard_rule_changes_the_design_and_the_match(studio, solver, roster):
    studio.rule_toggles["exclude_same_department"].value = True
    assert solver.calls[-1]["design"].rules.exclude_same_department is True
    departments = roster.participants.set_index("participant_id")["department"]
    pairs = studio.result.pairs
    assert (departments[pairs["mentee_id"]].to_numpy() != departments[pairs["mentor_id"]].to_numpy()).all()


def test_objective_choice_reaches_the_engine(studio, solver):
    studio.objective_picker.value = "max_min"
    assert solver.calls[-1]["design"].objective == "max_min"


def test_objectives_are_offered_in_plain_words_not_code_names(studio):
    labels = [label for label, _ in studio.objective_picker.options]
    assert labels and all("_" not in label and label[0].isupper() for label in labels), labels


def test_slider_drag_inside_the_kernel_loop_solves_once_when_it_stops(roster, design):
    solver = StandInSolver()

    async def drag():
        studio = MatchingStudio(roster, design, solver=solver, delay=0.05)
        for weight in (5, 6, 7, 8, 9):
            studio.weight_sliders["skills"].value = weight
            await asyncio.sleep(0)
        assert studio.resolve.pending and len(solver.calls) == 1
        for _ in range(1000):  # wait on state, not on a clock
            if not studio.resolve.pending:
                break
            await asyncio.sleep(0.01)
        return studio

    asyncio.run(drag())
    assert len(solver.calls) == 2
    assert solver.calls[-1]["design"].criteria["skills"] == 9


def test_selecting_a_person_shows_the_engines_explanation(studio):
    studio.person_picker.value = "M1"
    assert "M1 is matched with A: score" in studio.explanation_html.value
    assert "Mo Mentee (M1)" in studio.explanation_html.value
    studio.weight_sliders["skills"].value = 0
    studio.weight_sliders["cross_department"].value = 10
    # The explanation follows the new match.
    assert f"M1 is matched with {_mentor_of(studio.result, 'M1')}" in studio.explanation_html.value


@pytest.mark.slow
def test_pinning_a_pair_forces_it_and_banning_it_removes_it(studio, solver):
    assert _mentor_of(studio.result, "M1") == "A"
    studio.pin_mentee.value, studio.pin_mentor.value = "M1", "C"
    studio.pin_button.click()
    assert solver.calls[-1]["required"] == [("M1", "C")]
    assert _mentor_of(studio.result, "M1") == "C"
    assert "pinned (always matched)" in studio.pins_html.value
    studio.ban_button.click()
    assert solver.calls[-1]["forbidden"] == [("M1", "C")] and solver.calls[-1]["required"] == []
    assert _mentor_of(studio.result, "M1") != "C"
    assert "banned (never matched)" in studio.pins_html.value
    studio.clear_button.click()
    assert studio.model.pinned == [] and studio.model.banned == []
    assert _mentor_of(studio.result, "M1") == "A"


@pytest.mark.slow
def test_pin_without_choosing_both_people_is_explained_in_the_app(studio, solver):
    calls = len(solver.calls)
    studio.pin_button.click()
    assert isinstance(studio.errors.last_error, MatchingError)
    assert "Choose a mentee and a mentor first" in studio.errors.widget.value
    assert len(solver.calls) == calls


@pytest.mark.slow
def test_engine_error_is_shown_and_the_previous_match_stays(roster, design):
    calls = []

    def failing_after_first(roster, design, **kwargs):
        calls.append(design)
        if len(calls) > 1:
            raise MatchingError("No match satisfies every rule.", fix="switch a rule off")
        return solve(roster, design)

    studio = MatchingStudio(roster, design, solver=failing_after_first)
    first = studio.result
    studio.weight_sliders["skills"].value = 1
    assert "No match satisfies every rule" in studio.errors.widget.value
    assert studio.result is first
    assert "showing the previous match" in studio.status_html.value


@pytest.mark.slow
def test_scenarios_are_compared_side_by_side_and_can_be_restored(studio, solver):
    studio.scenario_name.value = "skills first"
    studio.save_button.click()
    studio.weight_sliders["skills"].value = 0
    studio.weight_sliders["cross_department"].value = 10
    studio.scenario_name.value = "mix departments"
    studio.save_button.click()
    comparison = studio.model.comparison()
    assert list(comparison.columns) == ["skills first", "mix departments"]
    assert comparison.loc["Pairs", "skills first"] == 8
    shared = len(set(zip(studio.model.scenarios["skills first"].result.pairs["mentee_id"],
                         studio.model.scenarios["skills first"].result.pairs["mentor_id"]))
                 & set(zip(studio.result.pairs["mentee_id"], studio.result.pairs["mentor_id"])))
    assert comparison.loc["Also in “skills first”", "mix departments"] == f"{shared} of 8"
    assert "Weight of skills: 4 → 0" in studio.scenarios_html.value
    assert "criteria.skills" not in studio.scenarios_html.value
    assert "scored here with the same weights: the programme design's (skills 4, " in studio.scenarios_html.value
    assert "skills first" in studio.scenarios_html.value and "mix departments" in studio.scenarios_html.value
    calls = len(solver.calls)
    studio.scenario_picker.value = "skills first"
    studio.restore_button.click()
    assert len(solver.calls) == calls  # restoring does not solve again
    assert studio.weight_sliders["skills"].value == 4
    assert studio.result is studio.model.scenarios["skills first"].result
    assert _mentor_of(studio.result, "M1") == "A"


@pytest.mark.slow
def test_saving_a_scenario_without_a_name_is_refused_in_the_app(studio):
    studio.save_button.click()
    assert "A scenario needs a name" in studio.errors.widget.value
    assert studio.model.scenarios == {}


@pytest.mark.slow
def test_export_writes_a_workbook_without_email_addresses(studio, tmp_path):
    studio.scenario_name.value = "baseline"
    studio.save_button.click()
    studio.export_folder = tmp_path / "out"  # the studio saves only inside its exports folder
    studio.export_path.value = str(tmp_path / "out" / "match.xlsx")
    studio.export_button.click()
    assert studio.errors.last_error is None, studio.errors.widget.value
    workbook = openpyxl.load_workbook(tmp_path / "out" / "match.xlsx")
    assert workbook.sheetnames == ["pairs", "unmatched", "settings", "scenarios"]
    cells = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Mo Mentee (M1)" in cells
    assert not any("@" in cell for cell in cells)
    assert "Saved" in studio.export_html.value


@pytest.mark.slow
def test_back_to_the_design_restores_the_templates_settings(studio, design):
    studio.weight_sliders["skills"].value = 0
    studio.rule_toggles["exclude_same_team"].value = False
    studio.reset_button.click()
    assert studio.weight_sliders["skills"].value == design.criteria["skills"]
    assert studio.model.current_design() == design
    assert _mentor_of(studio.result, "M1") == "A"


def test_unmatched_people_are_listed_with_reason_and_fix(roster, design):
    tight = design.override({"rules": {"exclude_same_department": True}})
    studio = MatchingStudio(roster, tight, solver=solve)
    assert studio.result.unmatched.empty  # enough cross-department places
    one_mentor = roster.subset(["A", "M1", "M4", "M5"])
    studio = MatchingStudio(one_mentor, tight, solver=solve)
    text = studio.unmatched_html.value
    assert "Mo Mentee (M1)" in text and "no eligible mentor under the rules" in text and "relax a rule" in text
    assert studio.tabs.get_title(2) == "Unmatched (2)"


def test_pairs_table_is_best_first_and_parts_add_up(roster, design):
    result = solve(roster, design.override({"criteria": {"cross_department": {"weight": 3}}}))
    table = pairs_table(result)
    assert table["Match score"].is_monotonic_decreasing
    parts = [column for column in table.columns if column not in ("Mentee", "Mentor", "Match score")]
    assert "Across departments" in parts and "cross_department" not in table.columns
    assert (table[parts].sum(axis=1) - table["Match score"]).abs().max() < 1e-9


def test_quality_chart_has_score_histogram_and_criterion_contributions(studio):
    spec = match_quality_chart(studio.result).to_dict()
    histogram, contributions = spec["hconcat"]
    assert histogram["encoding"]["x"]["bin"] == {"maxbins": 20}
    values = spec["datasets"][contributions["data"]["name"]]
    mean_skills = studio.result.pairs["skills"].mean()
    assert next(row["mean points"] for row in values if row["criterion"] == "skills") == pytest.approx(mean_skills)
    assert studio.chart.chart is not None
    png, width = chart_png(studio.chart.chart)  # drawn for real, as the studio shows it
    assert png.startswith(b"\x89PNG") and width >= 400


def test_circles_are_shown_facilitator_first(roster):
    design = ProgramDesign.from_template("group")

    def circles_solver(roster, design, **kwargs):
        circles = pd.DataFrame({"circle_id": ["C1", "C1", "C1"], "participant_id": ["M2", "A", "M1"],
                                "circle_role": ["member", "facilitator", "member"]})
        return types.SimpleNamespace(
            roster=roster, design=design, shape="circles", pairs=pd.DataFrame(columns=["mentee_id", "mentor_id",
                                                                                       "score"]),
            circles=circles, unmatched=pd.DataFrame(columns=["participant_id", "role", "reason", "suggestion"]),
            status="optimal", objective=3.0, explain=lambda participant: types.SimpleNamespace(text="in C1"))

    studio = MatchingStudio(roster, design, solver=circles_solver)
    table = pairs_table(studio.result)
    assert list(table["Person"]) == ["Ana Mentor (A)", "Max Mentee (M2)", "Mo Mentee (M1)"]
    assert "1 circles" in studio.status_html.value
    assert studio.chart.chart is None


def test_scenario_comparison_of_identical_settings_shares_every_pair(roster, design):
    result = solve(roster, design)
    from toolkit.widgets.matching_studio import Scenario

    table = compare_scenarios([Scenario("a", design, result), Scenario("b", design, result)], base=design)
    assert table.loc["Also in “a”", "b"] == "8 of 8"
    assert table.loc["Changes from the design", "b"] == "as designed"


def test_scenarios_are_scored_again_under_the_designs_weights_and_say_so(roster, design):
    import toolkit as tk
    from toolkit.matching.candidates import candidate_edges
    from toolkit.widgets.matching_studio import Scenario

    mixing = design.override({"criteria": {"skills": {"weight": 0}, "cross_department": {"weight": 10}}})
    as_designed, mixed = tk.match(roster, design), tk.match(roster, mixing)
    table = compare_scenarios([Scenario("as designed", design, as_designed), Scenario("mix", mixing, mixed)],
                              base=design)
    total = "Total score (the design's weights)"
    assert total in table.index
    # Oracle: every pair the rules allow, scored under the design's weights by the candidate builder.
    scores = candidate_edges(roster, design).set_index(["mentee_id", "mentor_id"])["score"]
    expected = sum(scores[(mentee, mentor)] for mentee, mentor in zip(mixed.pairs["mentee_id"], mixed.pairs["mentor_id"]))
    assert table.loc[total, "mix"] == pytest.approx(expected, abs=0.01)
    assert table.loc[total, "mix"] != pytest.approx(float(mixed.pairs["score"].sum()), abs=0.01)  # not its own scale
    # On one scale, the design's optimum is at least as good as any other scenario (same rules).
    assert table.loc[total, "as designed"] == pytest.approx(float(as_designed.pairs["score"].sum()), abs=0.01)
    assert table.loc[total, "as designed"] >= table.loc[total, "mix"] - 0.01
    assert table.loc["Changes from the design", "mix"] == ("Weight of skills: 4 → 0; "
                                                            "Weight of across departments: 1 → 10")


def test_unknown_participant_in_a_pin_is_refused_with_a_suggestion(studio):
    with pytest.raises(MatchingError, match='Did you mean "M1"'):
        studio.model.pin("M11", "A")


@pytest.mark.slow
def test_real_engine_drives_the_studio_on_a_sample_client():
    from toolkit.client import load_client

    client = load_client(ROOT / "sample_data" / "riverbank")
    studio = MatchingStudio(client.roster(), client.design())
    assert studio.errors.last_error is None, studio.errors.widget.value
    assert studio.pairs_html.value.count("<tr>") == len(studio.result.pairs) + 1
    before = studio.result.pairs.copy()
    studio.weight_sliders["skills"].value = 0
    assert studio.design.criteria["skills"] == 0 and studio.result.design.criteria["skills"] == 0
    assert studio.errors.last_error is None
    assert not studio.result.pairs.equals(before) or studio.model.solves == 2


def test_design_changes_lists_each_differing_setting_once():
    from toolkit.widgets.matching_studio import design_changes

    formal, reverse = ProgramDesign.from_template("formal"), ProgramDesign.from_template("reverse")
    table = design_changes(formal, reverse, labels=["formal", "reverse"])
    assert list(table.columns) == ["Setting", "formal", "reverse"]
    direction = table.set_index("Setting").loc["Seniority – Direction"]
    assert (direction["formal"], direction["reverse"]) == ("Mentor senior", "Mentee senior")
    assert len(table) == len(formal.diff(reverse)) and table["Setting"].is_unique
    assert not table["Setting"].str.contains(r"[a-z]_[a-z]|\.[a-z]").any()
    assert design_changes(formal, formal).empty


MENTEE_IDS = ["M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8"]
MENTOR_IDS = ["A", "B", "C", "D"]


PIN_OPERATIONS = st.lists(st.tuples(st.sampled_from(["pin", "ban", "clear"]), st.sampled_from(MENTEE_IDS),
                                   st.sampled_from(MENTOR_IDS)), max_size=8)


def _apply_to_model(model: MatchingStudioModel, operations) -> None:
    """Each operation as the studio's buttons do it on its model: pin, ban or clear, then solve."""
    for operation, mentee, mentor in operations:
        if operation == "clear":
            model.clear_pins_and_bans()
        else:
            (model.pin if operation == "pin" else model.ban)(mentee, mentor)
        model.solve()


def _assert_pins_and_bans_honoured(model: MatchingStudioModel, solver: StandInSolver) -> None:
    assert not set(model.pinned) & set(model.banned)
    # The engine was asked for exactly the studio's pins and bans ...
    assert solver.calls[-1]["required"] == model.pinned
    assert solver.calls[-1]["forbidden"] == model.banned
    # ... and the shown match honours them (the stand-in is exact; pins never exceed capacity here
    # unless a mentee is pinned twice, which the engine resolves by keeping one).
    shown = set(zip(model.result.pairs["mentee_id"], model.result.pairs["mentor_id"]))
    assert not shown & set(model.banned)
    pinned_mentees = [mentee for mentee, _ in model.pinned]
    for pair in model.pinned:
        if pinned_mentees.count(pair[0]) == 1 and sum(1 for _, m in model.pinned if m == pair[1]) <= 2:
            assert pair in shown


# The property runs on the studio's model (what the buttons call), so it can try many sequences; the test
# after it drives the widget's buttons through sequences of each kind and checks they reach the same state.
@pytest.mark.slow
@given(PIN_OPERATIONS)
def test_pins_and_bans_stay_consistent_and_the_match_honours_them(operations):
    solver = StandInSolver()
    model = MatchingStudioModel(small_roster(), ProgramDesign.from_template("formal"), solver=solver)
    model.solve()
    _apply_to_model(model, operations)
    assert len(solver.calls) == 1 + len(operations)  # one solve per operation
    _assert_pins_and_bans_honoured(model, solver)


@pytest.mark.slow
@pytest.mark.parametrize("operations", [
    [("pin", "M1", "C"), ("pin", "M2", "C"), ("ban", "M3", "A"), ("pin", "M1", "D"), ("ban", "M1", "C")],
    [("ban", "M1", "A"), ("pin", "M1", "A"), ("clear", "M1", "A"), ("pin", "M4", "B"), ("ban", "M4", "B"),
     ("pin", "M5", "B"), ("pin", "M6", "B"), ("pin", "M7", "B")],
], ids=["a pin moved and banned, a mentee pinned twice", "ban then pin, clear, a mentor pinned three times"])
def test_the_pin_ban_and_clear_buttons_do_what_the_model_does(operations):
    solver = StandInSolver()
    studio = MatchingStudio(small_roster(), ProgramDesign.from_template("formal"), solver=solver)
    for operation, mentee, mentor in operations:
        if operation == "clear":
            studio.clear_button.click()
            continue
        studio.pin_mentee.value, studio.pin_mentor.value = mentee, mentor
        (studio.pin_button if operation == "pin" else studio.ban_button).click()
    assert studio.errors.last_error is None, studio.errors.widget.value
    assert len(solver.calls) == 1 + len(operations)  # each click solved once
    _assert_pins_and_bans_honoured(studio.model, solver)
    model = MatchingStudioModel(small_roster(), ProgramDesign.from_template("formal"), solver=StandInSolver())
    model.solve()
    _apply_to_model(model, operations)
    assert (studio.model.pinned, studio.model.banned) == (model.pinned, model.banned)
    assert studio.result.pairs.equals(model.result.pairs)
    # the table under the buttons lists each pin and ban once
    assert studio.pins_html.value.count("pinned (always matched)") == len(model.pinned)
    assert studio.pins_html.value.count("banned (never matched)") == len(model.banned)


def test_ids_that_are_email_addresses_are_never_shown(design):
    frame = small_roster().participants.copy()
    frame["participant_id"] = frame["email"]
    frame = frame[["participant_id", "name", "role", "department", "seniority", "skills_offered",
                   "skills_sought", "capacity", "email"]]
    from toolkit.roster import Roster

    studio = MatchingStudio(Roster.from_frame(frame), design, solver=solve)
    assert len(studio.result.pairs) == 8
    assert "@" not in studio.pairs_html.value
    assert "Mo Mentee" in studio.pairs_html.value


# -- Adopt this match ------------------------------------------------------------------------------

def _pair_set(frame) -> set:
    return set(zip(frame["mentee_id"].astype(str), frame["mentor_id"].astype(str)))


def _text(widget) -> str:
    import re

    return re.sub(r"<style>.*?</style>", "", widget.value, flags=re.S)


@pytest.fixture
def riverbank_copy(tmp_path):
    """A consultant's own copy of the Riverbank sample (a client folder that may be adopted into)."""
    import shutil

    from toolkit.resources import sample_data_dir

    folder = tmp_path / "riverbank"
    shutil.copytree(sample_data_dir() / "riverbank", folder)
    return folder


@pytest.mark.slow
def test_adopt_writes_the_studios_pinned_and_reweighted_match_as_the_next_round_and_never_twice(riverbank_copy):
    import toolkit as tk
    from toolkit.rounds import current_round, list_rounds

    client = tk.load_client(riverbank_copy)
    plain = tk.match(client.roster(), client.design())
    studio = MatchingStudio.from_client(client)
    assert not studio.adopt_button.disabled and "No match adopted yet" in _text(studio.rounds_html)
    studio.weight_sliders["skills"].value = 0
    mentee = studio.result.pairs["mentee_id"].iloc[0]
    mentor = next(m for m in studio.result.explain(mentee).runners_up["mentor_id"]
                  if m != _mentor_of(studio.result, mentee))
    studio.pin_mentee.value, studio.pin_mentor.value = mentee, mentor
    studio.pin_button.click()
    assert studio.errors.last_error is None, studio.errors.widget.value
    shown = _pair_set(studio.result.pairs)
    assert (mentee, mentor) in shown and shown != _pair_set(plain.pairs)  # not what a plain `match` gives

    studio.adopt_note.value = "skills off, pinned for the sponsor"
    studio.adopt_button.click()
    assert studio.errors.last_error is None, studio.errors.widget.value
    adopted = current_round(riverbank_copy)
    assert adopted is not None and adopted.number == 1
    assert _pair_set(adopted.pairs) == shown  # oracle: the round holds exactly the pairs on screen
    scores = dict(zip(zip(studio.result.pairs["mentee_id"], studio.result.pairs["mentor_id"]),
                      studio.result.pairs["score"]))
    assert all(score == pytest.approx(scores[(a, b)], abs=1e-6)
               for a, b, score in zip(adopted.pairs["mentee_id"], adopted.pairs["mentor_id"], adopted.pairs["score"]))
    assert adopted.note == "matching studio: skills off, pinned for the sponsor"
    assert tk.ProgramDesign.from_yaml(adopted.design_path).criteria["skills"] == 0  # the studio's design is kept
    said = _text(studio.adopt_html)
    assert (f"Adopted as round 1 ({adopted.name}): {len(shown)} pairs. Agreements, introductions and the kit "
            "now use it.") in said
    assert "the programme&#x27;s match" in studio.rounds_html.value and adopted.name in studio.rounds_html.value

    # A second click on the same, unchanged match adds nothing and says so.
    studio.adopt_button.click()
    assert [item.name for item in list_rounds(riverbank_copy)] == [adopted.name]
    assert f"Already adopted as round 1 ({adopted.name})" in _text(studio.adopt_html)

    # A changed match is adopted as round 2; round 1 stays exactly as it was.
    before = (adopted.folder / "pairs.csv").read_bytes()
    studio.clear_button.click()
    assert "has changed since it was adopted" in _text(studio.adopt_html)
    studio.adopt_button.click()
    second = current_round(riverbank_copy)
    assert second.number == 2 and _pair_set(second.pairs) == _pair_set(studio.result.pairs)
    assert (adopted.folder / "pairs.csv").read_bytes() == before
    assert "Adopted as round 2" in _text(studio.adopt_html) and "Round 1 is kept as it was." in _text(studio.adopt_html)
    assert _text(studio.rounds_html).count("<tr>") == 3  # header + two rounds


def test_adopt_is_off_with_the_reason_on_a_bundled_sample_client_and_writes_nothing():
    from toolkit.resources import sample_data_dir

    sample = sample_data_dir() / "riverbank"
    had_matches = (sample / "matches").exists()
    studio = MatchingStudio.from_client(sample / "client.yaml")
    assert studio.adopt_button.disabled and studio.adopt_note.disabled
    assert "Adopt is off: riverbank is a bundled sample client, which is read-only" in _text(studio.adopt_html)
    studio.adopt_button.click()  # a click that reaches the kernel anyway is refused, not obeyed
    assert "read-only" in studio.errors.widget.value and "technical details" not in studio.errors.widget.value
    assert (sample / "matches").exists() == had_matches


def test_adopt_is_off_with_the_reason_when_the_studio_has_no_client_folder(studio):
    assert studio.adopt_button.disabled
    assert "opened without a client folder, so there is nowhere to adopt" in _text(studio.adopt_html)
    studio.adopt_button.click()
    assert "nowhere to adopt" in studio.errors.widget.value
    assert studio.rounds_html.value == ""


def test_a_match_without_any_pair_is_refused_with_the_reason(riverbank_copy, roster, design):
    def no_pairs(roster, design, **kwargs):
        result = solve(roster, design)
        unmatched = pd.DataFrame({"participant_id": roster.ids, "role": None,
                                  "reason": "no eligible mentor under the rules", "suggestion": "relax a rule"})
        return types.SimpleNamespace(**{**vars(result), "pairs": result.pairs.iloc[0:0], "unmatched": unmatched})

    studio = MatchingStudio(roster, design, solver=no_pairs, client=riverbank_copy)
    assert not studio.adopt_button.disabled
    studio.adopt_button.click()
    assert isinstance(studio.errors.last_error, MatchingError)
    assert "This match has no pair, so it was not adopted" in studio.errors.widget.value
    assert "no eligible mentor under the rules" in studio.errors.widget.value
    assert not (riverbank_copy / "matches").exists()


def test_a_toolkit_error_while_adopting_is_shown_as_a_message_not_a_traceback(riverbank_copy):
    (riverbank_copy / "matches").mkdir()
    (riverbank_copy / "matches" / "current.txt").write_text("round-07-2026-01-01\n", encoding="utf-8")
    studio = MatchingStudio.from_client(riverbank_copy)
    studio.errors.clear()
    studio.adopt_button.click()
    shown = studio.errors.widget.value
    assert "names &#x27;round-07-2026-01-01&#x27;, which is not a round folder" in shown
    assert "Traceback" not in shown and "technical details" not in shown
    assert _text(studio.adopt_html) == ""  # no success line
    assert [path.name for path in (riverbank_copy / "matches").iterdir()] == ["current.txt"]


def test_a_folder_without_a_client_yaml_is_refused_when_the_studio_opens(roster, design, tmp_path):
    from toolkit.errors import ToolkitError

    with pytest.raises(ToolkitError):
        MatchingStudio(roster, design, solver=solve, client=tmp_path)


def test_every_button_is_as_wide_as_its_label(studio):
    import ipywidgets as widgets

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    buttons = [widget for widget in walk(studio.view) if isinstance(widget, widgets.Button)]
    assert {button.description for button in buttons} >= {"Back to the design", "Adopt this match", "Pin pair",
                                                           "Clear pins and bans", "Export to Excel"}
    assert [button.description for button in buttons if button.layout.width != "auto"] == []
