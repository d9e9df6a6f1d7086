"""Client reports: run by papermill, self-contained, private, audited, and never half-written."""

from __future__ import annotations

import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from conftest import require_chromium

import toolkit as tk
from toolkit import reports
from toolkit.client import load_client
from toolkit.errors import ConfigError, ReportError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = ROOT / "sample_data"
CLIENTS = ("northwind", "riverbank", "lumen")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@pytest.fixture(scope="module")
def readiness_reports(sample_reports):
    return {slug: run for (slug, _), run in sample_reports.many((slug, "readiness") for slug in CLIENTS).items()}


class _Resources(HTMLParser):
    """Every attribute value that makes a browser fetch something, found by a real HTML parser."""

    FETCHING = {"src", "href", "srcset", "poster", "data", "action", "formaction"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in self.FETCHING and value:
                self.urls.append(value)


def _fetched(page: str) -> list[str]:
    parser = _Resources()
    parser.feed(page)
    css_urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", page)
    return [url for url in parser.urls + css_urls if not url.startswith(("#", "data:"))]


def _visible_text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", page, flags=re.S)))


@pytest.mark.parametrize("slug", CLIENTS)
def test_readiness_report_is_self_contained_private_and_hides_code(readiness_reports, slug):
    run = readiness_reports[slug]
    page = run.html.read_text(encoding="utf-8")
    assert _fetched(page) == []
    assert reports.external_references(page) == []
    assert "<script" not in page.lower()
    assert EMAIL.findall(_visible_text(page)) == []
    assert "import toolkit" not in page and "tk.reports" not in page  # code cells are hidden
    assert len(page.encode()) < 3_000_000
    assert run.notebook.exists()


@pytest.mark.parametrize("slug", CLIENTS)
def test_audit_trail_fingerprints_every_input_file(readiness_reports, slug):
    run = readiness_reports[slug]
    config = load_client(SAMPLE_DATA / slug / "client.yaml")
    page = run.html.read_text(encoding="utf-8")
    named = [config.path] + [entry["path"] for entry in config.data["participants"]]
    for path in named:
        assert hashlib.sha256(path.read_bytes()).hexdigest() in page, path.name
    fingerprints = {item["file"]: item["sha256"] for item in run.audit["inputs"]}
    assert len(fingerprints) == len(reports.input_files(config))
    assert "PuLP" in run.audit["versions"] and "pandas" in run.audit["versions"]
    assert run.audit["facts"]["participants"] == len(config.roster())
    assert "Audit trail" in page


def test_executive_summary_is_computed_from_the_readiness_figures(readiness_reports):
    page = _visible_text(readiness_reports["northwind"].html.read_text(encoding="utf-8"))
    northwind = load_client(SAMPLE_DATA / "northwind")
    readiness = tk.readiness(northwind.roster(), northwind.design())
    overall = readiness.overall
    assert f"{overall['places']} mentor places for {overall['demand']} mentees" in page
    verdict = "Ready to match" if overall["places"] >= overall["demand"] else "Not yet ready"
    assert verdict in page
    assert "FP&amp;A" in page  # the scarce skill named in the summary
    lumen = _visible_text(readiness_reports["lumen"].html.read_text(encoding="utf-8"))
    assert "Ready to form circles" in lumen and "facilitators" in lumen


def _small_client(folder: Path) -> Path:
    """A copy of the Riverbank client (the smallest) that a test may break."""
    shutil.copytree(SAMPLE_DATA / "riverbank", folder)
    return folder / "client.yaml"


def _break_participants(client: Path) -> None:
    frame = pd.read_excel(client.parent / "participants.xlsx")
    frame.loc[3, "Employee number"] = frame.loc[2, "Employee number"]  # a duplicated id: the intake refuses it
    frame.to_excel(client.parent / "participants.xlsx", index=False)


@pytest.mark.slow
def test_a_failed_run_names_the_bad_input_keeps_the_partial_notebook_and_the_good_report(tmp_path):
    client = _small_client(tmp_path / "client")
    out = tmp_path / "out"
    good = reports.run("readiness", client, out)
    before = good.html.read_bytes()
    _break_participants(client)
    with pytest.raises(ReportError) as caught:
        reports.run("readiness", client, out)
    message = str(caught.value)
    # The intake's own message (file, row, value, fix) is the whole story; no "open the notebook".
    assert "readiness report" in message and "stopped on its input" in message
    assert "participants.xlsx" in message and "row 5" in message and "failing cell" not in message
    assert (out / "readiness.failed.ipynb").exists()
    assert good.html.read_bytes() == before
    assert not [path for path in out.iterdir() if path.name.startswith(".")]  # no temporary files left


@pytest.mark.slow
def test_batch_runs_every_client_and_one_failure_does_not_stop_the_others(tmp_path):
    clients = tmp_path / "clients"
    _small_client(clients / "good")
    _break_participants(_small_client(clients / "broken"))
    lines = []
    table = reports.batch(clients, ["readiness"], tmp_path / "out", workers=2, progress=lines.append)
    status = dict(zip(table["client"], table["status"]))
    assert status == {"broken": "failed", "good": "ok"}
    assert (tmp_path / "out" / "good" / "readiness.html").exists()
    assert "stopped on its input" in table.set_index("client").loc["broken", "detail"]
    assert len(lines) == 2 and lines[-1].startswith("[2/2]")


def test_unknown_report_and_bad_client_yaml_say_what_to_do(tmp_path):
    with pytest.raises(ReportError, match="readiness"):
        reports.run("readines", SAMPLE_DATA / "riverbank" / "client.yaml", tmp_path)
    client = _small_client(tmp_path / "client")
    client.write_text(client.read_text().replace("privacy:", "privacyy:"))
    with pytest.raises(ConfigError, match="privacy"):
        reports.run("readiness", client, tmp_path / "out")


def test_new_client_scaffold_validates_and_is_never_overwritten(tmp_path):
    folder = reports.new_client("Acme Widgets Ltd", tmp_path)
    assert folder.name == "acme-widgets-ltd"
    config = load_client(folder / "client.yaml")
    assert config.name == "Acme Widgets Ltd"
    assert config.design().start_date < config.design().end_date
    with pytest.raises(ReportError, match="already exists"):
        reports.new_client("Acme Widgets Ltd", tmp_path)


@pytest.mark.parametrize("page, expected", [
    ('<script src="https://cdn.example/vega.js"></script>', ["https://cdn.example/vega.js"]),
    ("<link href='//fonts.example/x.css'>", ["//fonts.example/x.css"]),
    ("<style>body{background:url( 'http://x.example/a.png')}</style>", ["http://x.example/a.png"]),
    ('<style>@import "https://x.example/a.css";</style>', ["https://x.example/a.css"]),
    ('<a href="#audit">audit</a><img src="data:image/png;base64,AAAA">', []),
    ("<p>See https://example.org for more</p>", []),  # text, not a fetch
])
def test_external_references_finds_what_a_browser_would_fetch(page, expected):
    assert reports.external_references(page) == expected


@pytest.mark.browser
def test_report_opens_offline_in_a_real_browser_with_its_chart_drawn(readiness_reports):
    executable = require_chromium("the offline report test")
    from playwright.sync_api import sync_playwright

    page_path = readiness_reports["northwind"].html
    outside = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(("file:", "data:"))
                                              else (outside.append(route.request.url), route.abort())))
            page.goto(page_path.as_uri())
            images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
            text = page.inner_text("body")
            artifacts = ROOT / "test-artifacts"
            artifacts.mkdir(exist_ok=True)
            page.screenshot(path=str(artifacts / "readiness_report.png"), full_page=True)
        finally:
            browser.close()
    assert outside == []
    assert images and all(complete and width > 100 for complete, width in images)
    assert "Ready to match" in text and "Audit trail" in text


