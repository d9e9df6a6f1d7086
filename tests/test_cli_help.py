"""The command line loads a command's modules only when it runs: ``mentoring-toolkit --help`` loads no stage.

Before: ``cli.py`` imported all the stages at its top, so the help took 1.9 s on an idle machine (6 s on a
busy one); now it imports ``toolkit.errors`` only, and each command's parser is built when it is named.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.cli import COMMANDS, build_parser

WORKTREE = Path(__file__).resolve().parents[1]


def test_the_help_loads_no_stage_module():
    script = ("import contextlib, io, sys\n"
              "from toolkit.cli import main\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              "    try:\n"
              "        main(['--help'])\n"
              "    except SystemExit:\n"
              "        pass\n"
              "print(' '.join(sorted(name for name in sys.modules if name.startswith('toolkit'))))\n")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(WORKTREE)}).stdout.split()
    assert loaded == ["toolkit", "toolkit.cli", "toolkit.errors"]


def _help(parser, command: str | None = None) -> str:
    if command is None:
        return parser.format_help()
    (subparsers,) = [action for action in parser._actions if action.choices and set(action.choices) == set(COMMANDS)]
    return subparsers.choices[command].format_help()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_command_parsed_alone_has_the_options_and_help_of_the_full_parser(command):
    full = build_parser()
    alone = build_parser(only=[command])
    assert _help(alone, command) == _help(full, command)
    assert _help(build_parser(only=[])) == _help(full)  # the top-level help lists every command either way
