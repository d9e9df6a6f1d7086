"""Grade ladders: the ladder the toolkit suggests is right when pasted, and no title whose rank depends on
the sector is ranked without asking.

Before: the suggestion was in order of first appearance, with spelling variants ("Band 8A", "band 8a") as
separate steps and "Prefer not to say" on it; pasted, it was refused, and with the duplicates removed it gave
a wrong "certified optimal" match. A bank's export (Analyst < Associate < VP < Director < MD) validated on
the built-in ladder, which put VP above Director. Now the suggestion groups spellings, puts codes in their
natural order, leaves non-answers out and pastes as printed; sector titles stop with a question that names
the fitting preset (``seniority: {preset: banking}``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.cli import main
from toolkit.client import load_client, seniority_order_problems
from toolkit.errors import ConfigError, IntakeError
from toolkit.intake.answers import Reading, read_levels
from toolkit.intake.ladders import (
    PRESET_NAMES,
    SECTOR_DEPENDENT,
    fitting_presets,
    grade_key,
    load_preset,
    presets,
)
from toolkit.intake.questions import Answer, ladder_order, ladder_yaml, seniority_lines
from toolkit.intake.schema import SENIORITY_LADDER
from toolkit.matching.engine import match

HARBOUR = Path(__file__).parent / "fixtures" / "harbour"
LADDERS = Path(__file__).parent / "fixtures" / "ladders"

_GRADE = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters=" -/&'\""),
                 min_size=1, max_size=14).map(str.strip).filter(grade_key)


def _sign(a: float, b: float) -> int:
    return (a > b) - (a < b)


def _spellings(grade: str) -> st.SearchStrategy[str]:
    """Ways people write one grade: case, spacing, punctuation; VP for Vice President."""
    # Case variants that Unicode case folding calls the same ("ı" upper-cases to "I", another letter).
    options = [grade, *(variant for variant in (grade.upper(), grade.lower()) if variant.casefold() == grade.casefold()),
               "  ".join(grade.split()), grade.replace(" ", "-") + " "]
    if "Vice President" in grade:
        options.append(grade.replace("Vice President", "VP"))
    return st.sampled_from(options)


@st.composite
def ladders(draw):
    """Distinct grades with levels (ties on purpose, some grades not read at all), each written in several
    ways, and the non-answers some people gave instead."""
    grades = draw(st.lists(st.one_of(_GRADE, st.sampled_from(["Band 8a", "Band 9", "Vice President", "Grade 7"])),
                           min_size=1, max_size=10, unique_by=grade_key))
    levels = draw(st.lists(st.one_of(st.sampled_from([1, 2, 2, 3, 3.5, 4, 5, 5.5, 6, 8.1, 8.2]), st.none()),
                           min_size=len(grades), max_size=len(grades)))
    written = {grade: draw(st.lists(_spellings(grade), min_size=1, max_size=3)) for grade in grades}
    return list(zip(grades, levels)), written


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(ladders())
def test_a_pasted_suggestion_keeps_every_place_every_tie_and_every_spelling(drawn):
    ladder, written = drawn
    answers = [(spelling, level) for grade, level in ladder for spelling in written[grade]]
    printed = "order: " + ladder_yaml(ladder_order(answers))
    order = yaml.safe_load(printed)["order"]  # pasted into client.yaml exactly as printed
    assert seniority_order_problems(order, Path("client.yaml")) == []
    steps = [grade for step in order for grade in (step if isinstance(step, list) else [step])]
    assert len(steps) == len(ladder)  # one step per grade, however many ways it was written
    read = read_levels([spelling for spelling, _ in answers] + ["Prefer not to say"], order=order)
    known = [(grade, level) for grade, level in ladder if level is not None]
    for grade, level in known:
        for other, other_level in known:
            for spelling in written[grade]:
                assert _sign(read[spelling].value, read[written[other][0]].value) == _sign(level, other_level)
    for grade, level in ladder:
        assert all(read[spelling].sure for spelling in written[grade])
        if level is None:  # grades read as nothing before come after every level read before, on the ladder
            assert all(read[written[grade][0]].value > read[written[other][0]].value for other, _ in known)
    # Levels that were already 1, 2, 3 ... come back exactly.
    distinct = sorted({level for _, level in known})
    if distinct == list(range(1, len(distinct) + 1)):
        assert all(read[written[grade][0]].value == level for grade, level in known)
    # Printing the ladder read with it gives it back: pasting again changes nothing.
    again = ladder_order((spelling, read[spelling].value) for spelling, _ in answers)
    assert ladder_yaml(again) == ladder_yaml(order)


def test_codes_come_in_their_natural_order_and_spellings_are_one_step():
    answers = ["Band 9", "Band 8A", "band 8a", "8c", "Band 10", "Band 2", "Band 8b", "Prefer not to say", "N/A"]
    read = read_levels(answers)
    order = ladder_order((answer, read[answer].value) for answer in answers if read[answer].value is not None)
    assert order == ["Band 2", "Band 8A", "Band 8b", "8c", "Band 9", "Band 10"]


def test_the_harbour_ladder_groups_equal_grades():
    order = ladder_order([("Graduate", 1), ("Analyst", 2), ("Associate", 2), ("Manager", 4),
                          ("Shift Supervisor", 4), ("Head of HR", 5), ("Head of Sales", 5), ("Senior Manager", 5),
                          ("Director", 6)])
    assert order == ["Graduate", ["Analyst", "Associate"], ["Manager", "Shift Supervisor"],
                     ["Head of HR", "Head of Sales", "Senior Manager"], "Director"]


def test_two_spellings_of_one_grade_at_two_places_are_a_contradiction():
    problems = seniority_order_problems(["Band 5", "8a", "Band 8A"], Path("client.yaml"))
    assert len(problems) == 1 and "one grade written two ways" in problems[0].message
    assert seniority_order_problems(["Band 5", ["Band 8a", "band 8A"]], Path("client.yaml")) == []


# ------------------------------------------------------------------------------------------------
# The built-in ladder and the sector presets
# ------------------------------------------------------------------------------------------------


def test_the_built_in_ladder_holds_no_title_whose_rank_depends_on_the_sector():
    padded = {f" {title} " for title in SECTOR_DEPENDENT}
    assert not [phrase for phrase in SENIORITY_LADDER if any(f" {phrase} " == title for title in padded)]
    for title in ("vice president", "director", "associate", "principal", "consultant", "partner"):
        assert title in SECTOR_DEPENDENT


def test_every_preset_is_a_data_file_with_its_source_and_a_valid_ladder():
    found = presets()
    assert set(PRESET_NAMES) <= set(found)
    for name in PRESET_NAMES:
        preset = found[name]
        assert preset.name == name and len(preset.source) > 80, name  # where the order comes from
        assert seniority_order_problems(preset.as_order(), Path(f"{name}.yaml")) == [], name
        steps = [{grade_key(grade) for grade in step} for step in preset.order]
        assert sum(len(step) for step in steps) == len(set().union(*steps)), name  # no grade at two places


@pytest.mark.parametrize("preset, junior, senior", [
    ("banking", "Vice President", "Director"), ("banking", "Analyst", "Associate"), ("banking", "VP", "MD"),
    ("consulting", "Analyst", "Consultant"), ("consulting", "Senior Manager", "Principal"),
    ("uk_civil_service", "Grade 7", "Grade 6"), ("uk_civil_service", "SEO", "G7"),
    ("uk_civil_service", "Deputy Director", "Director"), ("nhs_agenda_for_change", "Band 7", "Band 8a"),
    ("nhs_agenda_for_change", "Band 8d", "Band 9"), ("nhs_agenda_for_change", "band 8A", "Band 8b"),
    ("us_federal_gs", "GS-9", "GS-12"), ("us_federal_gs", "GS-15", "SES"), ("academia_uk", "Senior Lecturer", "Reader"),
    ("academia_us", "Assistant Professor", "Associate Professor"), ("military_nato", "OR-9", "OF-1"),
])
def test_a_preset_orders_its_sector_s_grades(preset, junior, senior):
    read = read_levels([junior, senior], order=load_preset(preset).as_order())
    assert read[junior].sure and read[senior].sure and read[junior].value < read[senior].value


def test_an_unknown_preset_is_a_config_error_with_the_names(tmp_path):
    shutil.copy(LADDERS / "bank_corporate_titles.csv", tmp_path)
    path = tmp_path / "client.yaml"
    path.write_text((LADDERS / "bank_client.yaml").read_text() + "seniority:\n  preset: bankng\n")
    with pytest.raises(ConfigError, match="banking") as caught:
        load_client(path)
    assert "uk_civil_service" in str(caught.value)
    path.write_text((LADDERS / "bank_client.yaml").read_text()
                    + "seniority:\n  preset: banking\n  order: [Analyst, Associate]\n")
    with pytest.raises(ConfigError, match="both order: and preset:"):
        load_client(path)


def test_civil_service_words_settle_grade_6_above_grade_7_otherwise_the_toolkit_asks():
    read = read_levels(["EO", "HEO", "Grade 7", "Grade 6", "Deputy Director"])
    assert all(reading.sure for reading in read.values())
    assert read["Grade 6"].value > read["Grade 7"].value and read["Deputy Director"].value > read["Grade 6"].value
    alone = read_levels(["Grade 6", "Grade 7"])
    assert not alone["Grade 6"].sure and not alone["Grade 7"].sure
    assert [preset.name for preset in fitting_presets(["Grade 6", "Grade 7"])] == ["uk_civil_service"]
    assert fitting_presets(["G4", "G5", "G7"]) == []  # "G4" is not the NHS's Band 4
    # Bare Grade codes could count either way: the question offers the civil service only as a comment.
    lines = "\n".join(seniority_lines([_answer("Grade 6", 6), _answer("Grade 7", 7)]))
    assert '\n  order: ["Grade 6", "Grade 7"]' in lines and "replace order: with preset: uk_civil_service" in lines
    assert "\n  preset:" not in lines


def _answer(text: str, level: float) -> Answer:
    return Answer("seniority", "grades.csv", "Grade", "C", text, Reading(level, 0.6, "a code"), [2])


# ------------------------------------------------------------------------------------------------
# End to end: a bank, a consulting firm, an NHS trust
# ------------------------------------------------------------------------------------------------


def _folder(tmp_path: Path, client: str, export: str) -> Path:
    for name in (client, export):
        shutil.copy(LADDERS / name, tmp_path / name)
    return tmp_path / client


def _pasted_seniority(fix: str) -> str:
    """The seniority: block of an error's fix, exactly as printed."""
    return fix[fix.index("\nseniority:") + 1:] + "\n"


