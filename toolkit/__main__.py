"""python -m toolkit, and the mentoring-toolkit command: one clear line on Ctrl-C, whenever it comes.

The command's work is in :func:`toolkit.cli.main`; this entry point adds what belongs to a whole
process. Ctrl-C while the toolkit is still loading (the first second) prints ``interrupted``, not a
traceback through the imports. Libraries' log records (a kernel "died" because Ctrl-C stopped it, an
abandoned asyncio task) are not for the user: they reach the terminal only with
``MENTORING_TOOLKIT_DEBUG=1``.
"""

from __future__ import annotations

import logging
import os
import sys


def run() -> int:
    if os.environ.get("MENTORING_TOOLKIT_DEBUG"):
        logging.basicConfig(level=logging.WARNING)
    else:
        logging.getLogger().addHandler(logging.NullHandler())  # no "last resort" printing to stderr
    try:
        from .cli import main

        return main()
    except KeyboardInterrupt:  # main() handles Ctrl-C during a command; this is Ctrl-C while loading
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(run())
