"""Programme designs: templates load, validation reports every problem, overrides stay valid."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import toolkit as tk
from toolkit import design as design_module
from toolkit.design.model import ProgramDesign
from toolkit.design.vocabulary import CRITERIA, KINDS
from toolkit.errors import DesignError, ToolkitError

FIXTURES = Path(__file__).parent / "fixtures" / "designs"
TEMPLATE_KINDS = ["formal", "informal", "peer", "reverse", "group", "virtual"]


@pytest.fixture(scope="module")
def formal() -> ProgramDesign:
    return ProgramDesign.from_template("formal")


def problems_of(error: DesignError) -> dict[str, str]:
    """key path -> rendered line, for asserting on what the user reads."""
    return {problem.key: problem.describe() for problem in error.problems}


# ------------------------------------------------------------------------------------------------
# Templates
# ------------------------------------------------------------------------------------------------


def test_the_six_programme_kinds_are_available_as_templates():
    assert ProgramDesign.kinds()[:6] == TEMPLATE_KINDS
    assert list(KINDS) == TEMPLATE_KINDS


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_every_template_loads_and_round_trips_through_plain_data_and_yaml(kind, tmp_path):
    loaded = ProgramDesign.from_template(kind)
    assert loaded.kind == kind
    assert ProgramDesign.from_dict(loaded.to_dict()) == loaded
    written = tmp_path / f"{kind}_copy.yaml"
    loaded.to_yaml(written)
    assert ProgramDesign.from_yaml(written) == loaded
    assert ProgramDesign.from_dict(yaml.safe_load(loaded.to_yaml())) == loaded


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_every_template_teaches_at_least_four_benefits_and_four_challenges(kind):
    rationale = ProgramDesign.from_template(kind).rationale
    assert len(rationale.benefits) >= 4
    assert len(rationale.challenges) >= 4
    assert len(set(rationale.benefits + rationale.challenges)) == len(rationale.benefits + rationale.challenges)
    assert rationale.when_to_use


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_every_template_uses_exactly_the_reference_keys_of_formal(kind):
    reference = yaml.safe_load((design_module.programs_dir() / "formal.yaml").read_text(encoding="utf-8"))
    template = yaml.safe_load((design_module.programs_dir() / f"{kind}.yaml").read_text(encoding="utf-8"))

    def keys(data, prefix=""):
        found = set()
        for key, value in data.items():
            found.add(prefix + key)
            if isinstance(value, dict) and key not in ("circles",):
                found |= keys(value, prefix + key + ".")
        return found

    assert keys(template) == keys(reference)


def test_templates_carry_the_settings_that_define_their_kind():
    informal, peer, reverse, group, virtual = (ProgramDesign.from_template(kind) for kind in TEMPLATE_KINDS[1:])
    assert informal.objective == "max_total" and not informal.rules.exclude_same_team
    assert informal.criteria.active()[0] == "preferences"
    assert peer.shape == "peer_pairs" and peer.seniority.direction == "similar" and peer.seniority.max_gap == 1
    assert peer.cadence.meetings_per_month == 2 and peer.cadence.meeting_minutes == 45
    assert peer.criteria.active()[0] == "cross_department" and peer.objective == "max_participation"
    assert reverse.seniority.direction == "mentee_senior" and reverse.seniority.min_gap == 2
    assert reverse.criteria.active()[0] == "skills" and reverse.rules.exclude_reporting_line
    assert "power" in " ".join(reverse.rationale.challenges).lower()
    assert group.shape == "circles" and group.circles is not None
    assert (group.circles.min_size, group.circles.max_size, group.circles.facilitators_per_circle) == (4, 6, 1)
    assert group.circles.balance == ("department", "site", "seniority")
    assert (group.cadence.meeting_minutes, group.objective) == (90, "max_participation")
    assert virtual.rules.max_timezone_difference_hours == 6 and virtual.rules.min_availability_overlap_hours == 1
    assert virtual.criteria["timezone"] > 0 and virtual.criteria["availability"] > 0
    assert all(ProgramDesign.from_template(kind).duration_months == 6 for kind in TEMPLATE_KINDS[1:])


def test_attributes_are_typed_and_immutable(formal):
    assert formal.criteria["skills"] == 4.0 and isinstance(formal.criteria["skills"], float)
    assert set(CRITERIA) <= set(formal.criteria)
    assert formal.capacity.default == 1 and formal.capacity.max == 3
    assert formal.cadence.review_points_months == (1, 3, 6, 9)
    assert formal.agreement.goals_per_mentee.min == 1 and formal.agreement.goals_per_mentee.max == 3
    assert formal.start_date is None and formal.source.endswith("formal.yaml")
    with pytest.raises(AttributeError):
        formal.duration_months = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        formal.criteria["skills"] = 9  # type: ignore[index]
    assert hash(formal) == hash(ProgramDesign.from_dict(formal.to_dict()))


def test_unknown_template_suggests_the_nearest_kind_and_lists_all_six():
    with pytest.raises(DesignError) as caught:
        ProgramDesign.from_template("formall")
    message = str(caught.value)
    assert 'Did you mean "formal"?' in message
    for kind in TEMPLATE_KINDS:
        assert f'"{kind}"' in message


def test_templates_folder_can_be_moved_with_an_environment_variable(tmp_path, monkeypatch):
    (tmp_path / "programs").mkdir()
    source = design_module.programs_dir() / "peer.yaml"
    (tmp_path / "programs" / "buddy.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv(design_module.TEMPLATES_ENV, str(tmp_path))
    assert design_module.templates_dir() == tmp_path
    assert ProgramDesign.kinds() == ["buddy"]
    assert ProgramDesign.from_template("buddy").shape == "peer_pairs"
    monkeypatch.setenv(design_module.TEMPLATES_ENV, str(tmp_path / "missing"))
    with pytest.raises(ToolkitError, match=design_module.TEMPLATES_ENV):
        design_module.templates_dir()


# ------------------------------------------------------------------------------------------------
# Validation: one error, every problem, each located
# ------------------------------------------------------------------------------------------------


def test_misspelt_keys_at_every_level_are_reported_together_with_suggestions():
    with pytest.raises(DesignError) as caught:
        ProgramDesign.from_yaml(FIXTURES / "unknown_keys.yaml")
    lines = problems_of(caught.value)
    expected = {
        "cadance": "cadence",
        "criteria.skils": "skills",
        "criteria.seniority.wieght": "weight",
        "rules.exclude_same_teem": "exclude_same_team",
        "quotas[0].atribute": "attribute",
        "fairness.attributes[0]": "department",
    }
    assert set(lines) == set(expected)  # the typo is the one problem: no echo as a "missing" key
    for key, suggestion in expected.items():
        assert f'Did you mean "{suggestion}"?' in lines[key]
        assert lines[key].startswith("unknown_keys.yaml, line ")
    message = str(caught.value)
    assert 'criteria.skils: unknown criterion "skils". Did you mean "skills"?' in message
    assert "unknown_keys.yaml, line 21, criteria.skils" in message  # the YAML line of the typo


def test_bad_values_are_all_reported_with_key_path_and_value():
    with pytest.raises(DesignError) as caught:
        ProgramDesign.from_yaml(FIXTURES / "bad_values.yaml")
    lines = problems_of(caught.value)
    assert set(lines) == {
        "cadence.review_points_months[2]", "mentee_demand", "capacity.default", "circles",
        "seniority.direction", "seniority.min_gap", "criteria.skills.weight", "criteria.goals.weight",
        "criteria.seniority.weight", "criteria.gender.weight", "rules.exclude_own_manager", "objective",
        "quotas[0].min_matched", "fairness.attributes[1]",
    }
    assert "value '12'" in lines["criteria.skills.weight"] and "between 0 and 10" in lines["criteria.skills.weight"]
    assert "value '-1'" in lines["criteria.goals.weight"]
    assert "not text" in lines["criteria.seniority.weight"]
    assert '"max_participation"' in lines["objective"]  # allowed values listed
    assert '"mentor_senior"' in lines["seniority.direction"]
    assert "use_demographics_in_scores" in lines["criteria.gender.weight"]
    assert "duration_months is 6" in lines["cadence.review_points_months[2]"]
    # Problems come in file order, so the message reads like the file.
    rows = [problem.line for problem in caught.value.problems]
    assert rows == sorted(rows)


def test_invalid_yaml_names_the_line():
    with pytest.raises(DesignError) as caught:
        ProgramDesign.from_yaml(FIXTURES / "not_yaml.yaml")
    assert caught.value.problems[0].line == 5
    assert "not valid YAML" in str(caught.value)


def test_a_key_given_twice_is_refused_rather_than_silently_overwritten():
    with pytest.raises(DesignError) as caught:
        ProgramDesign.from_yaml(FIXTURES / "duplicate_keys.yaml")
    assert "line 4, duration_months" in str(caught.value) and "first on line 3" in str(caught.value)


def test_missing_file_is_a_design_error_naming_the_path(tmp_path):
    with pytest.raises(DesignError, match="does not exist"):
        ProgramDesign.from_yaml(tmp_path / "nowhere.yaml")


def test_a_misspelt_optional_key_is_reported_once(formal):
    data = formal.to_dict()
    data["qoutas"] = data.pop("quotas")
    data["start_dat"] = "2026-01-12"
    with pytest.raises(DesignError) as caught:
        ProgramDesign.from_dict(data)
    lines = problems_of(caught.value)
    assert set(lines) == {"qoutas", "start_dat"}
    assert 'Did you mean "quotas"?' in lines["qoutas"] and 'Did you mean "start_date"?' in lines["start_dat"]


def test_missing_required_keys_are_each_named(formal):
    data = formal.to_dict()
    del data["cadence"]["meeting_minutes"], data["objective"]
    with pytest.raises(DesignError) as caught:
        ProgramDesign.from_dict(data, source="client_design.yaml")
    lines = problems_of(caught.value)
    assert set(lines) == {"cadence.meeting_minutes", "objective"}
    assert all("missing required key" in line and line.startswith("client_design.yaml") for line in lines.values())


@pytest.mark.parametrize(
    ("changes", "key", "words"),
    [
        ({"seniority": {"min_gap": -1}}, "seniority.min_gap", "between 0 and 10"),
        ({"seniority": {"ideal_gap": 9}}, "seniority.ideal_gap", "between min_gap"),
        ({"shape": "circles"}, "circles", "no circle sizes"),
        ({"shape": "peer_pairs"}, "seniority.direction", '"similar"'),
        ({"duration_months": 40}, "duration_months", "between 1 and 36"),
        ({"duration_months": 3}, "cadence.review_points_months[2]", "after the programme ends"),
        ({"mentee_demand": 0}, "mentee_demand", "between 1 and 5"),
        ({"capacity": {"default": 5}}, "capacity.default", "above the maximum"),
        ({"rules": {"min_score": 100}}, "rules.min_score", "sum of the weights"),
        ({"rules": {"max_timezone_difference_hours": "5h"}}, "rules.max_timezone_difference_hours", "number"),
        ({"fairness": {"attributes": ["department", "favourite_colour"]}}, "fairness.attributes[1]",
         "not a participant field"),
        ({"fairness": {"attributes": ["name"]}}, "fairness.attributes[0]", "cannot group people"),
        ({"quotas": [{"attribute": "department", "value": "Finance", "min_matched": 0}]},
         "quotas[0].min_matched", "at least 1"),
        ({"quotas": [{"attribute": "shoe_size", "value": 9, "min_matched": 1}]}, "quotas[0].attribute",
         "not a participant field"),
        ({"criteria": {"ethnicity": {"weight": 1}}}, "criteria.ethnicity.weight", "demographic"),
        ({"end_date": "2026-01-01", "start_date": "2026-06-01"}, "end_date", "not after the start"),
        ({"start_date": "next spring"}, "start_date", "YYYY-MM-DD"),
        ({"cadence": {"review_points_months": [3, 1]}}, "cadence.review_points_months", "increasing order"),
        ({"agreement": {"goals_per_mentee": {"min": 4, "max": 2}}}, "agreement.goals_per_mentee.min", "above max"),
    ],
)
def test_each_rule_of_a_valid_design_is_enforced(formal, changes, key, words):
    with pytest.raises(DesignError) as caught:
        formal.override(changes)
    lines = problems_of(caught.value)
    assert key in lines, lines
    assert words in lines[key]


def test_circle_settings_are_checked_for_shape_and_size(formal):
    group = ProgramDesign.from_template("group")
    with pytest.raises(DesignError, match="min_size"):
        group.override({"circles": {"min_size": 7}})
    with pytest.raises(DesignError, match="between 2 and 30"):
        group.override({"circles": {"min_size": 1}})
    with pytest.raises(DesignError, match="circles are set but shape"):
        formal.override({"circles": {"min_size": 4, "max_size": 6, "facilitators_per_circle": 1, "balance": []}})


def test_all_weights_zero_is_refused_because_nothing_would_be_optimised(formal):
    with pytest.raises(DesignError, match="nothing to optimise"):
        formal.override({"criteria": dict.fromkeys(CRITERIA, 0)})


def test_demographic_criteria_are_allowed_only_after_an_explicit_decision(formal):
    allowed = formal.override({"criteria": {"gender": {"weight": 1}},
                               "fairness": {"use_demographics_in_scores": True}})
    assert allowed.criteria["gender"] == 1
    assert "gender" not in formal.criteria  # absent unless given, so scoring can rely on CRITERIA


# ------------------------------------------------------------------------------------------------
# Overrides and scenarios
# ------------------------------------------------------------------------------------------------


def test_overrides_deep_merge_nested_keys_and_leave_the_original_unchanged(formal):
    changed = formal.override({"criteria": {"skills": {"weight": 6}}, "rules": {"exclude_same_team": False}})
    assert changed.criteria["skills"] == 6 and changed.criteria["preferences"] == 3
    assert changed.rules.exclude_same_team is False and changed.rules.exclude_own_manager is True
    assert formal.criteria["skills"] == 4 and formal.rules.exclude_same_team is True
    assert changed is not formal and changed.source == formal.source


def test_override_shorthands_give_the_same_design(formal):
    nested = formal.override({"criteria": {"skills": {"weight": 6}}})
    assert formal.override({"criteria": {"skills": 6}}) == nested
    assert formal.override({"criteria.skills.weight": 6}) == nested
    assert formal.with_overrides(criteria={"skills": {"weight": 6}}) == nested


def test_an_invalid_override_raises_and_names_the_override(formal):
    with pytest.raises(DesignError) as caught:
        formal.override({"criteria": {"skils": {"weight": 6}}})
    assert 'formal.yaml (override), criteria.skils: unknown criterion "skils". Did you mean "skills"?' in str(
        caught.value)


def test_client_name_and_dates_come_in_as_overrides(formal):
    client = formal.override({"name": "Northwind Rising Stars", "start_date": dt.date(2026, 1, 12)})
    assert client.name == "Northwind Rising Stars"
    assert client.start_date == dt.date(2026, 1, 12) and client.end_date is None
    assert client.planned_end_date == dt.date(2026, 10, 12)
    assert client.review_dates()[0] == dt.date(2026, 2, 12)
    assert ProgramDesign.from_dict(client.to_dict()) == client
    assert formal.override({"start_date": "2026-01-12"}).start_date == dt.date(2026, 1, 12)


def test_diff_lists_exactly_the_changed_keys(formal):
    scenario = formal.override({"criteria": {"skills": {"weight": 6}}, "rules": {"exclude_same_team": False},
                                "start_date": "2026-01-12"})
    changes = {change.key: (change.before, change.after) for change in formal.diff(scenario)}
    assert changes == {
        "criteria.skills.weight": (4, 6),
        "rules.exclude_same_team": (True, False),
        "start_date": (None, "2026-01-12"),
    }
    assert formal.diff(formal) == []


# ------------------------------------------------------------------------------------------------
# Words
# ------------------------------------------------------------------------------------------------


def test_describe_states_duration_cadence_and_the_heaviest_criterion(formal):
    text = formal.describe()
    assert text.startswith("Formal one-to-one mentoring for 9 months, meeting monthly for 60 minutes.")
    assert "Matching weighs skills most (4)" in text
    assert "Never matched: own manager, anyone in the reporting line, same team" in text
    assert "Objective: match as many people as possible, then maximise total fit." in text


def test_describe_follows_the_data_when_weights_and_cadence_change(formal):
    scenario = formal.override({"criteria": {"goals": {"weight": 7}}, "duration_months": 12,
                                "cadence": {"meetings_per_month": 2, "meeting_minutes": 45}})
    text = scenario.describe()
    assert "for 12 months, meeting twice a month for 45 minutes" in text
    assert "Matching weighs goals most (7), then skills (4)" in text
    tied = formal.override({"criteria": {"preferences": {"weight": 4}}}).describe()
    assert "Matching weighs skills and preferences most (4 each)" in tied


def test_describe_fits_each_shape():
    assert "circles of 4–6 members" in ProgramDesign.from_template("group").describe()
    assert "Partners are at most 1 level apart" in ProgramDesign.from_template("peer").describe()
    assert "at least 2 levels junior to their mentees" in ProgramDesign.from_template("reverse").describe()
    virtual = ProgramDesign.from_template("virtual").describe()
    assert "at most 6 hours apart in time zone" in virtual and "1 hour of weekly availability" in virtual


def test_rationale_and_notebook_displays_show_the_teaching_content(formal):
    markdown = formal.rationale_markdown()
    assert markdown.startswith("### Formal one-to-one mentoring")
    assert markdown.count("\n- ") == len(formal.rationale.benefits) + len(formal.rationale.challenges)
    assert formal.describe() in formal._repr_markdown_()
    assert "<li>" in formal._repr_html_() and "Rationale" in formal._repr_html_()


def test_package_exports_program_design():
    assert tk.ProgramDesign is ProgramDesign


# ------------------------------------------------------------------------------------------------
# Invariants
# ------------------------------------------------------------------------------------------------

_criterion = st.sampled_from(list(CRITERIA))


@given(weights=st.dictionaries(_criterion, st.floats(min_value=0, max_value=10), min_size=1))
def test_any_weights_within_zero_to_ten_validate(formal, weights):
    weights.setdefault("skills", 1.0)  # keep at least one weight above zero
    if not any(weights.values()):
        weights["skills"] = 1.0
    changed = formal.override({"criteria": {name: {"weight": weight} for name, weight in weights.items()}})
    for name, weight in weights.items():
        assert changed.criteria[name] == weight
    assert ProgramDesign.from_dict(changed.to_dict()) == changed


_out_of_range = st.one_of(
    st.floats(max_value=0, exclude_max=True, allow_nan=False),
    st.floats(min_value=10, exclude_min=True),
    st.just(math.nan),
    st.integers(max_value=-1),
    st.integers(min_value=11),
)


@given(name=_criterion, weight=_out_of_range)
def test_any_weight_outside_zero_to_ten_is_refused_and_named(formal, name, weight):
    with pytest.raises(DesignError) as caught:
        formal.override({"criteria": {name: {"weight": weight}}})
    assert [problem.key for problem in caught.value.problems] == [f"criteria.{name}.weight"]