@pytest.mark.slow
def test_a_bank_export_asks_and_the_banking_preset_matches_everyone_with_mentors_above(tmp_path, capsys):
    path = _folder(tmp_path, "bank_client.yaml", "bank_corporate_titles.csv")
    assert main(["validate", "--client", str(path)]) == 2
    err = capsys.readouterr().err
    for title in ("Analyst", "Associate", "VP", "Vice President", "Director", "Managing Director"):
        assert f"value '{title}'" in err
    with pytest.raises(IntakeError) as caught:
        load_client(path).roster()
    block = _pasted_seniority(caught.value.fix)
    assert "  preset: banking\n" in block
    path.write_text(path.read_text() + block, encoding="utf-8")
    assert main(["validate", "--client", str(path)]) == 0
    config = load_client(path)
    roster = config.roster()
    levels = roster.participants.set_index("name")["seniority"]
    assert levels["James Okoro"] < levels["Sanjay Patel"] < levels["Ruth Achebe"] == levels["Maja Lindqvist"] \
        < levels["Ciara Doyle"] < levels["Elodie Moreau"]  # Analyst < Associate < VP (either spelling) < Director < MD
    result = match(roster, config.design())
    assert len(result.pairs) == 10 and not (result.unmatched["role"] == "mentee").any()
    by_id = roster.participants.set_index("participant_id")["seniority"]
    assert all(by_id[pair.mentor_id] > by_id[pair.mentee_id] for pair in result.pairs.itertuples())
    # The built-in ladder's old reading (VP above Director, Analyst level with Associate) leaves a VP unmatched:
    # only the one MD's single place was above them. Asking is what keeps them in.
    old = match(_reread(path, [["Analyst", "Associate"], "Director", "VP", "Managing Director"]), config.design())
    assert (old.unmatched["role"] == "mentee").sum() == 1


