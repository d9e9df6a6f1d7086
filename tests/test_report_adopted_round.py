"""The matching report describes the programme's adopted match, so it names the pairs the papers name.

Before anything is adopted it proposes the match ``match`` would adopt, and says so; after a round is
adopted (by ``match``, ``rematch`` or the studio, possibly with pins and bans) it shows that round, not
a fresh solve; people who joined after the round are listed as not matched, never silently left out.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import toolkit as tk
from toolkit import cli, rounds
from toolkit.client import load_client
from toolkit.reports.matching_sections import (
    match_result,
    matching_summary,
    pairs_section,
    recruiting_advice,
    unmatched_section,
)

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def _pairs(frame) -> set[tuple[str, str]]:
    return set(zip(frame["mentee_id"].astype(str), frame["mentor_id"].astype(str)))


@pytest.fixture()
def northwind_copy(tmp_path) -> Path:
    folder = tmp_path / "northwind"
    shutil.copytree(SAMPLES / "northwind", folder)
    return folder


def _adopt_with_bans(folder: Path) -> tuple[rounds.Round, set[tuple[str, str]]]:
    """Adopt a match that bans three of the proposed pairs (as a consultant might in the studio)."""
    config = load_client(folder)
    proposed = rounds.client_match(config)
    banned = list(_pairs(proposed.pairs))[:3]
    edited = rounds.client_match(config, forbidden=banned)
    assert _pairs(edited.pairs) != _pairs(proposed.pairs) and not set(banned) & _pairs(edited.pairs)
    return rounds.adopt(config, edited, note="three pairs banned in the studio"), _pairs(proposed.pairs)


@pytest.mark.slow
def test_before_any_round_the_report_proposes_the_match_and_says_nothing_is_adopted(northwind_copy):
    report = tk.reports.prepare(northwind_copy / "client.yaml")
    result = match_result(report)
    assert report.adopted_round is None
    config = load_client(northwind_copy)
    away = tk.programme_state(config).unavailable()  # the match command leaves out who has left by today
    assert _pairs(result.pairs) == _pairs(rounds.client_match(config, away=away).pairs)
    summary = repr(matching_summary(report))
    assert "proposed: nothing is adopted yet" in summary and "Approve the proposed pairs" in summary
    assert "the match command" not in summary  # leadership reads this page: no command lines
    assert f"{len(result.pairs)} proposed pairs" in repr(pairs_section(report))


@pytest.mark.slow
def test_after_adopting_the_report_shows_the_adopted_round_not_a_fresh_solve(northwind_copy):
    adopted, proposed = _adopt_with_bans(northwind_copy)
    report = tk.reports.prepare(northwind_copy / "client.yaml")
    result = match_result(report)
    assert report.adopted_round.number == adopted.number == 1
    assert _pairs(result.pairs) == _pairs(adopted.pairs) != proposed
    summary = repr(matching_summary(report))
    assert "adopted pairs: round 1" in summary
    assert "three pairs banned in the studio" not in summary  # the note is for the programme team only
    assert "has changed since" not in summary
    assert f"{len(adopted.pairs)} adopted (round 1) pairs" in repr(pairs_section(report))
    # the dual prices are not kept with a round: the advice on extra places still comes (from today's match)
    assert "One more place with" in repr(recruiting_advice(report))


@pytest.mark.slow
def test_a_later_round_is_the_one_shown(northwind_copy):
    first, _ = _adopt_with_bans(northwind_copy)
    config = load_client(northwind_copy)
    second = rounds.adopt(config, rounds.client_match(config), note="matched again")
    report = tk.reports.prepare(northwind_copy / "client.yaml")
    assert _pairs(match_result(report).pairs) == _pairs(second.pairs) != _pairs(first.pairs)
    assert "round 2" in repr(matching_summary(report))


@pytest.mark.slow
def test_someone_who_joined_after_the_round_is_listed_as_not_matched_with_the_reason(northwind_copy):
    _adopt_with_bans(northwind_copy)
    roster_file = northwind_copy / "participants.csv"
    lines = roster_file.read_text(encoding="utf-8-sig").splitlines()
    mentee = next(line for line in lines[1:] if ",Mentee," in line)
    newcomer = "E99999,Nadia Late-Joiner,nadia.late@northwind.example," + mentee.split(",", 3)[3]
    roster_file.write_text("\n".join([*lines, newcomer]) + "\n", encoding="utf-8")
    report = tk.reports.prepare(northwind_copy / "client.yaml")
    unmatched = match_result(report).unmatched.set_index("participant_id")
    assert unmatched.loc["E99999", "reason"].startswith("joined after round 1 was adopted")
    shown = repr(unmatched_section(report))
    assert "joined after round 1 was adopted" in shown and "Nadia Late-Joiner" not in shown  # names: the workbook
    workbook = northwind_copy / "team.xlsx"
    assert "team.xlsx" in repr(tk.reports.team_workbook(report, str(workbook)))
    import pandas as pd

    assert "Nadia Late-Joiner" in set(pd.read_excel(workbook, sheet_name="not matched")["name"])


@pytest.mark.slow
def test_a_design_changed_since_the_round_is_pointed_out(northwind_copy):
    _adopt_with_bans(northwind_copy)
    client = northwind_copy / "client.yaml"
    client.write_text(client.read_text(encoding="utf-8").replace(
        "name: Northwind Mentoring Programme 2026", "name: Northwind Mentoring Programme 2027"), encoding="utf-8")
    report = tk.reports.prepare(client)
    assert "has changed since round 1 was adopted" in repr(matching_summary(report))


@pytest.mark.slow
def test_match_says_what_changed_since_the_round_before(northwind_copy, capsys):
    client = str(northwind_copy / "client.yaml")
    assert cli.main(["match", "--client", client, "--quiet", "--note", "After Hannah asked"]) == 0
    assert "compared with round" not in capsys.readouterr().out  # round 1: nothing to compare with
    assert cli.main(["match", "--client", client, "--quiet"]) == 0
    assert "the same pairs as round 1" in capsys.readouterr().out
    first, second = rounds.list_rounds(northwind_copy)
    banned = list(_pairs(second.pairs))[:2]
    third = rounds.adopt(northwind_copy, rounds.client_match(load_client(northwind_copy), forbidden=banned))
    changes = rounds.round_changes(second, third)
    kept = len(_pairs(second.pairs) & _pairs(third.pairs))
    assert changes == (f"compared with round 2: {kept} pairs the same, {len(third.pairs) - kept} new, "
                       f"{len(second.pairs) - kept} no longer paired")
    report = tk.reports.prepare(northwind_copy / "client.yaml")
    assert "After Hannah" not in repr(matching_summary(report))
