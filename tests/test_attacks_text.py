"""Attacks through free text: contact details, private words beside names, invisible characters in names.

The fixture ``tests/fixtures/hostile_text`` is a sign-up round where people typed phone numbers,
emails and links into their skills, goals, notes and job titles, one person's name carries a
right-to-left override, and goal check-ins name a sister's email. What reaches the readiness,
matching and health report sections, the agreements, the kit and the studio's tables must carry
none of it; a skill only one person named is never quoted beside their name. Hypothesis plants
contact details in random text and checks the one sanitiser removes every one of them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit as tk
from toolkit.files import (
    clean_name,
    has_contact_details,
    html_text,
    markdown_text,
    neutralise,
    sanitise_free_text,
    scrub_contacts,
    shared_terms,
    withhold_terms,
)
from toolkit.html_table import frame_html
from toolkit.kit import write_kit

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "hostile_text"
#: What must never appear in a client-facing text: emails, phone numbers, links (as typed in the fixture).
LEAKS = ["ruth.private@home.example", "07700 900999", "07700 900123", "020 7946 0958", "calendly", "ana.s@home",
         "+44 7700 900456", "ben.h@gmail", "(555) 123-4567", "maria.lopez", "www.pitchdeck", "@harbour.example"]
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

emails = st.builds(lambda user, host, tld: f"{user}@{host}.{tld}", st.from_regex(r"[a-z][a-z0-9._+-]{0,12}", fullmatch=True),
                   st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), st.sampled_from(["com", "co.uk", "org", "io"]))
phones = st.one_of(
    st.builds(lambda a, b: f"07{a:03d} {b:06d}", st.integers(100, 999), st.integers(0, 999999)),
    st.builds(lambda a, b, c: f"+44 {a} {b:04d} {c:04d}", st.integers(20, 29), st.integers(0, 9999), st.integers(0, 9999)),
    st.builds(lambda a, b, c: f"({a}) {b}-{c:04d}", st.integers(201, 989), st.integers(200, 999), st.integers(0, 9999)),
    st.builds(lambda a, b, c: f"{a}-{b}-{c:04d}", st.integers(201, 989), st.integers(200, 999), st.integers(0, 9999)),
    st.builds(lambda cc, rest: f"+{cc} {rest}", st.sampled_from(["33", "49", "91", "61", "353"]),
              st.from_regex(r"[1-9]\d{2} \d{3} \d{3}", fullmatch=True)),
)
links = st.one_of(st.builds(lambda host: f"https://{host}.example/x?y=1", st.from_regex(r"[a-z]{1,10}", fullmatch=True)),
                  st.builds(lambda host: f"www.{host}.com", st.from_regex(r"[a-z]{1,10}", fullmatch=True)),
                  st.sampled_from(["calendly.com/sam", "bit.ly/3xYz", "mailto:a@b.co", "tel:+447700900123"]))
filler = st.text(st.characters(whitelist_categories=("L", "Zs", "P")), max_size=20)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(filler, emails, phones, links), max_size=6), st.lists(st.one_of(emails, phones, links),
                                                                                min_size=1, max_size=3))
def test_the_sanitiser_removes_every_planted_contact_detail(pieces, planted):
    text = " ".join(pieces[:2] + planted + pieces[2:])
    clean = sanitise_free_text(text)
    for detail in planted:
        assert detail not in clean
    assert not has_contact_details(clean)
    assert sanitise_free_text(clean) == clean  # idempotent


@pytest.mark.parametrize("text", [
    "Lead two workshops by 2027-03-31", "Grade 7 from 2019-2023", "budget £12,500 (10,000 units)", "ASP.NET, Node.js",
    "Mon 09:00-11:00", "version 3.11.4", "staff no. 00123456", "ISO 9001 2015", "Q3 2026 targets: 15 20 25",
    "12.5% growth by 31/12/2026", "e.g. i.e. etc.", "Zoë O'Brien-Smith", "C++ and C#",
])
def test_ordinary_free_text_is_left_as_it_is(text):
    assert scrub_contacts(text) == text


@pytest.mark.parametrize("name", ["Ali \u202enimda\u202c Khan", "\u2066Eve\u2069", "A\u200bd\u200ca\u200dm", "\ufeffBob",
                                  "Tag\U000e0041\U000e0042", "Soft\u00adhyphen", "\u3164", "Sam\u200f"])
def test_invisible_format_characters_never_reach_a_name_or_a_file(name):
    cleaned = clean_name(name)
    assert not BIDI.search(cleaned) and "\u200b" not in cleaned and "\ufeff" not in cleaned
    for written in (html_text(name), markdown_text(name), neutralise(name)):
        assert not BIDI.search(str(written)) and "\U000e0041" not in str(written)
    assert "\u200c" in clean_name("A\u200cB")  # ZWNJ stays: Persian and Indic names need it


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clients") / "harbour"
    shutil.copytree(FIXTURE, folder)
    config = tk.load_client(folder)
    return config, tk.reports.prepare(config.path)


def _no_leak(text: str, where: str) -> None:
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} reached {where}"
    assert not BIDI.search(text), f"a bidi control reached {where}"


def test_the_intake_removes_contact_details_from_free_text_and_says_where(hostile):
    config, report = hostile
    people = report.roster.participants.set_index("participant_id")
    assert people.at["HF108", "name"] == "Ali nimda Khan"
    _no_leak(people.drop(columns="email").to_string(), "the roster's free text")
    warned = " ".join(problem.describe() for problem in report.roster.warnings)
    assert "row 2" in warned and 'column K "Anything else?"' in warned and "07700" not in warned


def test_report_sections_carry_no_contact_detail_and_no_private_words_beside_names(hostile):
    config, report = hostile
    blocks = {name: getattr(tk.reports, name)(report) for name in (
        "readiness_summary", "at_risk_section", "pairs_section", "unmatched_section", "recruiting_advice",
        "goal_progress_table")}
    blocks["skills"] = tk.reports.segments_section(report, "skill")
    for name, block in blocks.items():
        _no_leak(block.html, name)
    # Olu alone wants "Coping after my divorce": the at-risk list names him, so it does not quote it.
    at_risk = blocks["at_risk_section"].html + blocks["unmatched_section"].html + blocks["recruiting_advice"].html
    assert "divorce" not in at_risk and "Quantum basket" not in at_risk
    assert "divorce" not in blocks["skills"].html and "named by fewer than 3 people not shown" in blocks["skills"].html
    # Stalled goals name the pair and the theme, never the goal's words.
    goals = blocks["goal_progress_table"].html
    assert "Sam Patel and Ruth Okafor" in goals and "budget model" not in goals and "sister" not in goals
    assert "Skill development" in goals


@pytest.mark.slow
def test_agreements_kit_and_studio_tables_carry_no_contact_detail(hostile, tmp_path):
    config, report = hostile
    written = tk.goals.write_client_agreements(config.path, tmp_path / "agreements", use_matching=True)
    written += write_kit(config.path, tmp_path / "kit")
    for path in written:
        if path.suffix in (".html", ".md", ".csv", ".ics"):
            _no_leak(path.read_text(encoding="utf-8-sig"), path.name)
    setup = tk.widgets.CohortSetup.from_client(config)
    shown = setup.problems_html.value + setup.readiness_html.value + setup.at_risk_html.value
    _no_leak(shown.replace("@harbour.example", "@"), "the cohort set-up page")
    table = frame_html(report.roster.participants[["name", "notes", "skills_sought", "email"]])
    _no_leak(table, "a studio table")


def test_shared_terms_are_the_words_several_people_wrote():
    lists = [["Excel", "SQL"], ["excel", "Budgeting"], ["EXCEL", "Coping after my divorce"], ["SQL"],
             ["sam@x.example", "sam@x.example"], []]
    assert shared_terms(lists, 2) == {"Excel", "SQL"}
    assert shared_terms(lists, 3) == {"Excel"}
    assert withhold_terms("nobody offers Coping after my divorce, Excel", {"coping after my divorce"},
                          "a skill few named") == "nobody offers a skill few named, Excel"
    assert withhold_terms("Excellent", {"Excel"}, "x") == "Excellent"  # whole words only
