"""Shared test settings.

Hypothesis example counts come from a profile: "ci" (the default, keeps `make test` fast)
or "deep" for a long bug hunt: HYPOTHESIS_PROFILE=deep .venv/bin/python -m pytest tests
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
    print_blob=True,
)
settings.register_profile(
    "deep", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
