"""Shared test settings.

Hypothesis example counts come from a profile: "ci" (the default, keeps `make test` fast)
or "deep" for a long bug hunt: HYPOTHESIS_PROFILE=deep .venv/bin/python -m pytest tests
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"

settings.register_profile(
    "ci", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
    print_blob=True,
)
settings.register_profile(
    "deep", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def require_chromium(what: str) -> str:
    """The system Chromium for a real-browser test; skip with a notice without one, fail under CI.

    Playwright never downloads a browser here: it drives ``chromium`` or ``chromium-browser``
    from the PATH (``.ci/run`` installs Debian's package).
    """
    import shutil
    import sys

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable:
        return executable
    message = (f"No system Chromium found (looked for `chromium` and `chromium-browser`): {what} did not run. "
               "Install it with `apt-get install chromium`.")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " Under CI this is a failure.")
    print(f"\nNOTICE: {message}", file=sys.stderr)
    pytest.skip(message)


@pytest.fixture(scope="session")
def northwind():
    """Northwind's roster and design, loaded once per test process."""
    from toolkit.client import load_client

    client = load_client(SAMPLE_DATA / "northwind")
    return client.roster(), client.design()


@pytest.fixture(scope="session")
def northwind_match(northwind):
    """Northwind matched under its own design, once per test process (tests must not change it)."""
    import toolkit as tk

    roster, design = northwind
    return tk.match(roster, design)
