"""A key written twice in a YAML file is refused, naming both lines; PyYAML alone keeps the later one silently.

The consultant's case: a participants entry had ``mapping: columns:``; pasting validate's suggested
``mapping: values:`` under it gave two ``mapping:`` keys, the columns were lost without a word and
validate asked the same questions again. The suggestion now prints the whole merged block.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from toolkit.client import load_client
from toolkit.errors import ConfigError, IntakeError
from toolkit.intake.mapping import read_mapping
from toolkit.safe_yaml import YamlDuplicateKey, compose_yaml

HARBOUR = Path(__file__).parent / "fixtures" / "harbour"


def test_a_mapping_pasted_under_an_existing_mapping_is_refused_naming_both_lines_and_the_key():
    with pytest.raises(ConfigError) as caught:
        load_client(HARBOUR / "client_mapping_pasted_twice.yaml")
    text = str(caught.value)
    lines = (HARBOUR / "client_mapping_pasted_twice.yaml").read_text().splitlines()
    first, second = [number for number, line in enumerate(lines, 1) if line.strip().startswith("mapping:")]
    assert f"lines {first} and {second}" in text
    assert '"mapping"' in text and "client_mapping_pasted_twice.yaml" in text
    assert "merge the two `mapping:` blocks into one" in text


def test_plain_pyyaml_would_have_dropped_the_earlier_block_silently():
    """The oracle for the bug: PyYAML keeps the later mapping: and loses columns: without a word."""
    data = yaml.safe_load((HARBOUR / "client_mapping_pasted_twice.yaml").read_text())
    assert "columns" not in data["participants"][0]["mapping"]
    with pytest.raises(YamlDuplicateKey):
        compose_yaml((HARBOUR / "client_mapping_pasted_twice.yaml").read_text(), unique_keys=True)


@pytest.mark.parametrize("text, key, first, second", [
    ("a: 1\nb: 2\na: 3\n", "a", 1, 3),
    ("values:\n  role:\n    \"Peer mentor\": both\n    \"Peer mentor\": mentee\n", "Peer mentor", 3, 4),
    ("- x: 1\n  y: 2\n  x: 3\n", "x", 1, 3),
])
def test_duplicates_are_found_at_any_depth_with_both_lines(text, key, first, second):
    with pytest.raises(YamlDuplicateKey) as caught:
        compose_yaml(text, unique_keys=True)
    assert (caught.value.key, caught.value.first_line, caught.value.second_line) == (key, first, second)


def test_the_same_key_in_different_blocks_and_merge_keys_are_still_fine():
    data, _ = compose_yaml(unique_keys=True, text="a:\n  x: 1\nb:\n  x: 2\nbase: &base {k: 1}\nc:\n  <<: *base\n  j: 2\n")
    assert data["c"] == {"k": 1, "j": 2}


def test_a_mapping_file_with_a_duplicate_is_refused_too(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text('columns:\n  "Grade": seniority\ncolumns:\n  "Email": email\n', encoding="utf-8")
    with pytest.raises(IntakeError, match=r"lines 1 and 3"):
        read_mapping(path)


def test_the_suggested_block_replaces_the_existing_mapping_and_keeps_its_columns(tmp_path):
    """Paste the suggestion as told (replacing the entry's mapping: block): it loads, columns kept."""
    folder = tmp_path / "harbour"
    shutil.copytree(HARBOUR, folder)
    path = folder / "client_mapping_with_columns.yaml"
    with pytest.raises(IntakeError) as caught:
        load_client(path).roster()
    fix = caught.value.fix
    assert "Replace the participants entry's mapping: block" in fix
    block = fix[fix.index("  mapping:"):]
    assert sum(line.strip().startswith("mapping:") for line in block.splitlines()) == 1
    assert '"What is your job title / grade?": seniority' in block
    # The consultant keeps the readings offered (the placeholders need a choice; there are none here).
    assert "(choose)" not in block
    text = path.read_text()
    old = re.search(r"  mapping:\n(?:    .*\n)+", text).group(0)
    path.write_text(text.replace(old, block + "\n"), encoding="utf-8")
    roster = load_client(path).roster()
    assert roster.participants["seniority"].notna().all()  # the columns: mapping survived
    assert len(roster) == 10


def test_the_merged_block_in_the_duplicate_error_pastes_back_and_keeps_both_blocks(tmp_path):
    folder = tmp_path / "harbour"
    shutil.copytree(HARBOUR, folder)
    path = folder / "client_mapping_pasted_twice.yaml"
    with pytest.raises(ConfigError) as caught:
        load_client(path)
    fix = caught.value.fix
    block = fix[fix.index("\n  mapping:") + 1:].rstrip(".")
    text = path.read_text()
    both = re.search(r"  mapping:\n(?:    .*\n)+  mapping:.*\n(?:    .*\n)+", text).group(0)
    path.write_text(text.replace(both, block + "\n"), encoding="utf-8")
    roster = load_client(path).roster()  # role and capacity answers settled, and the grade column kept
    assert roster.participants["seniority"].notna().all()
    assert roster.readings("role").set_index("answer").loc["Mentor or mentee", "read_as"] == "both"
