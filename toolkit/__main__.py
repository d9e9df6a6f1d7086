"""python -m toolkit: the same as the mentoring-toolkit command."""

from .cli import main

raise SystemExit(main())
