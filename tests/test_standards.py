"""The standards evidence pack: EMCC's award thresholds applied by hand, the evidence each sample lacks named
with how to supply it, the programme's own records counted, and the standards described in the toolkit's words."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from toolkit import reports
from toolkit.client import load_client
from toolkit.errors import ConfigError
from toolkit.reports.standards import EMCC_STANDARDS, MENTOR_ELEMENTS, assess, award_level

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"
EVIDENCE = Path(__file__).resolve().parent / "fixtures" / "evidence" / "EVIDENCE.md"


@pytest.mark.parametrize(("overall", "lowest", "level"), [
    (0.95, 0.85, "gold"), (0.90, 0.80, "gold"),     # exactly on gold's 90/80
    (0.95, 0.79, "silver"),                         # one standard under 80%: silver at most
    (0.80, 0.70, "silver"), (0.85, 0.69, "bronze"),
    (0.70, 0.60, "bronze"), (0.69, 0.90, None),     # overall under 70%: no award, however even
    (0.75, 0.59, None),                             # one standard under 60%: no award
])
def test_award_thresholds_by_hand(overall, lowest, level):
    assert award_level(overall, lowest) == level


def _assessment(slug: str):
    config = load_client(SAMPLES / slug)
    context = reports.ReportContext(config, config.roster(), config.design())
    return assess(config, context.roster, context.design, readiness=context.readiness)


@pytest.mark.slow
def test_northwind_names_what_it_lacks_and_how_to_supply_it():
    """Northwind ran no fit check and no closure survey; its training, messages, leaders' brief and signed
    agreements are documents the toolkit writes, with nothing to show they were used. EMCC: clarity 4/4 = 100%,
    training and briefing (0.5 + 1 + 0.5 + 0.5) / 4 = 62.5%, selection and matching 4/5 = 80%, measurement 7/7,
    ethics (1 + 1 + 0.5 + 1) / 4 = 87.5%, administration (1 + 0.5 + 1 + 1 + 0) / 5 = 70%; overall 83.3%,
    lowest 62.5%: bronze (silver needs 70% for every standard)."""
    found = _assessment("northwind")
    statuses = {key: item.status for key, item in found.evidence.items()}
    assert statuses["fit_check"] == statuses["closure"] == "missing"
    assert {key for key, status in statuses.items() if status == "ready to use"} == {
        "training_plan", "communications", "leadership_brief", "confidentiality"}
    shares = dict(zip(found.emcc["standard"], found.emcc["share"]))
    assert list(shares.values()) == pytest.approx([1.0, 0.625, 0.8, 1.0, 0.875, 0.7])
    assert found.overall == pytest.approx(5.0 / 6) and found.lowest == pytest.approx(0.625)
    assert found.level == "bronze" and not found.full_cycle  # nine months planned, twelve asked for
    closure = found.evidence["closure"]
    assert "closure survey" in closure.supply and "closure" in closure.setting


@pytest.mark.parametrize("slug", ["riverbank", "lumen"])
def test_every_sample_gets_an_estimate_and_a_way_to_supply_each_gap(slug):
    found = _assessment(slug)
    gaps = found.missing()
    assert gaps and all(item.supply and item.setting for item in gaps)
    assert 0 <= found.lowest <= found.overall <= 1 and len(found.emcc) == 6 and len(found.mentor) == 6
    if slug == "lumen":  # circles, no shortlist round, no preferences on the form
        assert found.evidence["participant_influence"].status == "missing"


@pytest.mark.slow
def test_a_record_named_in_client_yaml_counts_as_in_place_and_a_bad_one_is_refused(tmp_path):
    folder = tmp_path / "northwind"
    shutil.copytree(SAMPLES / "northwind", folder)
    (folder / "records").mkdir()
    (folder / "records" / "training_attendance.csv").write_text("Name,Session\nA,mentor training\n", encoding="utf-8")
    yaml = folder / "client.yaml"
    original = yaml.read_text(encoding="utf-8")
    yaml.write_text(original + "evidence:\n  training_plan: records/training_attendance.csv\n", encoding="utf-8")
    config = load_client(folder)
    found = assess(config, config.roster(), config.design())
    assert found.evidence["training_plan"].status == "in place"
    assert "records/training_attendance.csv" in found.evidence["training_plan"].found
    yaml.write_text(original + "evidence:\n  trainng_plan: records/training_attendance.csv\n", encoding="utf-8")
    with pytest.raises(ConfigError, match='Did you mean "training_plan"'):
        assess(load_client(folder), config.roster(), config.design())
    yaml.write_text(original + "evidence:\n  training_plan: records/nowhere.csv\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a file in the client folder"):
        assess(load_client(folder), config.roster(), config.design())


def test_the_standards_are_described_in_the_toolkits_own_words():
    """No run of six words from the evidence file's description of the frameworks is copied."""
    source = re.findall(r"[a-z']+", EVIDENCE.read_text(encoding="utf-8").split("## Frameworks")[1].lower())
    copied = {" ".join(source[i:i + 6]) for i in range(len(source) - 5)}
    for standard in EMCC_STANDARDS + MENTOR_ELEMENTS:
        words = re.findall(r"[a-z']+", standard.meaning.lower())
        runs = {" ".join(words[i:i + 6]) for i in range(len(words) - 5)}
        assert runs.isdisjoint(copied), standard.name
