"""Client reports: parameterised notebooks run by papermill into self-contained HTML.

A report is a thin notebook in ``notebooks/reports/`` with one ``parameters`` cell.
:func:`run` executes it for one client in this environment's own kernel, exports HTML
with the code hidden, appends an audit trail (parameters, SHA-256 of every input file,
package versions, solver and status, run date and duration) and writes the HTML and the
executed notebook atomically: a failed run never replaces a good report::

    import toolkit as tk
    tk.reports.run("readiness", "sample_data/northwind/client.yaml", out="reports/northwind")

The HTML loads nothing from the internet: charts are embedded as images, the page
carries its own styles, and :func:`external_references` is checked before anything is
written. The helpers further down (``prepare``, ``readiness_summary``, ...) are what the
report notebooks call, so the notebooks hold no logic.

The package, one concern a module:

- :mod:`.runner`: :func:`run`, the kernel, :data:`REPORTS` and :func:`available_reports`;
- :mod:`.export`: the HTML export and :func:`external_references`;
- :mod:`.audit`: the audit trail and :func:`record`;
- :mod:`.batches`: :func:`batch` over many clients;
- :mod:`.scaffold`: :func:`new_client`;
- :mod:`.context`: :class:`ReportContext`, :class:`Block` and :func:`prepare`;
- :mod:`.readiness_sections`, :mod:`.matching_sections`, :mod:`.outcome_sections` (health and
  impact) and :mod:`.appendix` (the technical appendix: methods, glossary): what the report notebooks call;
- :mod:`.evidence`: the published figures a report may quote and what compares with them;
- :mod:`.evidence_sections`: the impact report's Phillips ROI, evidence panel and Kirkpatrick levels;
- :mod:`.standards` and :mod:`.standards_sections`: the standards evidence pack (EMCC's standards, MENTOR's
  elements, the evidence in the client folder, a readiness estimate);
- :mod:`.pdf`: the same HTML printed to PDF by the system Chromium.
"""

from __future__ import annotations

from .appendix import appendix_intro, glossary, methods
from .audit import AUDIT_MIME, audit_trail, input_files, record
from .batches import batch
from .context import Block, ReportContext, executive_page, prepare
from .evidence import PUBLISHED, comparable
from .evidence_sections import evidence_panel, levels_section, roi_analysis, roi_headline, roi_section
from .export import export_html, external_references
from .matching_sections import (
    choices_section,
    fairness_section,
    match_quality_chart,
    match_result,
    matching_summary,
    pairs_section,
    recruiting_advice,
    stability_section,
    strongest_reasons,
    team_workbook,
    unmatched_section,
)
from .outcome_sections import (
    activity_chart,
    at_risk_units,
    benchmarks_section,
    closure_section,
    comments_section,
    fit_check_section,
    funnel_chart,
    funnel_section,
    goal_progress_table,
    health_summary,
    impact_summary,
    nps_chart,
    outcomes_chart,
    outcomes_section,
    pre_post_chart,
    pre_post_section,
    pre_post_statistics,
    pulse_section,
    relationship_chart,
    relationship_status_section,
    reliability_section,
    rematch_section,
    shortlist_round_section,
)
from .pdf import find_chromium, to_pdf
from .readiness_sections import (
    at_risk_section,
    design_section,
    intake_section,
    readiness_chart,
    readiness_summary,
    readiness_verdict,
    segments_section,
)
from .runner import (
    DEMO_REPORTS,
    KERNEL_NAME,
    REPORTS,
    ReportRun,
    available_reports,
    ensure_kernel,
    run,
)
from .scaffold import new_client
from .standards import assess as assess_standards
from .standards_sections import (
    award_section,
    settings_section,
    standards_section,
    standards_summary,
    supply_section,
)

__all__ = [
    # running reports
    "REPORTS", "DEMO_REPORTS", "KERNEL_NAME", "ReportRun", "available_reports", "run", "ensure_kernel", "batch",
    "new_client",
    # HTML and audit trail
    "export_html", "external_references", "to_pdf", "find_chromium", "AUDIT_MIME", "audit_trail", "input_files", "record",
    # what the report notebooks call
    "prepare", "ReportContext", "Block", "methods", "glossary", "appendix_intro", "executive_page",
    "roi_analysis", "roi_headline", "evidence_panel", "levels_section", "PUBLISHED", "comparable",
    "pre_post_statistics", "benchmarks_section",
    "readiness_verdict", "readiness_summary", "design_section", "intake_section", "segments_section",
    "readiness_chart", "at_risk_section",
    "match_result", "matching_summary", "pairs_section", "match_quality_chart", "fairness_section",
    "stability_section", "unmatched_section", "recruiting_advice", "choices_section", "strongest_reasons",
    "team_workbook",
    "health_summary", "funnel_section", "funnel_chart", "activity_chart", "at_risk_units", "pulse_section",
    "goal_progress_table", "impact_summary", "pre_post_section", "pre_post_chart", "reliability_section",
    "outcomes_section", "outcomes_chart", "relationship_chart", "nps_chart", "comments_section", "roi_section",
    "relationship_status_section", "closure_section", "fit_check_section", "shortlist_round_section",
    "rematch_section", "assess_standards", "standards_summary", "award_section", "standards_section",
    "supply_section", "settings_section",
]
