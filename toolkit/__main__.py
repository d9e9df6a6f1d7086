"""python -m toolkit, and the mentoring-toolkit command: one clear line on Ctrl-C, whenever it comes.

The command's work is in :func:`toolkit.cli.main`; this entry point adds what belongs to a whole
process. Ctrl-C, whenever it comes, prints ``interrupted`` and exits with 130: while the toolkit is
still loading (the first second) too, rather than a traceback through the imports or a half-loaded
compiled module. Libraries' log records (a kernel "died" because Ctrl-C stopped it, an
abandoned asyncio task) are not for the user: they reach the terminal only with
``MENTORING_TOOLKIT_DEBUG=1``.
"""

from __future__ import annotations

import logging
import os
import signal
import sys


def run() -> int:
    if os.environ.get("MENTORING_TOOLKIT_DEBUG"):
        logging.basicConfig(level=logging.WARNING)
    else:
        logging.getLogger().addHandler(logging.NullHandler())  # no "last resort" printing to stderr
    # Ctrl-C while the toolkit loads (under a second) waits until loading is done: an import stopped half
    # way can leave a compiled module half set up (highspy then fails as "already registered").
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        from .cli import main
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        print("interrupted", file=sys.stderr)
        code = INTERRUPTED
    else:
        try:
            code = main()  # main() handles Ctrl-C during a command
        except KeyboardInterrupt:  # ... and this, Ctrl-C while it reads the command line
            print("interrupted", file=sys.stderr)
            code = INTERRUPTED
    if code == INTERRUPTED:
        # Ctrl-C was handled: leave now, with 130. Python 3.11 can otherwise end the process by SIGINT
        # after a handled KeyboardInterrupt (when it arrived in code run from C during an import), and a
        # stopped kernel's abandoned asyncio tasks would be collected, and logged, at shutdown. Every
        # ``finally`` (scratch folders, kernels) has run by now.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(INTERRUPTED)
    return code


INTERRUPTED = 130  # the shell's exit status for a command stopped by Ctrl-C (128 + SIGINT)


if __name__ == "__main__":
    raise SystemExit(run())