def _reread(path: Path, order: list) -> object:
    text = re.sub(r"seniority:.*", "", path.read_text(), flags=re.DOTALL)
    path.write_text(text + "seniority:\n  order: " + ladder_yaml(order) + "\n", encoding="utf-8")
    return load_client(path).roster()


def test_a_consulting_firm_s_ladder_is_the_consulting_preset(tmp_path):
    path = _folder(tmp_path, "consulting_client.yaml", "consulting_firm_grades.csv")
    with pytest.raises(IntakeError) as caught:
        load_client(path).roster()
    assert {problem.value for problem in caught.value.problems} == {"Partner", "Principal", "Senior Consultant",
                                                                     "Consultant", "Analyst"}
    block = _pasted_seniority(caught.value.fix)
    assert "  preset: consulting\n" in block
    path.write_text(path.read_text() + block, encoding="utf-8")
    levels = load_client(path).roster().participants.set_index("name")["seniority"]
    assert levels["Yusuf Demir"] < levels["Marcus Bell"] < levels["Grace Lee"] < levels["Tom Eriksen"] \
        < levels["Sofia Ricci"] < levels["Ravi Menon"] < levels["Olivia Hart"]


def _printed_order(out: str) -> str:
    return re.search(r"^ +order: (\[.*\])$", out, re.MULTILINE).group(1)


