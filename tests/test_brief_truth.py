"""The leadership brief and the agreements state only what the match applied.

Fixture: tests/fixtures/brief_truth, a new client's first sign-up (formal template) with departments,
sites, grades, skills and meeting preferences, and nothing else: no team column, no line managers or
org chart, no languages, time zones, goals or ranked choices. The formal design switches on the
same-team, reporting-line and shared-language rules and weighs goals and preferences: none of them can
act on this sign-up, so neither document may claim them. Three of the five pairs share a department.
"""

from __future__ import annotations

import html as html_module
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk
from toolkit import goals, kit, rounds
from toolkit.client import load_client
from toolkit.design.vocabulary import CRITERION_LABELS, HARD_RULES
from toolkit.goals.agreements import purpose_for
from toolkit.matching.scoring import applied

FIXTURE = Path(__file__).parent / "fixtures" / "brief_truth"
ELSEWHERE = "from another part of the organisation"


def _client(tmp_path: Path, *, overrides: str = "", team: bool = False):
    """The fixture client in a scratch folder, optionally with design overrides or a team column."""
    folder = tmp_path / "harbour"
    shutil.copytree(FIXTURE, folder)
    if overrides:
        text = (folder / "client.yaml").read_text(encoding="utf-8")
        text = text.replace("  end_date: 2027-09-30\n", "  end_date: 2027-09-30\n  overrides:\n" + overrides)
        (folder / "client.yaml").write_text(text, encoding="utf-8")
    if team:
        signups = pd.read_csv(folder / "harbour_signups.csv", dtype=str, keep_default_na=False)
        signups.insert(4, "Which team are you in?", ["Line 1", "Payroll", "Audit", "Line 1", "Line 2", "Payroll",
                                                      "Key accounts", "Audit"])
        signups.to_csv(folder / "harbour_signups.csv", index=False)
    return load_client(folder / "client.yaml")


def _items(page: str) -> list[str]:
    return [html_module.unescape(re.sub(r"<[^>]+>", "", item)).strip()
            for item in re.findall(r"<li>(.*?)</li>", page, re.S)]


def _weighs(items: list[str]) -> str:
    return next(item for item in items if item.startswith("Matching weighs"))


def _check_brief_states_exactly_what_was_applied(config) -> str:
    roster, design = config.roster(), config.design()
    used = applied(roster, design)
    page = html_module.unescape(kit.leadership_brief(config))
    items = _items(kit.leadership_brief(config))
    for rule in HARD_RULES:
        if not rule.states:
            continue
        statement = kit.rule_statement(rule, design)
        assert (statement in page) == (rule.name in used.rules), (rule.name, statement)
    weighs = _weighs(items).split(";")[0]
    for name in design.criteria.active():
        label = CRITERION_LABELS[name]
        assert (re.search(rf"\b{re.escape(label)}\b", weighs) is not None) == (name in used.criteria), (name, weighs)
    return page


def test_the_brief_claims_no_rule_or_criterion_that_lacked_data(tmp_path):
    config = _client(tmp_path)
    page = _check_brief_states_exactly_what_was_applied(config)
    used = applied(config.roster(), config.design())
    assert used.rules == ("seniority",)
    assert set(used.criteria) == {"skills", "seniority", "cross_department", "meeting_mode"}
    assert "pairs come from different teams" not in page and "their own manager" not in page.split("not checked")[0]
    assert "every mentor is 1 to 5 levels above their mentee" in page
    # What was switched on or weighted but had no data is named as such, not left to be assumed.
    assert "the own-manager and reporting-line rules (no line manager or org chart given)" in page
    assert "the same-team rule (no team given)" in page
    assert re.search(r"also weighs [^.]*goals[^.]*played no part", page)
    assert ELSEWHERE not in page  # the purpose's cross-department clause: not every pair is


def test_the_brief_states_the_rules_that_had_data_and_were_on(tmp_path):
    config = _client(tmp_path, team=True, overrides="    rules:\n      exclude_same_department: true\n")
    page = _check_brief_states_exactly_what_was_applied(config)
    assert "pairs come from different teams" in page and "pairs come from different departments" in page
    assert ELSEWHERE in page  # every pair is cross-department now, so the purpose may say so


def test_the_brief_says_no_criterion_it_did_not_weigh(tmp_path):
    config = _client(tmp_path, overrides="    criteria:\n      cross_department: {weight: 0}\n")
    _check_brief_states_exactly_what_was_applied(config)
    assert "cross-department" not in _weighs(_items(kit.leadership_brief(config)))


def test_each_agreement_says_another_part_of_the_organisation_only_for_a_cross_department_pair(tmp_path):
    config = _client(tmp_path)
    roster = config.roster()
    result = tk.match(roster, config.design())
    department = roster.participants.set_index("participant_id")["department"]
    across = 0
    for pair in result.pairs.itertuples():
        different = department[pair.mentee_id] != department[pair.mentor_id]
        across += different
        for form in ("markdown", "html"):
            text = goals.agreement(result, (pair.mentee_id, pair.mentor_id), format=form)
            assert (ELSEWHERE in text) == different, (pair.mentee_id, pair.mentor_id, form)
            assert "experienced colleague" in text
    assert 0 < across < len(result.pairs)  # both kinds of pair are checked


@pytest.mark.parametrize("purpose, departments, kept", [
    ("Talks with an experienced colleague from another part of the organisation.", ("Ops", "HR"), True),
    ("Talks with an experienced colleague from another part of the organisation.", ("Ops", " ops "), False),
    ("Talks with an experienced colleague from another part of the organisation.", ("Ops", None), False),
    ("Video talks with an experienced colleague elsewhere in the organisation.", ("Ops", "Ops"), False),
])
def test_the_purpose_keeps_the_cross_department_clause_only_when_it_is_true(purpose, departments, kept):
    text = purpose_for(purpose, departments)
    assert text.startswith(("Talks with an experienced colleague", "Video talks"))
    assert text.endswith("organisation." if kept else "colleague.")


@pytest.mark.slow
def test_introductions_say_why_in_words_for_the_two_people():
    config = load_client(Path(__file__).resolve().parents[1] / "sample_data" / "northwind")
    bodies = kit.introduction_messages(config, pairs=rounds.client_match(config))["body"]
    assert bodies.str.contains("Why you were matched: ").any() and bodies.str.contains(" can help with ").any()
    assert not bodies.str.contains(r"sought\)|You have in common|offers ", regex=True).any()
