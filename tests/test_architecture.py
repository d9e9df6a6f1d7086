"""The layout's promises: one-way imports without private names, one registry of hard rules, and a
MatchResult that checks its own invariants."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

import toolkit as tk
from toolkit.design.vocabulary import HARD_RULES, RULE_SETTINGS
from toolkit.errors import MatchingError
from toolkit.matching.rules import MASKS, RULES

PACKAGE = Path(tk.__file__).resolve().parent
SAMPLES = PACKAGE.parent / "sample_data"


@functools.cache
def _toolkit_imports() -> tuple[tuple[Path, ast.ImportFrom], ...]:
    """Every ``from toolkit... import`` and relative import in the package, with its module's path (parsed once
    per test process: both import tests read them)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [(path.relative_to(PACKAGE.parent), node) for node in ast.walk(tree)
                  if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("toolkit"))]
    return tuple(found)


def test_no_module_imports_a_private_name_from_another():
    private = [f"{path}:{node.lineno} imports {alias.name}" for path, node in _toolkit_imports()
               for alias in node.names if alias.name.startswith("_") and alias.name != "__version__"]
    assert private == []


def test_no_toolkit_module_imports_the_command_line_or_a_later_stage_from_an_earlier_one():
    # stage order, earliest first (ARCHITECTURE.md); a module may import only its own stage or earlier ones
    stages = ["errors", "safe_yaml", "text", "criteria", "labels", "resources", "files", "html_table", "privacy", "ledger",
              "kernels", "intake", "roster", "design", "client", "matching", "disclosure", "rounds", "programme", "goals",
              "kit", "milestones", "measure", "charts", "reports", "portfolio", "widgets", "studio", "course", "running",
              "validate", "demo", "cli"]

    def stage_of(parts: tuple[str, ...]) -> int:
        name = parts[1].removesuffix(".py") if len(parts) > 1 else ""
        return stages.index(name) if name in stages else -1

    wrong = []
    for path, node in _toolkit_imports():
        here = stage_of(path.parts)
        package = list(path.with_suffix("").parts[:-1])
        target = (package[: len(package) - node.level + 1] if node.level else []) + \
            (node.module.split(".") if node.module else [])
        if node.module is None and node.level:
            target += [alias.name for alias in node.names][:1]
        there = stage_of(tuple(target)) if len(target) > 1 else -1
        if here >= 0 and there > here:
            wrong.append(f"{path}:{node.lineno} ({stages[here]}) imports {'.'.join(target)} ({stages[there]})")
    assert wrong == []


def test_every_hard_rule_has_exactly_one_mask_function_and_every_mask_a_rule():
    assert set(MASKS) == {rule.name for rule in HARD_RULES}
    assert set(RULES) == set(MASKS)
    switches = {rule.setting for rule in HARD_RULES if rule.setting}
    assert switches == set(RULE_SETTINGS) - {"min_score"}


@pytest.fixture(scope="module")
def riverbank_match():
    config = tk.load_client(SAMPLES / "riverbank")
    return tk.match(config.roster(), config.design())


def test_a_solved_match_passes_its_own_check(riverbank_match):
    assert riverbank_match.check() is riverbank_match


def test_check_names_a_lost_participant_and_an_overfull_mentor(riverbank_match):
    import dataclasses

    pairs = riverbank_match.pairs
    lost = pairs["mentee_id"].iloc[0]
    broken = dataclasses.replace(riverbank_match, pairs=pairs.iloc[1:].reset_index(drop=True),
                                 objective=float(pairs["score"].iloc[1:].sum()))
    with pytest.raises(MatchingError) as caught:
        broken.check()
    assert f"{lost} is neither matched nor listed as unmatched" in str(caught.value)

    crowded = pairs.copy()
    crowded["mentor_id"] = crowded["mentor_id"].iloc[0]
    overfull = dataclasses.replace(riverbank_match, pairs=crowded)
    with pytest.raises(MatchingError, match=f"mentor {crowded['mentor_id'].iloc[0]} has {len(crowded)} mentees"):
        overfull.check()


def test_check_finds_a_banned_pair_that_was_used(riverbank_match):
    import dataclasses

    first = tuple(riverbank_match.pairs[["mentee_id", "mentor_id"]].iloc[0])
    with pytest.raises(MatchingError, match="banned pair"):
        dataclasses.replace(riverbank_match, forbidden=(first,)).check()
