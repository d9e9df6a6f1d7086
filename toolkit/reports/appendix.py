"""The methods appendix every report ends with: how the figures were computed."""

from __future__ import annotations

import dataclasses

from .context import Block, ReportContext, bullets_html

__all__ = ["methods"]


def methods(context: ReportContext, report: str) -> Block:
    """The methods appendix: how the figures were computed, stated for a reader who checks."""
    design = context.design
    active = [name.replace("exclude_", "no ").replace("_", " ")
              for name, value in dataclasses.asdict(design.rules).items() if value not in (None, False, 0)]
    lines = []
    if report == "matching" and context._match is not None:
        result = context._match
        lines += [
            f"Objective: {result.design.objective.replace('_', ' ')}. Each pair's score is the sum of weight x part "
            "over the criteria in the design section; every part is between 0 and 1, so the parts shown add up to "
            "the score.",
            f"Solved as a linear programme with PuLP and {result.certificate.solver}; {result.certificate}",
        ]
    if report in ("health", "impact"):
        lines += [
            "Survey answers were read from the survey tool's export, checked against each item's scale and given "
            "stable pseudonyms before analysis; no raw answers appear in this report.",
            "A construct score is the mean of a person's answered items when at least 75% of them were answered; "
            "reverse-worded items were turned round first.",
            "Change is measured on people who answered both surveys: mean change with a bootstrap 95% interval "
            "(2,000 resamples, fixed seed), d_z with Hedges' small-sample correction, the Wilcoxon signed-rank test "
            "with zero differences dropped, the matched-pairs rank-biserial correlation, and Holm's correction "
            "across constructs.",
            "Rates have Wilson intervals and differences Newcombe's hybrid score interval. Participants chose to "
            "join, so comparisons with non-participants show association, not cause.",
        ]
    lines += [
        "Participants were read from the client's own files; every row was loaded, merged (one person "
        "signing up twice or as both mentor and mentee) or set aside with a reason, as the intake table shows.",
        f"Mentor places are each mentor's stated capacity, {design.capacity.default} when none was given and "
        f"at most {design.capacity.max}; coverage is places divided by the places mentees need.",
        "Eligible partners are counted after the programme's hard rules"
        + (f" ({', '.join(active)})" if active else "") + "; a rule that lacks data on either side lets the "
        "pair through, and the missing data is reported.",
        f"No table in this report shows a group of fewer than {context.min_group} people's survey answers; "
        "names appear only where the programme team needs them to act, and no contact details appear.",
    ]
    return Block(bullets_html(lines))
