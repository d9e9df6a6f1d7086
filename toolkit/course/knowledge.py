"""The knowledge check at the end of each lesson: a few questions, every option with why it is right or wrong.

The questions test the lesson's objectives (choosing, judging, explaining), not recall of the
toolkit's buttons; a wrong option's reason says what it misses, so the check teaches as it marks.
"""

from __future__ import annotations

from .exercises import Exercise, Option, Question, quiz

__all__ = ["KNOWLEDGE_CHECKS", "knowledge_check"]

KNOWLEDGE_CHECKS: dict[str, tuple[Question, ...]] = {
    "01_six_kinds": (
        Question("A client has 120 graduates and 15 volunteer mentors. Which kind fits best?", (
            Option("Formal one-to-one", False, "15 mentors cannot each take eight mentees one to one and do it well."),
            Option("Group mentoring (circles)", True, "one mentor facilitates a circle of several graduates, who also "
                                                  "learn from each other."),
            Option("Reverse mentoring", False, "reverse mentoring puts the junior person in the mentor's role; nothing in "
                                          "the brief asks for that."))),
        Question("In reverse mentoring, who is more senior?", (
            Option("The mentor", False,
                   "that is formal mentoring; in reverse mentoring the junior colleague is the mentor."),
            Option("The mentee", True, "the senior leader is the learner, so the seniority rule runs the other way."),
            Option("Neither: they are peers", False, "peers are at a similar level; reverse mentoring deliberately crosses "
                                                "levels."))),
        Question("Why does the kind of programme matter before any matching is done?", (
            Option("It decides who may be matched with whom", True, "the kind sets the shape, the seniority rule and the "
                                                               "capacity, so it decides the pool of possible pairs."),
            Option("It only changes the wording of the invitations", False, "the wording follows the kind, but so do the "
                                                                       "rules that decide every pair."),
            Option("It decides the programme's budget", False, "the budget is the client's; the kind decides what the "
                                                          "budget buys."))),
    ),
    "02_objectives_and_measures": (
        Question("Which success measure can be checked at the end of the programme?", (
            Option("Better retention of graduates", False, "no number, no date and no comparison: any result fits it."),
            Option("Graduates retained 5 points more than similar non-participants, 12 months after joining", True,
              "it names what is counted, the target, when, and what it is compared with."),
            Option("Graduates enjoy the programme", False, "enjoyment is a reaction, and nothing says how much or when."))),
        Question("Mentees' confidence rose from 3.2 to 3.8 between the baseline and end surveys. Which level is that?", (
            Option("Reaction", False, "reaction is how people felt about the programme itself."),
            Option("Learning", True, "a change in the person's confidence or knowledge is learning."),
            Option("Results", False, "results are what the organisation gains, such as retention."))),
        Question("Why should at least one measure be compared with a baseline or a comparison group?", (
            Option("Because clients like tables", False, "the reason is evidence, not presentation."),
            Option("To tell a change from what would have happened anyway", True, "people change over a year whatever "
                                                                            "happens; a comparison shows how much "
                                                                            "more changed for participants."),
            Option("Because surveys need at least two waves", False, "a comparison group can come from HR data with no "
                                                                "second survey at all."))),
    ),
    "03_matching_fairness": (
        Question("A requirement says \"a mentor from another department would be nice\". How do you set it?", (
            Option("As a hard rule", False,
                   "a rule forbids every same-department pair, even where it is the only good fit."),
            Option("As a weighted criterion", True, "a weight makes other departments score higher without leaving "
                                               "anyone out."),
            Option("Leave it out", False, "the client asked for it; weighting it honours the wish at little cost."))),
        Question("The fairness audit flags one site at 29% against everyone's 71%. What do you do first?", (
            Option("Read why the people there were left unmatched", True, "the reasons name the rule or the missing "
                                                                    "capacity that causes the gap."),
            Option("Hide the site from the report", False, "hiding a gap does not close it, and groups are only hidden "
                                                      "when too small to show safely."),
            Option("Add the site as a weighted criterion", False, "scoring on the site does not create eligible mentors "
                                                             "where a rule excludes them all."))),
        Question("Why are groups smaller than the anonymity threshold not shown in the audit?", (
            Option("Their match rates would identify individuals", True, "in a group of three, a 67% rate tells everyone "
                                                                   "who was left out."),
            Option("Small groups never matter", False, "they matter; they are counted in everyone's rate but not shown."),
            Option("The solver ignores them", False, "everyone is matched or given a reason, whatever their group."))),
    ),
    "04_goals_and_agreements": (
        Question("Which goal could a mentee sign up to?", (
            Option("Get better at presenting", False, "nothing to count and no deadline: it cannot be reviewed."),
            Option("Present the quarterly results to the regional team twice by September 2026", True,
              "an action, an amount and a date inside the programme."),
            Option("Become the best presenter in the company", False, "an outsized ambition nobody can check."))),
        Question("The mentee's line manager asks the mentor for a progress report. What does the agreement say?", (
            Option("The mentor reports each quarter", False, "that breaks confidentiality, and the mentee stops speaking "
                                                        "openly."),
            Option("Progress is the mentee's to share, if they choose", True, "confidentiality is what makes the "
                                                                        "relationship work."),
            Option("The programme team decides", False,
                   "the agreement settles it up front, so nobody decides case by case."))),
        Question("What is a no-fault exit for?", (
            Option("Ending a pair that is not working, early and without blame", True, "poor fits end before they sour "
                                                                                  "the programme, and both can be "
                                                                                  "matched again."),
            Option("Removing mentees who miss meetings", False, "missed meetings call for a conversation, not an exit "
                                                           "imposed on one person."),
            Option("Letting the mentor end the programme early", False, "either person may use it, and it ends the pair, "
                                                                   "not the programme."))),
    ),
    "05_communication_and_training": (
        Question("Why are mentors and mentees briefed before the introductions go out?", (
            Option("So the first meeting starts with agreed expectations", True, "people who know what is expected of "
                                                                           "them book the first meeting."),
            Option("Because training rooms are free then", False, "the order follows the programme's logic, not the "
                                                             "calendar."),
            Option("It does not matter when they are briefed", False, "unbriefed pairs are the ones that drift after the "
                                                                 "first meeting."))),
        Question("Which message goes to pairs that have not met for 45 days?", (
            Option("The celebration", False, "that comes at the end, for everyone."),
            Option("The re-engagement message", True, "it restarts quiet pairs or reminds them of the no-fault exit."),
            Option("The launch announcement", False, "that goes to the whole organisation before sign-up."))),
        Question("What should a reverse programme's mentor training add?", (
            Option("Preparing junior mentors to teach upwards", True, "speaking frankly to a senior leader takes "
                                                                 "preparation and permission."),
            Option("Nothing: the training is the same for every kind", False, "training follows the kind; circles and "
                                                                         "reverse pairs need their own."),
            Option("How to assess the leader's performance", False, "mentors never assess performance."))),
    ),
    "06_running_the_programme": (
        Question("Four weeks after the introductions a pair has logged no meeting. What first?", (
            Option("Call both people this week", True, "a first meeting that keeps slipping is the commonest way a pair "
                                                  "fails; a call finds out why."),
            Option("End the pair", False, "nothing has been tried yet; most slipped first meetings have a simple cause."),
            Option("Wait for the mid-point survey", False, "by then the pair has lost three months."))),
        Question("Both people say at the 30-day check-in that the fit is wrong. What do you do?", (
            Option("Re-match them early and without blame", True, "when both say it, more effort rarely helps; an early "
                                                            "re-match costs least."),
            Option("Ask them to try for three more months", False, "that spends their goodwill on a pair both have "
                                                              "given up on."),
            Option("Send the re-engagement message", False, "they are not quiet; they have told you it does not fit."))),
        Question("When re-matching, why keep every active pair untouched?", (
            Option("Working pairs should never pay for someone else's ending", True, "re-matching only the people whose "
                                                                               "pair ended protects the rest."),
            Option("Because the solver cannot change them", False, "it could; keeping them is a choice."),
            Option("To save computing time", False, "the reason is the people, not the computer."))),
    ),
    "07_measuring_impact": (
        Question("Confidence rose with d = 0.3 and an interval of 0.1 to 0.5 points. How do you describe it?", (
            Option("A small rise", True, "by convention 0.2 to 0.5 is small, and the interval excludes zero."),
            Option("A large rise", False, "large starts at 0.8 by convention."),
            Option("No change", False, "the interval excludes zero, so the data show a rise."))),
        Question("Without a comparison group, what may the report say about the cause?", (
            Option("Mentoring caused the rise", False, "before and after cannot separate mentoring from time, "
                                                  "selection and everything else."),
            Option("The rise is associated with taking part", True, "it states what the data show and no more."),
            Option("Nothing at all", False, "the change can be reported; only the causal claim must go."))),
        Question("Results by team would show three teams of three mentees. What do you do?", (
            Option("Show them anyway", False, "three answers identify people."),
            Option("Choose a coarser breakdown, such as site", True, "groups at or above the threshold can be shown "
                                                               "without identifying anyone."),
            Option("Show the teams without the totals", False, "suppression must also stop the hidden values being "
                                                          "worked out from totals."))),
    ),
    "08_capstone": (
        Question("Which part of the capstone shows the client the programme is fair?", (
            Option("The fairness audit of the adopted match", True, "it compares each group's match rate with "
                                                               "everyone's, small groups hidden."),
            Option("The number of agreements written", False, "agreements show pairs exist, not that they are fair."),
            Option("The programme's name", False, "a name promises nothing."))),
        Question("Why is the match adopted as a dated round rather than saved over the last one?", (
            Option("So what was decided can be read back and checked later", True, "a round is never overwritten; a "
                                                                             "re-match adds a new one."),
            Option("To save disk space", False, "it uses more, deliberately."),
            Option("Because the agreements need a new file name", False, "the round is the record; agreements follow "
                                                                    "from it."))),
    ),
}


def knowledge_check(lesson: str) -> Exercise:
    """The knowledge check of a lesson (its name, e.g. ``"01_six_kinds"``), as a widget exercise."""
    from ..errors import ToolkitError, check_option

    check_option("lesson", lesson, KNOWLEDGE_CHECKS, ToolkitError)
    return quiz(f"check_{lesson}", KNOWLEDGE_CHECKS[lesson])
