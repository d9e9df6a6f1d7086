"""Reports a client executive reads in five minutes: plain words first, nothing stray, honest numbers.

The five reports are run for the three sample clients once per test run (the session's ``sample_reports``,
shared with test_reports and test_pdf); every test reads them
as a client would: the executive page has no statistician's jargon or code names, nothing printed by
a library reaches the page, money carries its currency, plurals agree, the technical appendix is
headed and holds the statistics, and ROI is a headline only when its range is clear of zero.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import branded_copy, require_chromium

from toolkit import reports
from toolkit.client import load_client
from toolkit.design.vocabulary import CRITERIA
from toolkit.errors import ConfigError
from toolkit.labels import label, money
from toolkit.measure import impact

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = ROOT / "sample_data"
CLIENTS = ("northwind", "riverbank", "lumen")
REPORTS = ("readiness", "matching", "health", "impact", "standards")

# Words a client executive should not meet on the first page (the technical appendix may use them).
JARGON = [r"\bd_z\b", r"\bHolm\b", r"\balpha\b", r"\bVADER\b", r"\bdual\b", r"deferred acceptance",
          r"rank-biserial", r"\bp-value", r"\bp \(", r"Wilcoxon", r"Cronbach", r"\bobjective:",
          r"\b[a-z]+(?:_[a-z0-9]+)+\b"]  # snake_case code names such as match_rate, pulse_2026_08
# What a library, solver or kernel prints; none of it may reach a report.
STRAY = [r"Running HiGHS", r"Copyright \(c\)", r"THIRD_PARTY_NOTICES", r"Traceback", r"\bWarning:",
         r"\bWARNING\b", r"DeprecationWarning", r"FutureWarning", r"\bINFO:", r"\bDEBUG\b",
         r"application/vnd\.jupyter\.std(out|err)", r"jp-OutputArea-error"]


def visible_text(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("&amp;", "&").replace("&#39;", "'")


def executive_page(page: str) -> str:
    """The report's first page: its heading and the executive summary, up to the end of that section."""
    start = page.index('class="tk-exec"')
    return visible_text(page[: page.index("</section>", start)])


@pytest.fixture(scope="module")
def client_reports(sample_reports):
    runs = sample_reports.many((slug, report) for slug in CLIENTS for report in REPORTS)
    return {key: run.html for key, run in runs.items()}


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("slug", CLIENTS)
def test_executive_page_speaks_plain_business_language(client_reports, slug, report):
    page = client_reports[slug, report].read_text(encoding="utf-8")
    first = executive_page(page)
    found = [pattern for pattern in JARGON if re.search(pattern, first)]
    assert found == [], f"{slug} {report} executive page uses {found}: {first[:400]}"
    assert "What happened" in first and "What to do next" in first
    assert re.search(r"\d", first.split("What happened", 1)[1]), "each claim should carry its number"


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("slug", CLIENTS)
def test_nothing_stray_reaches_a_report_or_its_notebook(client_reports, slug, report):
    html_path = client_reports[slug, report]
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", html_path.read_text(encoding="utf-8"), flags=re.S | re.I)
    found = [pattern for pattern in STRAY if re.search(pattern, page)]
    assert found == [], f"{slug} {report} shows {found}"
    notebook = nbformat.read(html_path.with_suffix(".ipynb"), as_version=4)
    kinds = {output.get("output_type") for cell in notebook.cells for output in cell.get("outputs", [])}
    assert not kinds & {"stream", "error"}


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("slug", CLIENTS)
def test_formatting_reads_right(client_reports, slug, report):
    page = client_reports[slug, report].read_text(encoding="utf-8")
    text = visible_text(page)
    # (version numbers such as 9.15.6755 in the audit trail are not measurements)
    assert re.search(r"(?<![\d.])\d+\.\d{4,}(?![\d.])", text) is None, "unrounded numbers"
    assert re.search(r"\b1 (circles|pairs|people|goals|meetings|mentees|mentors|comments|answers)\b", text) is None
    assert "templates/" not in text and "/tmp/" not in text and str(ROOT) not in text, "file paths"
    paragraphs = [visible_text(found).strip() for found in re.findall(r"<p\b[^>]*>(.*?)</p>", page, flags=re.S)]
    repeated = {para for para in paragraphs if len(para) > 60 and paragraphs.count(para) > 1}
    assert repeated == set(), "the same paragraph twice"
    appendix = text.index("Technical appendix")
    assert text.index("Executive summary") < appendix < text.index("Audit trail")
    assert "client.yaml" not in text[:appendix], "the toolkit's configuration named in the client's part of the report"
    assert re.search(r"took (under a second|\d+ seconds?|\d+ minutes?)", text)  # rounded duration


