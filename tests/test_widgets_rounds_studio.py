"""The rounds studio: driven like a user would, by setting values and clicking buttons."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from strategies import random_roster

from toolkit.design import ProgramDesign
from toolkit.matching.engine import match
from toolkit.roster import Roster
from toolkit.widgets.rounds_studio import RoundsModel, RoundsStudio

FORMAL = ProgramDesign.from_template("formal")
FIXTURES = Path(__file__).parent / "fixtures" / "choices"


def _three_by_three() -> Roster:
    rows = [{"participant_id": f"S00{i}", "name": f"Person {i}", "role": "mentee", "department": "Ops",
             "seniority": 1, "skills_sought": ("SQL",)} for i in range(3)]
    rows += [{"participant_id": f"T00{j}", "name": f"Person {j}", "role": "mentor", "department": "Sales",
              "seniority": 5, "skills_offered": ("SQL",), "capacity": 1} for j in range(3, 6)]
    return Roster.from_frame(pd.DataFrame(rows))


def test_the_model_never_imports_ipywidgets():
    import toolkit.widgets.rounds_studio as module

    assert "ipywidgets" not in {name.split(".")[0] for name in vars(module) if not name.startswith("_")}
    model = RoundsModel(_three_by_three(), FORMAL)
    model.make_shortlists()
    assert model.mentee == "S000" and "Option 1" in model.card_html()


def test_shortlists_then_a_mentee_card_then_matching_on_the_returned_form():
    app = RoundsStudio(_three_by_three(), FORMAL)
    app.k.value = 2
    app.make.click()
    assert app.errors.last_error is None
    assert app.model.listed.k == 2 and len(app.mentee.options) == 3
    app.mentee.value = "S002"
    assert "Person 2" in app.card.value and "@" not in app.card.value
    app.path.value = str(FIXTURES / "choices_form_returned.csv")
    app.read.click()
    app.match.click()
    assert app.errors.last_error is None
    assert "1 of 3 mentees who ranked got their first choice" in app.shares.value


def test_a_bad_choices_form_shows_its_rows_in_the_app_and_nothing_is_lost():
    app = RoundsStudio(_three_by_three(), FORMAL)
    app.path.value = str(FIXTURES / "choices_form_with_bad_rows.csv")
    app.read.click()
    assert app.errors.last_error is not None and "first in row 11" in app.errors.widget.value


def test_the_rematch_tab_keeps_the_active_pairs():
    roster = random_roster(5, 12, 5)
    first = match(roster, FORMAL).pairs[["mentee_id", "mentor_id"]]
    active, ended = first.iloc[: len(first) // 2], first.iloc[len(first) // 2:]
    app = RoundsStudio(roster, FORMAL, active=active, ended=ended)
    app.rematch.click()
    assert app.errors.last_error is None
    assert f"{len(active)} active pairs kept" in app.new_pairs.value
