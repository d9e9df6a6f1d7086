"""Every command suggests only flags it has.

Before: a bad row stopped ``match`` with "run the command again with --lenient", a flag only ``validate``
has. This reads every string in the toolkit's source, finds each ``--flag`` a message suggests, works out
which command it is suggested for (the command named before it, or the command whose code holds it), and
checks the flag against that command's real argparse parser.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import toolkit
from toolkit.cli import COMMANDS, build_parser

PACKAGE = Path(toolkit.__file__).parent
FLAG = re.compile(r"(?<![\w-])--([a-z][a-z0-9-]*)")
COMMAND = re.compile(r"\b(?:mentoring-toolkit\s+)?(" + "|".join(sorted(map(re.escape, COMMANDS), key=len, reverse=True))
                     + r")\b(?=\s+(?:--|\[|[A-Z]|(?:ended|left|paused|returned|joined)\b))")  # record's events
# Strings that are not advice to a user of the command line: another program's arguments, a CSS variable.
NOT_ADVICE = {"reports/pdf.py", "studio.py:voila"}
CSS = {"tk-accent"}
# Messages that name no command, with the commands whose code shows them (file, or file:function).
_WITH_OUT = ["demo", "match", "agreements", "kit", "shortlists", "rematch", "report", "batch", "new-client", "course"]
SHOWN_BY = {
    "validate.py": ["validate"],
    "cli.py:_out_for": ["agreements", "kit"],
    "cli.py:_another_out": _WITH_OUT,  # said only when the command has --out
    "course/__init__.py": ["course"],
    "files.py": _WITH_OUT,
    "reports/batches.py": ["batch"],
    "rounds/outputs.py": ["agreements", "kit", "rematch"],
    "programme/record.py": ["record"],  # record_event: the record command's checks
    "milestones.py": ["rematch"],  # a re-match's plans date from its --as-of
    "running.py:run_status": ["status"],
    "running.py:_section": ["status"],
    "running.py:rematch_day": ["rematch"],
    "running.py:match_client": ["match"],
    "running.py:configure_record": ["record"],
    "course/serve.py": ["course"],
    # a draft report: --dry-run records no release  # write_for_round: the commands whose --out follows the round
    "ledger.py": ["report", "batch"],
    "portfolio/__init__.py": ["portfolio"],
    "portfolio/build.py": ["portfolio"],
    "portfolio/report.py": ["portfolio"],
    "portfolio/store.py": ["portfolio"],
    "studio.py": ["studio"],
    "client.py": ["validate", "match", "agreements", "kit", "shortlists", "rematch", "report", "studio"],
}


def _options() -> dict[str, set[str]]:
    parser = build_parser()
    (subparsers,) = [action for action in parser._actions if action.choices and set(action.choices) == set(COMMANDS)]
    return {name: set(sub._option_string_actions) for name, sub in subparsers.choices.items()}


def _text(node: ast.AST) -> str | None:
    """The text of a string literal, an f-string (values as {}) or a + of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        return (left or "") + (right or "") if left is not None or right is not None else None
    return None


def _messages():
    """(file, enclosing function, text) for every string in the package that mentions a flag."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in NOT_ADVICE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        seen: set[int] = set()
        for function in [*[node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)], tree]:
            name = getattr(function, "name", "")
            for node in ast.walk(function):
                text = _text(node) if id(node) not in seen else None
                if text is None or not FLAG.search(text):
                    continue
                for child in ast.walk(node):
                    seen.add(id(child))
                if text.startswith("--"):  # an argument list for another program, or add_argument's name
                    continue
                yield relative, name, text


def _suggestions():
    for relative, function, text in _messages():
        for match in FLAG.finditer(text):
            flag = match.group(1)
            if flag in CSS:
                continue
            before = text[:match.start()]
            named = [found.group(1) for found in COMMAND.finditer(text)  # named before it, in the same sentence
                     if found.end() <= match.start() and ". " not in before[found.end():]]
            if named:
                yield relative, "--" + flag, [named[-1]]
            elif relative == "cli.py" and re.match(r"(?:_configure_|run_)(\w+)", function):
                yield relative, "--" + flag, [re.match(r"(?:_configure_|run_)(\w+)", function).group(1)
                                              .replace("_", "-")]
            else:
                yield relative, "--" + flag, SHOWN_BY.get(f"{relative}:{function}", SHOWN_BY.get(relative, []))


@pytest.mark.slow
def test_every_flag_a_message_suggests_belongs_to_the_command_it_is_suggested_for():
    options = _options()
    found = list(_suggestions())
    assert len(found) > 20  # the scan sees the messages (validate --client, match --client, --out ...)
    wrong = []
    for relative, flag, commands in found:
        if not commands:
            wrong.append(f"{relative}: {flag} is suggested without naming the command it belongs to")
        for command in commands:
            if flag not in options[command]:
                wrong.append(f"{relative}: {flag} is suggested for '{command}', which has "
                             f"{', '.join(sorted(options[command]))}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("argv", [
    ["validate", "--lenient", "--client", "acme/client.yaml"],
    ["validate", "--file", "signups.csv", "--mapping", "mapping.yaml"],
])
def test_the_suggested_command_lines_parse(argv):
    build_parser().parse_args(argv)


def test_match_is_not_told_to_use_a_flag_it_does_not_have(tmp_path, capsys):
    from toolkit.cli import main

    (tmp_path / "signups.csv").write_text("Email,Role\na@x.example,Mentor\nnot-an-email,Mentee\n", encoding="utf-8")
    (tmp_path / "client.yaml").write_text("client: Acme\nprogramme:\n  template: formal\nparticipants:\n"
                                          "- path: signups.csv\n", encoding="utf-8")
    assert main(["match", "--client", str(tmp_path / "client.yaml"), "--dry-run"]) == 2
    err = capsys.readouterr().err
    options = _options()
    for command, flag in re.findall(r"mentoring-toolkit (\S+)((?: --\S+)+)", err):
        for one in flag.split():
            assert one in options[command], (command, one)
    assert "run the command again with --lenient" not in err
