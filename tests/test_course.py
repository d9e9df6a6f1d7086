"""The course: lessons built for people who do not code, checks that tell good answers from bad, an offline site.

Every page is executed with papermill once (through ``mentoring-toolkit course --out``, which must
leave an offline site: no external URL in any script, link or image tag). The lessons are checked
for their instructional design (objectives a trainer can assess, a knowledge check, a capstone, a
facilitator guide) and for being answerable without code. The checks are tested on good and bad
answers, with the facts they cite computed independently where possible.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

import toolkit as tk
from toolkit import course
from toolkit.cli import main
from toolkit.kit import communications_timeline

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"
COURSE = ROOT / "notebooks" / "course"
LESSON_NOTEBOOKS = [COURSE / f"{lesson.name}.ipynb" for lesson in course.LESSONS]
PAGE_NOTEBOOKS = sorted(COURSE.glob("*.ipynb"))
STUDIO_NOTEBOOKS = sorted((ROOT / "notebooks" / "studio").glob("*.ipynb"))
# Verbs a trainer can observe and assess (Bloom-style); "understand", "know", "appreciate" are not.
ASSESSABLE = {"name", "choose", "point", "set", "explain", "classify", "write", "identify", "read", "say", "decide",
              "justify", "detect", "trace", "fix", "rewrite", "order", "plan", "adapt", "describe", "word", "take",
              "assess", "list", "compare", "judge"}


def _notebook(path: Path):
    return nbformat.read(path, as_version=4)


def _code(path: Path) -> list[str]:
    return [cell.source for cell in _notebook(path).cells if cell.cell_type == "code"]


# -- the pages -------------------------------------------------------------------------------------


def test_the_course_folder_holds_the_lessons_the_capstone_and_the_facilitator_guide_and_nothing_else():
    assert [path.stem for path in PAGE_NOTEBOOKS] == sorted([*(lesson.name for lesson in course.LESSONS),
                                                             "facilitator_guide"])
    assert len(course.LESSONS) == 8
    assert [lesson.name for lesson in course.LESSONS if "capstone" in lesson.name] == ["08_capstone"]


@pytest.mark.parametrize("path", PAGE_NOTEBOOKS + STUDIO_NOTEBOOKS, ids=lambda path: path.stem)
def test_course_and_studio_notebooks_are_clean_and_thin(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert "widgets" not in raw["metadata"]
    for cell in raw["cells"]:
        if cell["cell_type"] != "code":
            continue
        assert cell["outputs"] == [] and cell["execution_count"] is None, f"{path.name}: clear the outputs"
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), path.name


@pytest.mark.parametrize("path", LESSON_NOTEBOOKS, ids=lambda path: path.stem)
def test_each_lesson_opens_with_assessable_objectives_and_its_time_and_ends_with_a_knowledge_check(path):
    cells = _notebook(path).cells
    first = cells[0].source
    assert first.startswith(("# Lesson ", "# Capstone")) and "What this lesson is for" in first
    assert "\n## Objectives\n" in first
    objectives = re.findall(r"^\d\. (.+)$", first.split("## Objectives", 1)[1], re.M)
    assert len(objectives) >= 3, path.name
    for objective in objectives:  # each names at least one thing a trainer can watch the learner do
        verbs = {verb.lower() for verb in re.findall(r"\*\*(\w+)\*\*", objective)}
        assert verbs and verbs <= ASSESSABLE, (path.name, objective)
    check = next(index for index, cell in enumerate(cells) if cell.source.startswith("## Knowledge check"))
    following = next(cell for cell in cells[check + 1:] if cell.cell_type == "code")
    assert following.source == f'course.exercise("check_{path.stem}")'
    # the knowledge check is the last exercise of the page
    later = "".join(cell.source for cell in cells[check + 1:] if cell.cell_type == "code" and cell is not following)
    assert "exercise(" not in later and ".step(" not in later


@pytest.mark.parametrize("path", LESSON_NOTEBOOKS, ids=lambda path: path.stem)
def test_nothing_in_a_lesson_asks_the_learner_to_type_code(path):
    # every code cell is fixed: imports, the parameters cell, a table, or an exercise answered with widgets
    for source in _code(path):
        assert not re.search(r"\bmy_\w+\s*=|#\s*your answer|edit (?:the|this)", source, re.I), (path.name, source)
    exercises = [name for source in _code(path) for name in re.findall(r'course\.exercise\("(\w+)"\)', source)]
    steps = [name for source in _code(path) for name in re.findall(r'\.step\("(\w+)"\)', source)]
    assert set(exercises) <= set(course.EXERCISES) and set(steps) <= set(course.STEPS)
    assert len(exercises) + len(steps) >= 2


def test_every_exercise_of_the_catalogue_is_on_a_page_and_the_capstone_shows_every_step():
    shown = [name for path in LESSON_NOTEBOOKS for source in _code(path)
             for name in re.findall(r'course\.exercise\("(\w+)"\)', source)]
    assert sorted(shown) == sorted(course.EXERCISES)  # each once, none missing
    steps = [name for source in _code(COURSE / "08_capstone.ipynb") for name in re.findall(r'\.step\("(\w+)"\)', source)]
    assert steps == list(course.STEPS)


def test_the_worked_examples_use_real_shaped_exports_and_one_shows_an_unfair_match():
    for name in course.worked.COURSE_CLIENTS:
        export = (COURSE / "data" / name / "signups.csv").read_bytes()
        assert export.startswith(b"\xef\xbb\xbf")  # Google Forms' byte-order mark
        header = export.decode("utf-8-sig").splitlines()[0]
        assert header.startswith("Timestamp,Email Address,") and "?" in header  # the questions as headers
    lesson = "\n".join(cell.source for cell in _notebook(COURSE / "03_matching_fairness.ipynb").cells)
    assert "## Worked example: an unfair match, and how the audit finds it" in lesson
    assert "course.audit_table(draft" in lesson and "course.left_out(draft)" in lesson


def test_the_capstone_takes_a_brief_from_the_sign_up_export_to_an_evaluation_plan_with_a_rubric():
    text = "\n".join(cell.source for cell in _notebook(COURSE / "08_capstone.ipynb").cells)
    for part in ("## The brief", "sign-up", "## Step 4: adopt the match", "## Step 5: the agreements",
                 "## Step 6: the evaluation plan", "## The rubric", "capstone.rubric_view()"):
        assert part in text
    parameters = [cell for cell in _notebook(COURSE / "08_capstone.ipynb").cells
                  if "parameters" in cell.metadata.get("tags", [])]
    assert len(parameters) == 1 and "work_dir = None" in parameters[0].source


def test_the_facilitator_guide_plans_the_day_and_gives_each_lesson_a_prompt_and_its_common_mistakes():
    text = "\n".join(cell.source for cell in _notebook(COURSE / "facilitator_guide.ipynb").cells)
    for index, lesson in enumerate(course.LESSONS, 1):
        start = "**Capstone.**" if "capstone" in lesson.name else f"**Lesson {index}."
        assert start in text, lesson.name
        paragraph = text.split(start, 1)[1].split("\n\n", 1)[0]
        assert "*Common mistakes:*" in paragraph, lesson.name
        assert "*Discussion prompt:*" in paragraph or "debrief" in paragraph, lesson.name
    for code in ("course.session_plan()", "course.rubric_table()", "course.coverage_table()", "course.answer_keys()"):
        assert code in text


# -- the checks, used from code --------------------------------------------------------------------


@pytest.mark.parametrize("name", list(course.BRIEFS))
def test_the_fitting_kind_passes_and_another_kind_is_sent_back_to_the_brief(name):
    brief = course.BRIEFS[name]
    assert course.check_kind(name, brief.fits[0]).ok
    wrong = next(kind for kind in tk.ProgramDesign.kinds() if kind not in brief.fits)
    feedback = course.check_kind(name, wrong)
    assert not feedback.ok and brief.clue in " ".join(feedback.points)


@pytest.mark.parametrize("name", list(course.BRIEFS))
def test_the_template_of_the_fitting_kind_meets_its_brief(name):
    assert course.check_design(name, tk.ProgramDesign.from_template(course.BRIEFS[name].fits[0])).ok


def test_brief_advice_speaks_of_the_exercise_s_controls_never_of_setting_names():
    for brief in course.BRIEFS.values():
        for requirement in brief.requirements:
            assert not re.search(r"\w+\.\w+_\w+|\w+_\w+:", requirement.advice), requirement.advice


def test_a_reverse_brief_with_the_seniority_rule_the_wrong_way_round_is_told_to_reconsider_it():
    feedback = course.check_design("digital_leaders", tk.ProgramDesign.from_template("formal"))
    assert not feedback.ok
    assert any("reverse programme" in point and "reconsider the seniority rule" in point for point in feedback.points)
    fixed = tk.ProgramDesign.from_template("formal").override({"seniority": {"direction": "mentee_senior"},
                                                               "criteria": {"skills": {"weight": 6}}})
    assert course.check_design("digital_leaders", fixed).ok


def test_an_unknown_brief_or_kind_names_the_known_ones():
    with pytest.raises(tk.ToolkitError, match="digital_leaders"):
        course.check_kind("digital_leader", "reverse")
    with pytest.raises(tk.ToolkitError, match="reverse"):
        course.check_kind("digital_leaders", "reversed")


def test_measures_available_reads_the_client_yaml():
    table = course.measures_available(SAMPLES / "northwind")
    assert list(table["level"].drop_duplicates()) == ["reaction", "learning", "behaviour", "results"]
    assert table["this client has it"].all()


def test_the_matching_check_runs_the_match_and_names_a_missed_brief_need():
    riverbank = tk.load_client(SAMPLES / "riverbank")
    good = course.check_matching("digital_leaders", riverbank.design(), riverbank)
    assert good.ok, good
    assert any("pairs" in point for point in good.points)
    wrong = course.check_matching("digital_leaders", tk.ProgramDesign.from_template("formal"), riverbank)
    assert not wrong.ok
    text = " ".join(wrong.points)
    assert "reconsider the seniority rule" in text
    # the formal direction leaves people without an eligible partner; the check says how many and why
    assert "unmatched" in text


def test_the_unfair_draft_is_flagged_by_the_audit_and_the_reasons_name_the_shared_free_time():
    kestrel = course.course_client("kestrel")
    draft = tk.match(kestrel.roster(), kestrel.design())
    audit = course.audit_table(draft, min_group=5).set_index("group")
    hull = kestrel.roster().participants.query("site == 'Hull' and role == 'mentee'")
    matched = set(draft.pairs["mentee_id"])
    # the audit's figure, computed here from the pairs
    assert audit.at["site: Hull", "match rate"] == f"{sum(p in matched for p in hull['participant_id']) / len(hull):.0%}"
    assert audit.at["site: Hull", "flagged"].startswith("yes")
    reasons = course.left_out(draft)
    assert set(reasons["site"]) == {"Hull"} and reasons["why nobody was found"].str.contains("availability").any()
    assert not reasons["why nobody was found"].str.contains(r"\byou\b").any()  # about them, not to them


def test_mentee_choice_counts_the_rankings_the_match_honoured():
    client = tk.load_client(SAMPLES / "northwind")
    roster, design = client.roster(), client.design()
    result = tk.match(roster, design)
    table = course.mentee_choice({"as designed": result}).iloc[0]
    ranks = roster.participants.set_index("participant_id")["preferences"].to_dict()
    partner = dict(zip(result.pairs["mentee_id"], result.pairs["mentor_id"]))
    rankers = [person for person, choices in ranks.items() if len(choices)]
    assert table["mentees who ranked mentors"] == len(rankers)
    assert table["got a mentor they ranked"] == sum(partner.get(person) in ranks[person] for person in rankers)
    assert table["got their first choice"] == sum(partner.get(person) == ranks[person][0] for person in rankers)
    assert table["got a mentor they ranked"] == int((result.pairs["preferences"] > 0).sum())


def test_vague_goals_are_sent_back_letter_by_letter_and_smart_ones_pass():
    design = tk.ProgramDesign.from_template("formal")
    vague = course.check_goals(["Get better at presenting"], design, programme_end="2026-11-30")
    assert not vague.ok and "Measurable" in vague.points[0]
    smart = course.check_goals(["Lead two client workshops and get a rating of 4/5 or more by September 2026"],
                               design, programme_end="2026-11-30")
    assert smart.ok, smart
    too_many = course.check_goals(["Lead two client workshops and get a rating of 4/5 or more by September 2026"] * 4,
                                  design, programme_end="2026-11-30")
    assert not too_many.ok and "1 to 3 goals" in too_many.points[0]


def test_the_timeline_order_passes_and_a_swap_is_explained_in_the_messages_names():
    client = tk.load_client(SAMPLES / "northwind")
    timeline = communications_timeline(client.design())  # the dates follow from the design alone
    expected = list(timeline.sort_values("date", kind="stable")["id"])
    assert course.check_communication_order(client, expected).ok
    swapped = expected.copy()
    swapped[3], swapped[4] = swapped[4], swapped[3]  # introductions before training
    feedback = course.check_communication_order(client, swapped)
    assert not feedback.ok and len(feedback.points) == 1
    assert ('"Match introductions (one per pair or circle)" comes before "Training and orientation invitations"'
            in feedback.points[0] and "briefed" in feedback.points[0])
    assert sorted(course.shuffled_messages(client)) == sorted(expected) != course.shuffled_messages(client)
    missing = course.check_communication_order(client, expected[1:])
    assert not missing.ok and "Launch announcement" in missing.points[0]
    twice = course.check_communication_order(client, [expected[0], *expected[:-1]])
    assert "Placed more than once: Launch announcement" in " ".join(twice.points)


def test_interventions_right_and_wrong():
    right = {situation: action for situation, (action, _) in course.SITUATIONS.items()}
    assert course.check_interventions(right).ok
    wrong = {**right, "met twice, then nothing for two months": "close"}
    feedback = course.check_interventions(wrong)
    assert not feedback.ok and len(feedback.points) == 1 and "closing conversation" in feedback.points[0]
    with pytest.raises(tk.ToolkitError, match="unknown action"):
        course.check_interventions({**right, "met twice, then nothing for two months": "shout"})
    assert course.check_interventions({}).empty


@pytest.mark.slow
def test_the_intervention_advice_is_the_engagement_rules_own():
    client = tk.load_client(SAMPLES / "northwind")
    summary = course.at_risk_summary(client, as_of="2026-05-15")
    flagged = tk.engagement.at_risk(client, as_of="2026-05-15")
    assert summary["units"].sum() == len(flagged)
    assert set(summary["suggested intervention"]) <= set(course.ACTIONS.values())


def test_effect_words_follow_cohens_bands():
    assert [course.effect_word(d) for d in (0.1, -0.3, 0.5, 0.79, 0.8, -1.2)] == [
        "negligible", "small", "medium", "medium", "large", "large"]


@pytest.mark.slow
def test_breakdown_sizes_hide_every_group_below_the_threshold_and_one_more_when_only_one_is():
    client = tk.load_client(SAMPLES / "northwind")
    sizes = course.breakdown_sizes(client, "team")
    threshold = client.privacy["min_group"]
    assert not sizes.loc[sizes["people"] < threshold, "shown"].any()
    small = int((sizes["people"] < threshold).sum())
    assert int((~sizes["shown"]).sum()) == (small + 1 if small == 1 else small)
    people = client.roster().participants
    assert sizes["people"].sum() == int(people["role"].isin(["mentee", "both"]).sum())


@pytest.mark.slow
def test_impact_claims_checked_against_the_data():
    client = tk.load_client(SAMPLES / "northwind")
    baseline = tk.load_survey(client.survey("baseline")["path"], instrument="baseline")
    end = tk.load_survey(client.survey("end")["path"], instrument="end_of_programme")
    change = tk.survey.pre_post(baseline, end).set_index("construct").loc["self_efficacy"]
    right_word = course.effect_word(change["d_z"])
    coarse = next(by for by in ("site", "department") if course.breakdown_sizes(client, by)["shown"].all())
    honest = course.check_impact_claims(client, construct="self_efficacy", effect=right_word,
                                        caused_by_mentoring=False, break_down_by=coarse)
    assert honest.ok, honest
    wrong_word = "large" if right_word != "large" else "small"
    draft = course.check_impact_claims(client, construct="self_efficacy", effect=wrong_word,
                                       caused_by_mentoring=True, break_down_by="team")
    text = " ".join(draft.points)
    assert not draft.ok and len(draft.points) == 3
    assert f"conventionally {right_word}" in text and "comparison group" in text and "anonymity" in text


def test_feedback_shows_the_answer_it_judged_escaped_above_the_verdict():
    feedback = course.Feedback(False, "not yet.", ("Say by when.",)).with_answer(["<b>Retention</b> up", " "])
    page = feedback._repr_html_()
    assert feedback.answer == ("<b>Retention</b> up",)  # blank lines dropped
    assert page.index("Your answer:") < page.index("Reconsider:") and "&lt;b&gt;Retention&lt;/b&gt; up" in page
    assert str(feedback).splitlines()[0] == "Your answer: <b>Retention</b> up"
    empty = course.check_success_measures([" ", ""])
    assert empty.empty and empty.mark == "No answer yet" and "tk-feedback-empty" in empty._repr_html_()


# -- the site --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("course-site")
    assert main(["course", "--out", str(out)]) == 0
    return out


_EXTERNAL_TAG = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.I)


@pytest.mark.slow
def test_course_out_executes_every_page_into_an_offline_site(site):
    pages = sorted(path.name for path in site.glob("*.html"))
    assert pages == sorted(["index.html", "facilitator_guide.html"] + [f"{lesson.name}.html" for lesson in course.LESSONS])
    index = (site / "index.html").read_text(encoding="utf-8")
    for lesson in course.LESSONS:
        assert f"href='{lesson.name}.html'" in index or f'href="{lesson.name}.html"' in index
    assert "facilitator_guide.html" in index and "EMCC" in index and "Screening" in index
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert _EXTERNAL_TAG.search(text) is None, f"{page.name} loads something from the internet"
        assert tk.reports.external_references(text) == [], page.name
        assert "Traceback" not in text and "Running HiGHS" not in text, page.name
        assert "import toolkit" not in text and "from toolkit" not in text, f"{page.name}: code is hidden"
        assert "model_id" not in text, f"{page.name}: a widget with no kernel behind it"


@pytest.mark.slow
@pytest.mark.parametrize("lesson", course.LESSONS, ids=lambda lesson: lesson.name)
def test_each_page_shows_its_tables_and_every_exercise_as_a_static_question(site, lesson):
    text = (site / f"{lesson.name}.html").read_text(encoding="utf-8")
    assert lesson.title.split(":")[0] in text and "Contents</a>" in text
    names = [name for source in _code(COURSE / f"{lesson.name}.ipynb")
             for name in re.findall(r'(?:course\.exercise|\.step)\("(\w+)"\)', source)]
    assert len(re.findall(r"class=[\"']tk-course-static", text)) == len(names)
    assert "mentoring-toolkit course --serve" in text
    assert "<table" in text  # the lesson's tables, computed when it ran


def test_the_course_command_refuses_options_that_do_not_go_together(capsys):
    assert main(["course", "--port", "8765"]) == 2
    assert "--port, --work and --preheat go with --serve" in capsys.readouterr().err
    assert main(["course", "--preheat", "index"]) == 2
    assert "--port, --work and --preheat go with --serve" in capsys.readouterr().err
    assert main(["course", "--serve", "--preheat", "index,01_six_kind"]) == 2  # before any folder or server
    said = capsys.readouterr().err
    assert "--preheat names 01_six_kind, which this course does not serve" in said and "01_six_kinds" in said
    assert main(["course", "--serve", "--lesson", "01_six_kinds"]) == 2
    assert "--lesson only chooses pages for the offline site" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["course", "--serve", "--out", "site"])  # one or the other, as argparse says
    assert "not allowed with argument" in capsys.readouterr().err
    assert main(["course", "--out", "site", "--lesson", "09_nothing"]) == 2
    assert "No lesson called 09_nothing" in capsys.readouterr().err


def test_the_served_course_is_the_lessons_with_links_the_kernel_and_the_capstone_s_working_folder(tmp_path):
    site = course.build_served_course(tmp_path / "site", work_dir=tmp_path / "work")
    assert site.pages == ["index", *(lesson.name for lesson in course.LESSONS), "facilitator_guide"]
    assert site.client is None
    for name in site.pages:
        notebook = nbformat.read(site.folder / f"{name}.ipynb", as_version=4)
        assert notebook.metadata["kernelspec"]["name"] == tk.reports.runner.ensure_kernel()
        if name != "index":
            assert "class='tk-course-nav tk-course-nav-top'" in notebook.cells[0].source
            assert "class='tk-course-nav tk-course-nav-bottom'" in notebook.cells[-1].source
            assert "href='index.ipynb'" in notebook.cells[0].source
    capstone = nbformat.read(site.folder / "08_capstone.ipynb", as_version=4)
    parameters = next(cell for cell in capstone.cells if "parameters" in cell.metadata.get("tags", []))
    assert parameters.source == f"work_dir = {str(tmp_path / 'work')!r}\n"
    index = "\n".join(cell.source for cell in nbformat.read(site.folder / "index.ipynb", as_version=4).cells)
    assert all(f"href='{lesson.name}.ipynb'" in index for lesson in course.LESSONS) and "Nothing here needs code" in index
