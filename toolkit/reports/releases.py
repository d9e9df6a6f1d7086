"""What report sections publish about groups of people goes through the client's release ledger.

Each report run is one release (:class:`toolkit.ledger.Release`): :func:`release_of` opens it on first
use, reads the client's ledger (``<client>/releases/ledger.jsonl``) and foresees the tables the client's
other reports break the same people down by (readiness segments, the fairness audit's groups), so the
readiness and matching reports hide the same departments. Sections call :func:`protect` for a table,
:func:`figure_shown` for a single figure about everyone; each decision is handed to the report runner
as an invisible output, and the runner adds the release to the ledger once the report is written
(never on a dry run, never for the bundled sample clients). See ``/work/notes/ledger_api.md``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import pandas as pd

from ..disclosure import anticipated_tables, fairness_attributes, protect_readiness
from ..ledger import Decision, Ledger, Release, Row, Table
from ..matching.readiness import readiness as compute_readiness
from ..measure.comments import comment_sentiment, comment_themes, comment_units, theme_units, tone_units
from ..measure.impact import OUTCOME_TESTS, outcome_people, outcomes_shown
from ..measure.impact import outcomes as impact_outcomes
from ..measure.survey import reliability, scale_scores

__all__ = ["release_of", "protected_readiness", "protect", "figure_shown", "answers_of", "construct_scores",
           "paired_scores", "complete_answers", "nps_shown", "hr_outcomes_shown", "protected_choices",
           "protect_measures", "protected_reliability", "protected_items", "protected_answers", "protected_in_play",
           "protected_themes", "protected_tone"]


def _emit(release: Release) -> None:
    """Hand the release's new records to the report runner (only inside a report's kernel)."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - outside IPython there is no report to hand it to
        return
    if getattr(get_ipython(), "kernel", None) is None:
        return
    display(release.output())


def release_of(context: Any) -> Release:
    """The release this report run publishes in (opened, and the other reports' tables foreseen, once)."""
    return context.once("release", lambda: _open_release(context))[0]


def _open_release(context: Any) -> tuple[Release, Any]:
    """A new release of the client's ledger with every table the reports break down foreseen, and the readiness
    (before any table is decided) it was foreseen from."""
    folder = getattr(context.config, "folder", None)
    ledger = Ledger.for_client(folder, context.min_group) if folder is not None else Ledger(None, context.min_group)
    release = ledger.release("report")
    roster, design = context.roster, context.design
    raw = compute_readiness(roster, design)
    attributes = fairness_attributes(context.config, design, roster.participants)
    release.anticipate(anticipated_tables(raw, roster, design.shape, attributes))
    release.after_publish = _emit
    return release, raw


def protected_readiness(context: Any):
    """The client's readiness with its department and site tables decided in this report's release."""
    release, raw = context.once("release", lambda: _open_release(context))
    return protect_readiness(raw, context.roster.participants, release)


def protect(context: Any, frame: pd.DataFrame, *, key: str, attribute: str, label: str,
            people: Mapping[Any, Collection[str]], answers: Mapping[Any, Mapping[str, Any]] | None = None,
            parts: Mapping[Any, Mapping[str, Collection[str]]] | None = None, partition: bool = True,
            noun: str = "group", plural: str | None = None) -> pd.DataFrame:
    """The rows of ``frame`` this report may show, decided with the client's release history.

    Parameters
    ----------
    frame
        One row per group, as the section would show it.
    key
        What the table is, the same in every report and release ("fit check answers").
    attribute
        What the groups are values of ("fit check answer"); tables sharing it hide the same groups.
    label
        The column of ``frame`` naming each group.
    people
        Group -> who it counts (participant ids or survey pseudonyms).
    answers
        Group -> {person: what the row's figures read from them}, when the row shows a mean or rate.
    parts
        Group -> {sub-count name: people}, for sub-counts shown beside the row.
    partition
        The rows add up to a total the reader sees (a caption, a sentence): complementary suppression.
    noun, plural
        What a row is, for the caption note ("answer": "2 answers not shown, to protect small groups").

    Returns
    -------
    DataFrame
        The shown rows; ``attrs["hidden"]`` counts the hidden ones, ``attrs["hidden_note"]`` says so in
        words ('' when none), ``attrs["decision"]`` is the :class:`~toolkit.ledger.Decision`.
    """
    rows = []
    for record in frame.to_dict("records"):
        group = record[label]
        rows.append(Row(str(group), [str(person) for person in people.get(group, ())],
                        answers=None if answers is None else {str(k): v for k, v in answers.get(group, {}).items()},
                        parts={} if parts is None else dict(parts.get(group, {})),
                        figures={str(name): value for name, value in record.items() if name != label}))
    decision = release_of(context).publish(Table(key, attribute, rows, partition))
    shown = decision.keep(frame, label)
    shown.attrs["hidden_note"] = decision.note(noun, plural)
    shown.attrs["decision"] = decision
    return shown