@pytest.mark.slow
def test_an_nhs_forms_export_suggests_its_bands_in_order_once_each_without_non_answers(tmp_path, capsys):
    path = _folder(tmp_path, "nhs_client.yaml", "nhs_trust_ms_forms.xlsx")
    assert main(["validate", "--client", str(path)]) == 0
    out = capsys.readouterr().out
    suggestion = _printed_order(out)
    assert suggestion == ('["Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8A", "Band 8b", "8c", "Band 8d", '
                          '"Band 9"]')
    assert '"Prefer not to say" 2 people' in out and '"N/A" 2 people' in out  # one warning, counted
    before = load_client(path).roster().participants.set_index("name")["seniority"]
    path.write_text(path.read_text() + f"seniority:\n  order: {suggestion}\n", encoding="utf-8")
    assert main(["validate", "--client", str(path)]) == 0
    assert _printed_order(capsys.readouterr().out) == suggestion  # a fixed point: pasting again changes nothing
    after = load_client(path).roster().participants.set_index("name")["seniority"]
    assert before.isna().equals(after.isna()) and before.isna().sum() == 2  # "Prefer not to say": no level
    known = before.dropna().index
    for name in known:
        for other in known:
            assert _sign(after[name], after[other]) == _sign(before[name], before[other]), (name, other)
    assert after["Amara Nwosu"] == after["Fatima Hussain"]  # "Band 8A" and "band 8a": one grade


def test_pasting_the_harbour_question_validates_and_is_suggested_again(tmp_path, capsys):
    folder = tmp_path / "harbour"
    shutil.copytree(HARBOUR, folder)
    path = folder / "client_mapping_settled.yaml"
    text = path.read_text()
    path.write_text(text[:text.index("seniority:")], encoding="utf-8")  # as before the consultant answered
    assert main(["validate", "--client", str(path)]) == 2
    err = capsys.readouterr().err
    block = err[err.index("\nseniority:") + 1:]
    path.write_text(path.read_text() + block, encoding="utf-8")
    assert main(["validate", "--client", str(path)]) == 0
    out = capsys.readouterr().out
    assert "order: " + _printed_order(out) in block  # what validate suggests now is what was pasted
