"""The matching studio and the notebooks make the client's match: the one the ``match`` command adopts.

On a client whose mentees handed back ranked choices, the studio's model, ``00_start_here`` (and the copy
``new-client`` scaffolds) and ``match`` agree pair for pair; adopting from the studio writes the round ``match``
writes (the same pairs, pair ids, fingerprint and design); reopened, the studio starts from the adopted round's
own settings, pins and bans. Clients: Brightwater Housing (hand-written, tests/fixtures/rounds/brightwater) and
a copy of the Northwind sample (352 pairs on ranked choices).
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import nbformat
import pytest

import toolkit as tk
from toolkit import cli, rounds
from toolkit.client import load_client
from toolkit.reports.scaffold import new_client
from toolkit.widgets.matching_model import MatchingStudioModel

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rounds"
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SOURCES = {"brightwater": FIXTURES / "brightwater", "northwind": SAMPLES / "northwind"}


def _members(result) -> list[str]:
    return rounds.member_lines(result.pairs, "one_to_one")


def _copy(tmp_path: Path, name: str, label: str = "") -> Path:
    folder = tmp_path / f"{name}{label}"
    shutil.copytree(SOURCES[name], folder)
    return folder


@pytest.fixture(scope="module")
def matches() -> dict[str, list[str]]:
    """What the match command adopts for each client (it only reads the folder: the sources are used as they are):
    the client's match for the people available today (tk.client_match leaves out leavers, as ``match`` does)."""
    return {name: _members(tk.client_match(load_client(folder))) for name, folder in SOURCES.items()}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["brightwater", "northwind"])
def test_the_studio_makes_the_match_the_match_command_makes(name, matches):
    config = load_client(SOURCES[name])
    model = MatchingStudioModel(config.roster(), config.design(), client=config)
    assert model.choices is not None and model.opened_on == ""
    assert _members(model.solve()) == matches[name]
    # the choices decide it: scores alone give other pairs
    assert _members(tk.match(config.roster(), config.design())) != matches[name]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["brightwater", "northwind"])
def test_adopting_from_the_studio_writes_the_round_match_writes(name, tmp_path, capsys):
    studio_copy, command_copy = _copy(tmp_path, name, "-studio"), _copy(tmp_path, name, "-command")
    config = load_client(studio_copy)
    model = MatchingStudioModel(config.roster(), config.design(), client=studio_copy)  # given as a folder
    model.solve()
    from_studio = model.adopt(note="chosen with the sponsor")
    assert cli.main(["match", "--client", str(command_copy), "--quiet"]) == 0
    capsys.readouterr()
    from_command = rounds.current_round(command_copy)
    assert from_studio.fingerprint == from_command.fingerprint and from_studio.certified and from_command.certified
    columns = ["pair_id", "mentee_id", "mentor_id"]
    assert from_studio.pairs[columns].equals(from_command.pairs[columns])
    assert (from_studio.folder / "design.yaml").read_text() == (from_command.folder / "design.yaml").read_text()
    recorded = [json.loads((adopted.folder / "round.json").read_text())["fingerprint"]["sha256"]
                for adopted in (from_studio, from_command)]
    assert recorded[0] == recorded[1] == from_command.fingerprint


@pytest.mark.slow
def test_the_studio_reopens_on_the_adopted_rounds_settings_pins_and_bans(tmp_path, matches):
    folder = _copy(tmp_path, "brightwater")
    config = load_client(folder)
    model = MatchingStudioModel(config.roster(), config.design(), client=config)
    model.set_weight("skills", 9)
    model.pin("BW306", "BW201")
    model.ban("BW301", "BW205")
    model.solve()
    adopted = model.adopt(note="Ellie asked for Priya")
    assert adopted.pinned == [("BW306", "BW201")] and adopted.banned == [("BW301", "BW205")]
    assert _members(model.result) != matches["brightwater"]

    again = MatchingStudioModel(config.roster(), config.design(), client=config)
    assert again.opened_on == "Opened on round 1's settings (1 pinned pair and 1 banned pair)."
    assert again.weights["skills"] == 9 and again.pinned == [("BW306", "BW201")] and again.banned == [("BW301", "BW205")]
    assert _members(again.solve()) == rounds.member_lines(adopted.pairs, "one_to_one")
    assert again.adopted_round().name == adopted.name
    assert again.adopt().name == adopted.name and len(rounds.list_rounds(folder)) == 1  # nothing new written


@pytest.mark.slow
def test_a_round_under_another_design_is_named_and_the_studio_starts_from_client_yaml(tmp_path, matches):
    folder = _copy(tmp_path, "brightwater")
    assert cli.main(["match", "--client", str(folder), "--quiet"]) == 0
    yaml_path = folder / "client.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace(
        "  end_date: 2027-11-30\n", "  end_date: 2027-11-30\n  overrides:\n    capacity:\n      max: 1\n"),
        encoding="utf-8")
    config = load_client(folder)
    assert config.design().capacity.max == 1
    model = MatchingStudioModel(config.roster(), config.design(), client=config)
    assert "differs from client.yaml's" in model.opened_on and model.pinned == [] and model.banned == []
    assert _members(model.solve()) == _members(rounds.client_match(config))


def _run_notebook(path: Path, parameters: dict | None = None) -> tuple[dict, list]:
    """Run a thin notebook's code cells in order, as Run All would, with ``parameters`` injected after the
    parameters cell (as papermill does); returns the namespace and what each cell shows (its last expression)."""
    namespace: dict = {}
    shown = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, path.name, "exec"), namespace)
        shown.append(eval(compile(ast.Expression(last.value), path.name, "eval"), namespace) if last else None)
        if "parameters" in cell.metadata.get("tags", []):
            namespace.update(parameters or {})
    return namespace, shown


@pytest.mark.slow
def test_start_here_and_the_client_copy_new_client_makes_use_the_clients_match(tmp_path, monkeypatch, matches):
    folder = _copy(tmp_path, "brightwater")
    scaffolded = new_client("Brightwater Housing", tmp_path / "clients")
    copy = folder / "notebooks" / "00_start_here.ipynb"
    copy.parent.mkdir()
    shutil.copyfile(scaffolded / "notebooks" / "00_start_here.ipynb", copy)

    monkeypatch.chdir(copy.parent)  # the client's own copy finds its client as ".."
    ran, shown = _run_notebook(copy)
    assert ran["client_path"] == ".." and _members(ran["result"]) == matches["brightwater"]
    assert shown[-1] is None  # nothing adopted yet

    assert cli.main(["match", "--client", str(folder), "--quiet"]) == 0
    ran, shown = _run_notebook(NOTEBOOKS / "00_start_here.ipynb", {"client_path": str(folder)})
    assert _members(ran["result"]) == matches["brightwater"]
    assert shown[-1].name == rounds.current_round(folder).name and "certified optimal" in repr(shown[-1])