def figure_shown(context: Any, key: str, answers: Mapping[str, Any]) -> bool:
    """Whether a single figure about everyone who answered (NPS, a headline rate) may be shown: enough
    people, and not within a few people of an earlier release's figure or a hidden one."""
    row = Row("everyone", [str(person) for person in answers], answers={str(k): v for k, v in answers.items()})
    decision: Decision = release_of(context).publish(Table(key, "everyone", [row], partition=False))
    return decision.shows("everyone")


def answers_of(frame: pd.DataFrame, column: str, *, who: str = "respondent") -> dict[str, Any]:
    """Person -> their answer in ``column`` (blank answers left out), from a survey's responses."""
    answered = frame[[who, column]].dropna(subset=[column])
    return {str(person): value for person, value in zip(answered[who], answered[column])}


# ------------------------------------------------------------------------------------------------
# Who each survey figure reads (respondents are the survey's pseudonyms)
# ------------------------------------------------------------------------------------------------
def construct_scores(scores: pd.DataFrame, constructs) -> dict[str, dict[str, float]]:
    """Construct -> {respondent: their score}, for the respondents with a score (:func:`scale_scores`)."""
    return {name: answers_of(scores, name) for name in constructs if name in scores}


def paired_scores(baseline, end) -> dict[str, dict[str, tuple]]:
    """Construct -> {respondent: (score before, score after)}, for people who answered both surveys."""
    pre = scale_scores(baseline).drop_duplicates("respondent", keep="last").set_index("respondent")
    post = scale_scores(end).drop_duplicates("respondent", keep="last").set_index("respondent")
    found = {}
    for name in end.instrument.scored_constructs():
        if name in pre and name in post:
            both = pd.concat([pre[name].rename("pre"), post[name].rename("post")], axis=1).dropna()
            found[name] = {str(person): (row.pre, row.post) for person, row in both.iterrows()}
    return found


def complete_answers(survey) -> dict[str, dict[str, tuple]]:
    """Construct -> {respondent: their answers}, for respondents who answered every item (reliability)."""
    scored = survey.scored()
    found = {}
    for name in survey.instrument.scored_constructs():
        items = [item for item in survey.instrument.items_of(name) if item in scored]
        complete = scored.dropna(subset=items)
        found[name] = {str(person): tuple(values) for person, values in zip(complete["respondent"],
                                                                            complete[items].itertuples(index=False))}
    return found


NPS_GROUPS = ("promoters", "passives", "detractors")


def nps_shown(context: Any, survey) -> bool:
    """Whether the recommendation score (NPS) may be shown: its promoters, passives and detractors are
    three groups of people the score and its interval give away, so each follows the rules of a table."""
    if "NPS" not in survey.responses:
        return False
    answers = {person: float(value) for person, value in answers_of(survey.responses, "NPS").items()
               if pd.notna(pd.to_numeric(value, errors="coerce"))}
    group_of = {person: "promoters" if value >= 9 else "passives" if value >= 7 else "detractors"
                for person, value in answers.items()}
    people = {group: [person for person, mine in group_of.items() if mine == group] for group in NPS_GROUPS}
    frame = pd.DataFrame({"group": [group for group in NPS_GROUPS if people[group]]})  # nobody is no group
    shown = protect(context, frame, key="recommendation (NPS) answers", attribute="NPS group", label="group",
                    people=people)
    return len(frame) > 0 and len(shown) == len(frame)


def hr_outcomes_shown(context: Any) -> bool:
    """Whether the HR outcomes (retention and promotion of participants against the comparison group, and
    the return on investment read from them) may be shown: both groups, for every outcome, pass the
    rules of a table (enough people; not a few people away from an earlier report)."""
    if not outcomes_shown(impact_outcomes(context.config, comparison=False), context.min_group):
        return False
    people = outcome_people(context.config)
    groups = {name: people[people["group"] == name] for name in ("participant", "comparison")}
    groups = {name: group for name, group in groups.items() if len(group)}  # an extract may have no comparison
    frame = pd.DataFrame({"group": list(groups)})
    for outcome in OUTCOME_TESTS:
        shown = protect(context, frame, key=f"HR outcome: {outcome}", attribute="HR group", label="group",
                        people={name: list(group["person"]) for name, group in groups.items()},
                        answers={name: dict(zip(group["person"], group[outcome])) for name, group in groups.items()},
                        partition=False)
        if len(shown) < len(frame):
            return False
    return True


CHOICE_WORDS = {1: "first", 2: "second", 3: "third"}