def test_matching_sections_are_computed_from_the_result_and_carry_no_contact_details(tmp_path):
    from standin_matching import small_roster, solve

    import toolkit as tk

    roster = small_roster()
    design = tk.ProgramDesign.from_template("formal").override({"rules": {"exclude_same_team": False}})
    result = solve(roster, design)
    context = reports.ReportContext(config=None, roster=roster, design=design)
    context.keep("match", result)
    summary = repr(reports.matching_summary(context))
    matched = len(result.pairs)
    assert f"{matched} of 8 mentees matched ({matched / 8:.0%})" in summary
    assert "certified optimal" in summary
    pairs = reports.pairs_section(context).html  # for leadership: the match in numbers, no names
    assert f"{matched} proposed pairs" in pairs
    assert not any(roster.display_name(person) in pairs for person in result.pairs["mentee_id"])
    assert "@" not in pairs + reports.unmatched_section(context).html
    # the programme team's workbook has the pairs by name, best first, each with its strongest reasons
    workbook = tmp_path / "pairs.xlsx"
    reports.team_workbook(context, str(workbook))
    sheet = pd.read_excel(workbook, sheet_name="pairs")
    assert len(sheet) == matched and sheet["match score"].is_monotonic_decreasing
    assert sheet.iloc[0]["match score"] == pytest.approx(result.pairs["score"].max(), abs=0.005)
    assert set(sheet["mentee"]) == {roster.display_name(person) for person in result.pairs["mentee_id"]}
    assert sheet["strongest reasons"].str.len().gt(0).all()
    assert not sheet.astype(str).apply(lambda column: column.str.contains("@")).any().any()