def test_statistics_live_in_the_appendix_and_methods_list_only_what_the_report_has(client_reports):
    impact_text = visible_text(client_reports["northwind", "impact"].read_text(encoding="utf-8"))
    appendix = impact_text.index("Technical appendix")
    for term in ("d_z", "Holm", "Cronbach", "VADER"):
        assert appendix < impact_text.index(term), term
    assert "Eby et al. (2008)" in impact_text and "Allen et al. (2004)" in impact_text
    health = visible_text(client_reports["northwind", "health"].read_text(encoding="utf-8"))
    for absent in ("Holm", "Wilson", "bootstrap", "deferred acceptance", "Mentor places are"):
        assert absent not in health, absent
    readiness = visible_text(client_reports["riverbank", "readiness"].read_text(encoding="utf-8"))
    assert "survey" not in readiness.lower().split("technical appendix", 1)[1].split("audit trail")[0]
    matching = visible_text(client_reports["northwind", "matching"].read_text(encoding="utf-8"))
    stability = matching.index("Would people swap partners")
    assert matching.index("Technical appendix") < stability
    assert "would both rather be with each other" not in matching


@pytest.mark.parametrize("slug", CLIENTS)
def test_roi_is_a_headline_only_when_every_estimate_agrees_and_then_the_most_conservative(client_reports, slug):
    config = load_client(SAMPLE_DATA / slug)
    analysis = impact.roi(config)
    # oracle: each end follows from its retention interval by the stated formula
    settings = config.get("roi")
    per_leaver = settings["replacement_cost_share_of_salary"] * settings["average_salary"]
    for method in analysis.methods:
        for improvement, benefit in zip(method.improvement, method.benefit):
            assert benefit == pytest.approx(improvement * analysis.participants * per_leaver, rel=1e-9)
        assert method.roi[0] <= method.roi[1] <= method.roi[2]
    first = executive_page(client_reports[slug, "impact"].read_text(encoding="utf-8"))
    if analysis.verdict == "positive":
        assert f"Return on investment of at least {analysis.headline:+,.0%}, the most conservative" in first
    else:
        assert "Return on investment of at least" not in first
    if analysis.verdict == "undecided":
        assert "not yet possible to tell" in first and "breaks even" in first
    symbol = money(1000, config.currency)[:-5]
    text = visible_text(client_reports[slug, "impact"].read_text(encoding="utf-8"))
    assert f"{symbol}{analysis.cost:,.0f}" in text  # money with currency and thousands separators
    assert re.search(r"\b\d{5,}\.\d{2}\b", text) is None
    for level in ("level 1, reaction", "level 2, learning", "level 4, results", "level 5, return on investment"):
        assert level in text


@pytest.mark.parametrize("slug", CLIENTS)
def test_the_standards_pack_names_the_evidence_it_lacks_and_is_an_estimate_not_an_accreditation(client_reports, slug):
    text = visible_text(client_reports[slug, "standards"].read_text(encoding="utf-8"))
    first = executive_page(client_reports[slug, "standards"].read_text(encoding="utf-8"))
    assert "Standards evidence pack" in first
    assert "Readiness estimate:" in first and "not an accreditation" in first
    assert "For leadership and the programme's evaluator." in first
    body = text[: text.index("Technical appendix")]
    for name in ("Clarity of purpose", "Selection and matching", "Measurement and review", "Recruitment",
                 "Screening", "Closure"):
        assert name in body
    assert re.search(r"\(missing\): \w", body), "each missing piece of evidence with how to supply it"
    assert "full 12-month cycle" in text


def test_labels_money_and_durations():
    assert label("match_rate") == "Match rate" and label("percent_complete") == "Percent complete"
    assert label("pulse_2026-08") == "Pulse survey, August 2026"
    assert label("stalled_reason") == "Why it stalled" and label("cross_department") == "Across departments"
    assert label("some_new_field") == "Some new field" and label("already words") == "already words"
    lowercase = [name for name in CRITERIA if not label(name)[:1].isupper()]
    assert lowercase == [], f"criteria a report would show in lower case or as code: {lowercase}"
    assert money(824189.0, "GBP") == "£824,189" and money(-1234.6, "EUR") == "-€1,235"
    assert money(12, "XYZ") == "XYZ 12" and money(float("nan")) == "n/a"
    from toolkit.labels import duration

    assert duration(2.7047171570000046) == "3 seconds" and duration(125) == "2 minutes 5 seconds"


