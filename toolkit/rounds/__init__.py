"""The programme's adopted match: dated rounds kept in the client folder, checked when read, written whole.

* :mod:`.store`: round folders (``adopt``, ``current_round``, ``list_rounds``, ``Round``);
* :mod:`.checks`: the checks a round's pairs pass as they are read, and the fingerprint of the pairs a
  certificate proved;
* :mod:`.lock`: one adoption at a time per client, and the staging folder a round is written into;
* :mod:`.adoption`: the client's match (``client_match``) made one way everywhere, and adopted
  (``adopt_match``);
* :mod:`.outputs`: output folders (agreements, introductions, kit) that hold one round's files.
"""

from __future__ import annotations

from .adoption import adopt_match, client_choices, client_match, match_members, round_changes, set_aside
from .checks import fingerprint, member_lines
from .lock import AdoptionInProgress, adoption_lock
from .outputs import RoundLabel, round_label, write_for_round
from .store import INTEGRITY_WORDS, ROUNDS_FOLDER, Round, adopt, current_round, list_rounds, rounds_folder

__all__ = ["Round", "adopt", "adopt_match", "client_match", "client_choices", "set_aside", "current_round", "list_rounds",
           "match_members", "round_changes", "rounds_folder", "ROUNDS_FOLDER", "INTEGRITY_WORDS", "fingerprint",
           "member_lines", "AdoptionInProgress", "adoption_lock", "RoundLabel", "round_label", "write_for_round"]