@pytest.fixture(scope="module")
def matching_reports(sample_reports):
    runs = sample_reports.many((slug, "matching") for slug in ("riverbank", "lumen"))
    return {slug: run for (slug, _), run in runs.items()}


def test_matching_report_states_the_certified_match_and_its_audit(matching_reports):
    import toolkit as tk

    for slug, run in matching_reports.items():
        page = run.html.read_text(encoding="utf-8")
        text = _visible_text(page)
        config = load_client(SAMPLE_DATA / slug / "client.yaml")
        # the match the match command would adopt today: people the HR extract says have left are out
        away = tk.programme_state(config).unavailable()
        roster = config.roster()
        result = tk.match(roster.subset([person for person in roster.ids if person not in away]), config.design())
        if result.shape == "circles":
            assert f"{result.circles['circle_id'].nunique()} circles formed" in text
        else:
            mentees = int(roster.participants["role"].isin(["mentee", "both"]).sum()) - len(
                [person for person in away if person in roster and roster.get(person)["role"] in ("mentee", "both")])
            assert f"{len(result.pairs)} of {mentees} mentees matched" in text
        assert run.audit["facts"]["solver status"] == "optimal"
        assert "certified optimal" in text and "Fairness audit" in text
        assert EMAIL.findall(text) == [] and reports.external_references(page) == []


@pytest.fixture(scope="module")
def measurement_reports(sample_reports):
    runs = sample_reports.many(("riverbank", report) for report in ("health", "impact"))
    return {report: run for (_, report), run in runs.items()}


def test_health_and_impact_reports_compute_their_summaries_and_carry_no_raw_answers(measurement_reports):
    from toolkit.measure import engagement, impact

    config = load_client(SAMPLE_DATA / "riverbank")
    health = _visible_text(measurement_reports["health"].html.read_text(encoding="utf-8"))
    activity = engagement.activity(config)
    running = activity[~activity["status"].isin(["ended", "superseded"])]  # not ended early
    assert f"{running['active_30_days'].mean():.0%} of pairs met in the 30 days" in health
    page = measurement_reports["impact"].html.read_text(encoding="utf-8")
    text = _visible_text(page)
    retained = impact.outcomes(config).query("outcome == 'retained' and group == 'participant'").iloc[0]
    assert f"Retention {retained['rate']:.0%} among participants" in text
    assert "association, not proof" in text and "Holm" in text
    for body in (health, text):
        assert EMAIL.findall(body) == []
        assert re.search(r"\bR[0-9a-f]{12}\b", body) is None  # no respondent pseudonyms, so no raw rows
    comments = pd.read_excel(config.survey("end")["path"]).filter(like="improve").dropna()
    assert not any(str(answer) in text for answer in comments.iloc[:, 0] if len(str(answer)) > 25)


def test_preparing_a_report_context_outside_a_notebook_prints_nothing(capfd):
    # record() hands facts to the audit trail through a notebook's display; in plain Python
    # (a script, the CLI) there is no notebook and nothing may be printed.
    context = reports.prepare(ROOT / "sample_data" / "riverbank" / "client.yaml")
    reports.match_result(context)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