@pytest.mark.slow
def test_stream_output_never_reaches_the_page_at_either_layer():
    """The export drops printed output, and the template alone would too (two independent guards)."""
    from nbconvert import HTMLExporter

    from toolkit.resources import templates_dir

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="Running HiGHS 1.16.0: Copyright (c) 2026\n"),
        nbformat.v4.new_output("stream", name="stderr", text="FutureWarning: something\n"),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>kept</p>", "text/plain": "kept"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "<Figure size 640x480>"}, execution_count=1),
    ]
    notebook.cells.append(cell)
    page = reports.export_html(nbformat.from_dict(json.loads(json.dumps(notebook))), title="t", printed=False)
    assert "kept" in page and "HiGHS" not in page and "FutureWarning" not in page and "Figure size" not in page
    exporter = HTMLExporter(template_name="toolkit", extra_template_basedirs=[str(templates_dir() / "reports")])
    exporter.exclude_input = True
    bare, _ = exporter.from_notebook_node(notebook, resources={"theme_css": "", "drop_printed": True})
    assert "HiGHS" not in bare and "FutureWarning" not in bare and "kept" in bare
    # the course keeps what its lessons print on purpose
    lesson = reports.export_html(nbformat.from_dict(json.loads(json.dumps(notebook))), title="t")
    assert "HiGHS" in lesson and "kept" in lesson


def test_branding_is_embedded_and_fetches_nothing(tmp_path):
    client = branded_copy(tmp_path / "riverbank", extra="currency: EUR\n")
    config = load_client(client)
    assert config.currency == "EUR" and config.branding["consultancy"] == "Harbour Learning"
    context = reports.ReportContext(config, config.roster(), config.design())
    head = context.title("readiness").html
    assert 'src="data:image/svg+xml;base64,' in head and "--tk-accent: #7048e8" in head
    assert "Prepared by Harbour Learning" in head and reports.external_references(head) == []
    assert context.money(1234567) == "€1,234,567"
    client.write_text(client.read_text(encoding="utf-8").replace('"#7048e8"', "purple"), encoding="utf-8")
    with pytest.raises(ConfigError, match="branding.accent"):
        load_client(client)


@pytest.mark.browser
def test_full_page_screenshots_of_each_report_of_one_client(client_reports):
    executable = require_chromium("the report screenshots")
    from playwright.sync_api import sync_playwright

    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    outside, saved = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(("file:", "data:"))
                                              else (outside.append(route.request.url), route.abort())))
            for report in REPORTS:
                page.goto(client_reports["northwind", report].as_uri())
                images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
                assert all(complete and width > 50 for complete, width in images), report
                assert "Executive summary" in page.inner_text("body")
                path = artifacts / f"northwind_{report}_report.png"
                page.screenshot(path=str(path), full_page=True)
                saved.append(path)
        finally:
            browser.close()
    assert outside == []
    assert all(path.stat().st_size > 20_000 for path in saved)


PHONE_CHECK = (Path(__file__).resolve().parent / "fixtures" / "browser" / "phone_390px_check.js").read_text(
    encoding="utf-8").split("\n", 3)[3]


@pytest.mark.browser
def test_every_report_reads_on_a_390px_phone(client_reports):
    """Each report of each sample client in a 390 px wide window: nothing overlaps, nothing runs off the screen,
    tables scroll inside their own box, the glossary stacks, charts fit. Screenshots go to test-artifacts/ to be
    looked at."""
    executable = require_chromium("the phone check")
    from playwright.sync_api import sync_playwright

    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            for (slug, report), path in sorted(client_reports.items()):
                page.goto(path.as_uri())
                result = page.evaluate(PHONE_CHECK)
                assert result["texts"] > 50 and result["tables"] >= 1, (slug, report, result)
                found[slug, report] = result["problems"]
                page.screenshot(path=str(artifacts / f"phone_{slug}_{report}.png"), full_page=True)
        finally:
            browser.close()
    assert {key: problems for key, problems in found.items() if problems} == {}
