"""The programme kit: training plans, a dated communications timeline, introductions, a leadership brief.

One module per product: :mod:`~toolkit.kit.training`, :mod:`~toolkit.kit.communications` (the timeline
and its iCalendar file), :mod:`~toolkit.kit.introductions`, :mod:`~toolkit.kit.brief`; what they share in
:mod:`~toolkit.kit.context` and :mod:`~toolkit.kit.templates`; :mod:`~toolkit.kit.write` writes them all.

Everything is generated from the programme design (kind, dates, cadence) and the
client's files, from templates in ``templates/training``, ``templates/messages`` and
``templates/brief``. Templates are rendered with Jinja2's ``StrictUndefined``: a missing
value is an error, never a blank in a message sent to a whole organisation::

    import toolkit as tk
    client = tk.load_client("sample_data/riverbank")
    plan = tk.kit.training_plan(client.design())
    timeline = tk.kit.communications_timeline(client)
    tk.kit.write_kit(client, "out/riverbank/kit")

The programme window runs from launch (the design's ``start_date``: sign-up opens) to its
``end_date`` (celebration); every message is dated inside it, on a weekday.

The brief states as fact only what the match applied (:func:`match_basis`): weighted criteria and
switched-on hard rules that had data on both sides; the rest is named as lacking data.
"""

from __future__ import annotations

from .brief import leadership_brief, match_basis, rule_statement
from .communications import communications_timeline, new_calendar, one_line, to_icalendar
from .context import kit_sources, programme_window
from .introductions import introduction_messages
from .training import TrainingPlan, training_plan
from .write import write_kit

__all__ = ["TrainingPlan", "training_plan", "communications_timeline", "introduction_messages", "to_icalendar",
           "leadership_brief", "match_basis", "rule_statement", "write_kit", "programme_window", "new_calendar",
           "one_line", "kit_sources"]