def protected_choices(context: Any, outcome: Mapping[str, Any]) -> tuple[pd.DataFrame, str]:
    """Mentees by the choice they got (first, second, third, another, none of their ranked mentors), the
    rows this report may show, and the sentence of shares it may print ('' when a share would give a
    hidden row away: the top-three share is the ranked mentees minus the rows below it)."""
    table = outcome["table"]
    got = [CHOICE_WORDS.get(rank, "none of their ranked mentors" if rank != rank or rank is None else "a lower choice")
           for rank in table["rank_got"]]
    order = [word for word in (*CHOICE_WORDS.values(), "a lower choice", "none of their ranked mentors") if word in got]
    people = {word: [str(mentee) for mentee, mine in zip(table["mentee_id"], got) if mine == word] for word in order}
    frame = pd.DataFrame({"choice got": order, "mentees": [len(people[word]) for word in order]})
    shown = protect(context, frame, key="choice mentees got", attribute="choice got", label="choice got",
                    people=people, noun="row")
    if not shown.attrs["hidden"]:
        shares = (f"Matching on their ranks gives {outcome['first_share']:.0%} their first choice and "
                  f"{outcome['top3_share']:.0%} one of their top three.")
    elif "first" in set(shown["choice got"]):
        shares = f"Matching on their ranks gives {outcome['first_share']:.0%} their first choice."
    else:
        shares = ""
    return shown, shares


# ------------------------------------------------------------------------------------------------
# Tables of the health and impact reports
# ------------------------------------------------------------------------------------------------
def protect_measures(table: pd.DataFrame, context: Any, key: str, answers: Mapping[str, Mapping[str, Any]],
                     column: str = "construct") -> pd.DataFrame:
    """The rows (one per measure) a report may show: a measure with too few people, or one that changed
    by a few people since a report showed or hid it, is removed (and counted). Measures are not parts
    of one total: no complementary suppression. ``answers``: measure -> {respondent: what it reads}."""
    if not len(table):
        return table
    return protect(context, table, key=key, attribute="measure", label=column,
                   people={name: list(found) for name, found in answers.items()}, answers=answers,
                   partition=False, noun="measure")


def protected_reliability(context: Any, end) -> pd.DataFrame:
    """Reliability per measure of the end survey, the measures this report may show."""
    return protect_measures(reliability(end), context, "reliability by measure", complete_answers(end))


def protected_items(context: Any, shares: pd.DataFrame, survey, key: str) -> pd.DataFrame:
    """Answer shares per item (:func:`~toolkit.measure.survey.likert_shares`) for the items a report may show:
    an item is a group of people (those who answered it); its answers are shares of that group."""
    if shares.empty:
        return shares
    items = shares.drop_duplicates("item")[["item", "n"]]
    shown = protect(context, items, key=key, attribute="survey item", label="item",
                    people={item: list(answers_of(survey.responses, item)) for item in items["item"]},
                    answers={item: answers_of(survey.responses, item) for item in items["item"]}, partition=False)
    return shares[shares["item"].isin(shown["item"])]


def protected_answers(context: Any, survey, item: str, *, key: str, attribute: str) -> pd.DataFrame:
    """How many people gave each answer to ``item`` (columns answer, n), the answers a report may show: a
    partition of the people who answered (the caption prints how many)."""
    given = answers_of(survey.responses, item) if item in survey.responses else {}
    counts = pd.Series(list(given.values()), dtype=object).value_counts()
    return protect(context, pd.DataFrame({"answer": counts.index, "n": counts.to_numpy()}), key=key,
                   attribute=attribute, label="answer", noun="answer",
                   people={answer: [person for person, mine in given.items() if mine == answer]
                           for answer in counts.index})


def protected_in_play(context: Any, in_play: pd.DataFrame) -> pd.DataFrame:
    """Who is in play for a re-match, by role and why (columns role, why, people), the rows a report may show."""
    table = in_play.groupby(["role", "why"]).size().reset_index(name="people")
    group = table["role"] + ": " + table["why"]
    everyone = in_play["role"] + ": " + in_play["why"]
    members = {name: list(in_play.loc[everyone == name, "participant_id"]) for name in group}
    shown = protect(context, table.assign(group=group), key="people in play for a re-match",
                    attribute="re-match role and reason", label="group", people=members, noun="row")
    return shown.drop(columns="group")


def protected_themes(context: Any, end, minimum: int) -> pd.DataFrame:
    """Comments per theme, the themes a report may show (a theme is a group of comments, each comment one
    unit: fewer than the threshold, or a few more or fewer than an earlier report showed, and it goes)."""
    themes = comment_themes(end, min_comments=minimum)
    if themes.attrs.get("suppressed"):
        return themes
    return protect(context, themes, key="comment themes", attribute="comment theme", label="theme",
                   people=theme_units(comment_units(end)), partition=False, noun="theme")


def protected_tone(context: Any, end, minimum: int) -> pd.DataFrame:
    """The comments' tone (positive, neutral, negative), the tones a report may show: a partition of the
    comments, whose number the caption prints."""
    return protect(context, comment_sentiment(end, min_comments=minimum), key="comment tone",
                   attribute="comment tone", label="tone", people=tone_units(comment_units(end)), noun="tone")
