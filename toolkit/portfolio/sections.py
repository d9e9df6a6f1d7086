"""The portfolio report's sections (plain words first, statistics in the appendix), and the impact report's
"compared with your other programmes" section.

The portfolio report's notebook calls :func:`prepare` once, then one function per section; each returns a
:class:`toolkit.reports.context.Block` (or an Altair chart).
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..client import load_client
from ..labels import label
from ..reports.context import Block, bullets_html, executive_page, table_html
from ..text import join_words, plural
from .aggregates import programme_identity, programme_record
from .compare import (
    MIN_FOR_GROUPS,
    MIN_FOR_PERCENTILE,
    best_completion,
    percentiles,
    programme_labels,
    trend_statistics,
    trends,
)
from .learning import WORKED, pool, weight_advice
from .store import open_store

__all__ = ["PortfolioContext", "prepare", "title", "summary_section", "standing_section", "programmes_section",
           "trends_section", "best_completion_section", "learning_section", "appendix_statistics",
           "learning_statistics", "store_section", "glossary_section", "compared_section", "MEASURE_WORDS"]

#: How each measure reads in a sentence, and how to show its value.
MEASURE_WORDS = {
    "match_rate": ("match rate", "{:.0%}"),
    "first_choice_share": ("mentees given their first choice", "{:.0%}"),
    "meetings_per_unit_month": ("meetings per pair or circle per month", "{:.2f}"),
    "fit_flag_share": ("pairs flagged at the fit check", "{:.0%}"),
    "completion_rate": ("completion", "{:.0%}"),
    "roi_central": ("return on investment (central)", "{:+.0%}"),
}


@dataclass
class PortfolioContext:
    """The store's tables, loaded once for the portfolio report, and the programme to compare (if any)."""

    store: Path
    programmes: pd.DataFrame
    closure_reasons: pd.DataFrame
    effects: pd.DataFrame
    learning: pd.DataFrame
    highlight: str | None = None  # a programme key

    @property
    def generated(self) -> int:
        return int((self.programmes["origin"] == "generated").sum())


def prepare(store: str | Path, client: str = "") -> PortfolioContext:
    """Load a portfolio store (and, with ``client``, find that client's programme in it) for the report."""
    import altair as alt

    alt.renderers.enable("png", scale_factor=2)
    with open_store(store, create=False) as opened:
        tables = {name: opened.table(name) for name in ("programmes", "closure_reasons", "effects", "learning")}
        key = opened.programme_key(*programme_identity(load_client(client))) if client else None
    programmes = tables["programmes"]
    programmes["label"] = programme_labels(programmes)
    return PortfolioContext(Path(store), programmes, tables["closure_reasons"], tables["effects"], tables["learning"],
                            key if key in set(programmes["programme_key"]) else None)


