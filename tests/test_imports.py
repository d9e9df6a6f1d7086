"""What ``import toolkit`` does to the process: the one import it keeps out, and that nothing is lost by it.

``toolkit/__init__.py`` keeps jsonschema from loading rfc3987-syntax (a second of CPU building grammar parsers in
every kernel that draws a chart). These tests run fresh interpreters, since the test process has imported
jsonschema long before.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_after_import_toolkit_altair_loads_without_the_iri_grammars_and_still_validates_charts():
    said = _python(
        "import sys, toolkit, altair as alt, pandas as pd\n"
        "from jsonschema import FormatChecker\n"
        "print(sys.modules['rfc3987_syntax'] is None, 'iri' in FormatChecker.checkers)\n"
        "data = pd.DataFrame({'x': [1.0]})\n"
        "print(alt.Chart(data).mark_point().encode(x='x:Q').to_dict()['mark']['type'])\n"
        "try:\n"
        "    alt.Chart(data).mark_point().encode(x=alt.X('x:Q', bin='yes')).to_dict()\n"
        "except alt.utils.schemapi.SchemaValidationError:\n"
        "    print('refused')\n")
    assert said.splitlines() == ["True False", "point", "refused"]


def test_a_process_that_loaded_jsonschema_first_keeps_every_format_checker():
    said = _python("import sys, jsonschema, toolkit\nprint(sys.modules.get('rfc3987_syntax', 'absent') is None)")
    assert said == "False"


def test_a_studio_page_warms_up_its_own_app_and_draws_a_first_chart_only_for_an_app_with_charts():
    """A pre-started kernel (toolkit.studio.wait_for_visitor) imports the page's app; the goal builder, which draws
    no chart, leaves the chart engine alone, and only the survey explorer loads SciPy's statistics."""
    from toolkit import studio
    from toolkit.widgets import _base

    assert set(_base.APP_MODULES) == set(studio.APPS)  # every studio page with an app can be warmed up alone
    probe = ("import sys, toolkit.widgets as w; w.warm_up({app})\n"
             "print(' '.join(name for name in ('cohort_setup', 'matching_studio', 'survey_explorer', 'goal_builder')"
             " if 'toolkit.widgets.' + name in sys.modules), '|', 'vl_convert' in sys.modules,"
             " 'scipy.stats' in sys.modules)")
    assert _python(probe.format(app="'goal_builder'")) == "goal_builder | False False"
    assert _python(probe.format(app="'survey_explorer'")) == "survey_explorer | True True"


def test_the_reports_rounds_and_agreements_load_no_solver_until_a_match_is_made():
    """Every report kernel imports toolkit.reports; the solvers (OR-Tools, HiGHS, SciPy's sparse graphs, rustworkx)
    load only when something is matched, then the whole of toolkit.matching is there as before."""
    said = _python(
        "import sys, toolkit.reports, toolkit.rounds, toolkit.goals.agreements, toolkit.matching as m\n"
        "solvers = ('ortools', 'highspy', 'scipy.sparse', 'rustworkx', 'toolkit.matching.engine')\n"
        "print([name for name in solvers if name in sys.modules])\n"
        "m.match, m.assign, m.Certificate, m.readiness\n"
        "print([name for name in solvers if name in sys.modules])\n")
    assert said.splitlines() == ["[]", "['ortools', 'highspy', 'scipy.sparse', 'rustworkx', 'toolkit.matching.engine']"]