def _show(measure: str, value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not measured"
    return MEASURE_WORDS[measure][1].format(value)


def title(context: PortfolioContext) -> Block:
    count = len(context.programmes)
    generated = (f" ({context.generated} of them generated examples, labelled [generated])" if context.generated
                 else "")
    return Block(f'<header class="tk-report-head"><p class="tk-kicker">Portfolio</p><h1>The practice\'s '
                 f"programmes</h1><p class=\"tk-sub\">{plural(count, 'programme')}{html.escape(generated)}. "
                 f"Prepared on {dt.date.today():%d %B %Y}. Confidential: for the consultant.</p></header>",
                 f"Portfolio: {plural(count, 'programme')}")


def summary_section(context: PortfolioContext) -> Block:
    """The first page: how many programmes, typical completion, the trend, what goes with completion, advice."""
    programmes = context.programmes
    rates = pd.to_numeric(programmes["completion_rate"], errors="coerce").dropna()
    headline = (f"Across {plural(len(rates), 'programme')} with a completion rate, the middle programme completed "
                f"{rates.median():.0%} of its pairs or circles." if len(rates) else
                "No programme in the portfolio has a completion rate yet.")
    happened = [f"{plural(len(programmes), 'programme')} in the portfolio, started between "
                f"{programmes['start_month'].min()} and {programmes['start_month'].max()}."]
    if context.generated:
        happened.append(f"{context.generated} of them are generated examples, not real clients.")
    means, next_steps = [], []
    means += _trend_sentences(context)[:1]
    found = _best_sentences(context)
    means += found[:2]
    advice = _advice(context)
    changes = advice[advice["suggested"] != advice["current"]] if len(advice) else advice
    if len(changes):
        next_steps += list(changes["advice"])
    elif len(advice):
        next_steps.append("Keep the matching weights as they are: no criterion's link with relationships that "
                          "worked is clear enough to change one (see What the matching could learn).")
    next_steps.append("Add each programme when it ends (mentoring-toolkit portfolio add), so the comparison grows.")
    return executive_page(headline, happened, means, next_steps)


def standing_section(context: PortfolioContext) -> Block:
    """The programme asked about, measure by measure, against the others (percentiles with their counts)."""
    if context.highlight is None:
        return Block("<p>No single programme was asked about (give the report a client to compare one).</p>")
    table = percentiles(context.programmes, context.highlight)
    return Block(_standing_html(table, "This programme against the portfolio"))


def _standing_html(table: pd.DataFrame, caption: str) -> str:
    rows = pd.DataFrame({
        "measure": [MEASURE_WORDS[name][0] for name in table["measure"]],
        "this programme": [_show(name, value) for name, value in zip(table["measure"], table["value"])],
        "middle of the portfolio": [_show(name, value) for name, value in zip(table["measure"], table["median"])],
        "where it stands": [_where(row) for row in table.itertuples()],
    })
    return table_html(rows, caption=caption) + (
        f'<p class="tk-note">A percentile is given only when at least {MIN_FOR_PERCENTILE} programmes measured the '
        "same thing; "
        "\"better than 70%\" means it did better than 70% of the other programmes that measured it.</p>")


def _where(row) -> str:
    if row.value is None or (isinstance(row.value, float) and math.isnan(row.value)):
        return "not measured in this programme"
    if row.percentile is None or (isinstance(row.percentile, float) and math.isnan(row.percentile)):
        return f"only {plural(row.programmes, 'programme')} measured this: too few for a percentile"
    return f"better than {row.percentile:.0f}% of the other {row.programmes - 1} programmes"


def programmes_section(context: PortfolioContext) -> Block:
    """Every programme in one table (no names: start month, kind, sector and size bands)."""
    programmes = context.programmes.sort_values(["start_month", "label"], na_position="first")
    shown = pd.DataFrame({"programme": programmes["label"],
                          **{MEASURE_WORDS[name][0]: [_show(name, value) for value in programmes[name]]
                             for name in ("completion_rate", "meetings_per_unit_month", "match_rate",
                                          "fit_flag_share")}})
    return Block(table_html(shown, caption=f"Every programme ({len(shown)})"))


def trends_section(context: PortfolioContext) -> Block:
    """The medians per start year, with how many programmes each year has, and the trend in words."""
    table = trends(context.programmes)
    if not len(table):
        return Block("<p>No programme has a start date, so there is no trend to show.</p>")
    shown = pd.DataFrame({"started in": table["year"].astype(str), "programmes": table["programmes"],
                          **{MEASURE_WORDS[name][0]: [_show(name, value) for value in table[name]]
                             for name in ("completion_rate", "meetings_per_unit_month", "match_rate")}})
    words = _trend_sentences(context)
    return Block(bullets_html(words) + table_html(shown, caption="The middle programme of each year"),
                 " ".join(words))


def _trend_sentences(context: PortfolioContext) -> list[str]:
    table = trend_statistics(context.programmes).set_index("measure")
    sentences = []
    for measure in ("completion_rate", "meetings_per_unit_month"):
        row = table.loc[measure]
        name, count = MEASURE_WORDS[measure][0], int(row["programmes"])
        if row["tau"] is None or row["tau"] != row["tau"]:
            sentences.append(f"Too few programmes ({count}) measured {name} to see a trend.")
        elif row["p"] < 0.05:
            sentences.append(f"{name.capitalize()} has {'risen' if row['tau'] > 0 else 'fallen'} over the years "
                             f"({count} programmes; unlikely to be chance).")
        else:
            sentences.append(f"{name.capitalize()} shows no clear trend over the years ({count} programmes; any "
                             "drift could be chance).")
    return sentences


def best_completion_section(context: PortfolioContext) -> Block:
    """What the top third by completion have in common, in words; the tests are in the appendix."""
    sentences = _best_sentences(context)
    return Block(bullets_html(sentences), " ".join(sentences))


def _best_sentences(context: PortfolioContext) -> list[str]:
    table = best_completion(context.programmes)
    rated = int(pd.to_numeric(context.programmes["completion_rate"], errors="coerce").notna().sum())
    if not len(table):
        return [f"Only {plural(rated, 'programme')} have a completion rate: at least {MIN_FOR_GROUPS} are needed "
                "before the best can be compared with the rest."]
    numeric = table[~table["measure"].str.contains("=")]
    clear = numeric[numeric["p"] < 0.05]
    sentences = []
    for row in clear.itertuples():
        name = MEASURE_WORDS[row.measure][0]
        sentences.append(f"The programmes with the best completion scored {'higher' if row.best > row.rest else 'lower'} "
                         f"on {name}: a middle value of {_show(row.measure, row.best)} against "
                         f"{_show(row.measure, row.rest)} in the others ({row.best_n} and {row.rest_n} programmes).")
    unclear = [MEASURE_WORDS[name][0] for name in numeric.loc[numeric["p"] >= 0.05, "measure"]]
    if unclear:
        sentences.append(f"No clear difference in {join_words(unclear)}: with {rated} programmes, differences of "
                         "this size could be chance.")
    if len(clear):
        sentences.append("These are differences between programmes, not proof of cause: programmes that differ in "
                         "one way often differ in others too.")
    return sentences


def _advice(context: PortfolioContext) -> pd.DataFrame:
    if not len(context.learning):
        return pd.DataFrame(columns=["criterion", "current", "suggested", "advice"])
    pooled = pool(context.learning)
    usual = context.learning.groupby("criterion")["weight"].agg(lambda values: values.mode().iloc[0])
    advice = weight_advice(pooled, usual.to_dict())
    # Suggested changes first, then the rest from the clearest evidence to the weakest.
    order = pooled.set_index("criterion")["p_holm"]
    return advice.assign(changed=advice["suggested"] != advice["current"], p=advice["criterion"].map(order)) \
        .sort_values(["changed", "p"], ascending=[False, True]).drop(columns=["changed", "p"]).reset_index(drop=True)


def learning_section(context: PortfolioContext) -> Block:
    """Advice on the matching weights, each with how strong its evidence is; nothing is changed by it."""
    advice = _advice(context)
    if not len(advice):
        return Block("<p>No programme in the portfolio has enough pairs with a known outcome to learn from yet "
                     "(pairs programmes only: circles are matched as groups).</p>")
    programmes = context.learning["programme_key"].nunique()
    return Block(f"<p>From {plural(programmes, 'programme')} of pairs: which matching criteria went with "
                 f"relationships that worked. A relationship worked when it {html.escape(WORKED)}</p>"
                 + bullets_html(list(advice["advice"]))
                 + '<p class="tk-note">This is advice for the next design: the toolkit never changes a weight by '
                   "itself. The weights it starts from are the ones most programmes used.</p>")


def appendix_statistics(context: PortfolioContext) -> Block:
    """The tests behind the trend and the best-completion comparison."""
    trend = trend_statistics(context.programmes)
    trend_rows = pd.DataFrame({"measure": [MEASURE_WORDS[name][0] for name in trend["measure"]],
                               "programmes": trend["programmes"],
                               "Kendall's tau": [_number(value, "{:+.2f}") for value in trend["tau"]],
                               "p": [_p(value) for value in trend["p"]]})
    best = best_completion(context.programmes)
    parts = [table_html(trend_rows, caption="Trend: start month against each measure (Kendall's tau)")]
    if len(best):
        best_rows = pd.DataFrame({
            "measure": [_measure_name(name) for name in best["measure"]],
            "best third": [_number(value, "{:.3g}") for value in best["best"]],
            "the others": [_number(value, "{:.3g}") for value in best["rest"]],
            "programmes": [f"{a} / {b}" for a, b in zip(best["best_n"], best["rest_n"])],
            "p": [_p(value) for value in best["p"]],
            "rank-biserial r": [_number(value, "{:+.2f}") for value in best["rank_biserial"]]})
        parts.append(table_html(best_rows, caption="Best third by completion against the others (Mann-Whitney for "
                                                   "measures, Fisher's exact test for kinds and sizes: shares)"))
    return Block("".join(parts))


def _measure_name(name: str) -> str:
    if "=" in name:
        column, value = name.split("=", 1)
        return f"{label(column).lower()}: {value}"
    return MEASURE_WORDS[name][0]


def _p(value) -> str:
    return "<0.001" if value is not None and value == value and value < 0.001 else _number(value, "{:.3f}")


def _number(value, pattern: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return pattern.format(value)


def learning_statistics(context: PortfolioContext) -> Block:
    """The pooled coefficients: estimate, range, p (raw and Holm), programmes and the spread between them."""
    if not len(context.learning):
        return Block("")
    pooled = pool(context.learning)
    rows = pd.DataFrame({"criterion": [label(name) for name in pooled["criterion"]],
                         "programmes": pooled["programmes"], "pairs": pooled["pairs"],
                         "log-odds per standard step (95% range)": [
                             f"{row.estimate:+.2f} ({row.ci_low:+.2f} to {row.ci_high:+.2f})"
                             for row in pooled.itertuples()],
                         "p": [_p(value) for value in pooled["p"]],
                         "p (Holm)": [_p(value) for value in pooled["p_holm"]],
                         "spread between programmes": pooled["between_programmes"].round(2)})
    return Block(table_html(rows, caption="Pooled coefficients (random effects, DerSimonian-Laird)")
                 + "<p class=\"tk-note\">Per programme: a logistic model of whether a pair worked on its standardised "
                   "criterion parts, with an L2 penalty (scikit-learn, C = 1), and a bootstrap over pairs for each "
                   "coefficient's range and standard error. Across programmes: inverse-variance pooling with the "
                   "between-programme variance; a weight change is suggested only when Holm's adjusted p is under "
                   "0.05, so with no real effect any suggestion appears at most about one time in twenty.</p>")


def store_section(context: PortfolioContext) -> Block:
    """What the store holds (and what it never holds)."""
    return Block(bullets_html([
        f"The store ({context.store.name}) holds each programme's figures under a key that is not a name.",
        "It never holds names, ids, e-mail addresses or anything a person wrote; sector and size are bands, "
        "dates are months.",
        "Figures about fewer people than the client's anonymity threshold are left empty, and so are enough "
        "others that none can be worked out from the totals.",
        "Each pair's criterion parts and outcome stay in the client's folder (portfolio/pair_outcomes.csv); only "
        "the model's coefficients, ranges and counts are in the store."]))


def glossary_section(context: PortfolioContext) -> Block:
    terms = {"Percentile": "The share of the other programmes this one did better than (ties count half).",
             "Completion": "Pairs or circles that ran to the end or met their goals early, of those that have "
                           "stopped.",
             "Odds": "How much likelier a pair was to work than not; odds twice as high means, say, 4 to 1 "
                     "instead of 2 to 1.",
             "Standard step": "One standard deviation of a criterion's part in a programme: a typical "
                              "difference between two pairs.",
             "[generated]": "An example past programme invented for the demonstration, not a real client."}
    return Block('<dl class="tk-glossary">' + "".join(f"<dt>{html.escape(term)}</dt><dd>{html.escape(text)}</dd>"
                                                      for term, text in terms.items()) + "</dl>")


def compared_section(context, portfolio: str) -> Block:
    """For the impact report: this client's programme against the other programmes of a portfolio store.

    The client's figures are computed now (the store need not hold them yet); its own entry, if any, is
    left out of the others.
    """
    if not portfolio:
        return Block("")
    with open_store(portfolio, create=False) as store:
        key = store.programme_key(*programme_identity(context.config))
        programmes = store.table("programmes")
        figures = programme_record(context.config, key, learn=False)
    others = programmes[programmes["programme_key"] != key]
    table = pd.concat([others, pd.DataFrame(figures.rows["programmes"])], ignore_index=True)
    standing = percentiles(table, key)
    return Block(f"<h2>Compared with your other {plural(len(others), 'programme')}</h2>"
                 f"<p>How this programme stands among the other programmes of the portfolio "
                 f"{html.escape(Path(portfolio).name)} (start month, kind, sector and size are all the store knows "
                 "of them).</p>"
                 + _standing_html(standing, "This programme against your other programmes"))
