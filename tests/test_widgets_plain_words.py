"""No code name reaches a client's screen: every text the studio's apps show, read from their widget trees.

Each app is opened on a sample client and used (a solve, an explanation, two scenarios with changed settings,
a pin and a ban; every grouping and a before-and-after comparison of the survey explorer; a file whose
columns need choosing in cohort set-up), then every string a person can see is collected from the widget
tree: HTML (tags and stylesheets removed), labels and descriptions, dropdown choices, tab titles, button
captions, placeholders and tooltips, and every text the apps' charts draw (titles, axis titles, tick labels,
legends: read from the converter's SVG of each chart shown). None may hold a snake_case name (``cross_department``), a dotted
setting (``criteria.skills.weight``) or an objective value ("objective 3322.33"). File paths and email
addresses are left out (a path is the client's own name for a file).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from toolkit.client import load_client
from toolkit.widgets import CohortSetup, MatchingStudio, SurveyExplorer

ROOT = Path(__file__).resolve().parents[1]
CODE_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DOTTED = re.compile(r"\b[a-z_]+\.[a-z_]+\.[a-z_]+\b")
OBJECTIVE = re.compile(r"objective\s+-?\d", re.IGNORECASE)
FILE_NAME = re.compile(r"\.(csv|tsv|txt|xlsx|xlsm|xls|yaml|yml|json|ics|html|md)\b", re.IGNORECASE)
_NOT_WORDS = re.compile(r"<style.*?</style>|<code>.*?</code>", re.DOTALL)


def _strings(widget) -> list[str]:
    """Every string a person can see in a widget and its children."""
    import ipywidgets as widgets

    found: list[str] = []
    seen: set[int] = set()

    def walk(node) -> None:
        if id(node) in seen or not isinstance(node, widgets.Widget):
            return
        seen.add(id(node))
        for name in ("description", "placeholder", "tooltip"):
            value = getattr(node, name, None)
            if isinstance(value, str):
                found.append(value)
        if isinstance(node, (widgets.HTML, widgets.HTMLMath, widgets.Label)):
            found.append(node.value)
        if isinstance(node, (widgets.Dropdown, widgets.Select, widgets.ToggleButtons, widgets.RadioButtons)):
            found.extend(str(label) for label in node._options_labels)
        if isinstance(node, widgets.Tab):
            found.extend(str(title) for title in node.titles)
        if isinstance(node, widgets.Output):
            for output in node.outputs:
                data = output.get("data", {})
                found.extend(str(data[key]) for key in ("text/html", "text/plain") if key in data)
        for child in getattr(node, "children", ()) or ():
            walk(child)

    walk(widget)
    return found


def _words(text: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", _NOT_WORDS.sub(" ", text)))
    return " ".join(token for token in text.split() if "/" not in token and "\\" not in token and "@" not in token
                    and not FILE_NAME.search(token))


_SVG_TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.DOTALL)
_DRAWN: dict[str, list[str]] = {}


def _chart_texts(app) -> list[str]:
    """Every text drawn in the app's charts (titles, axis titles and labels, legends), as drawn.

    The apps show a chart as a PNG drawn by vl-convert; the same converter's SVG of the same chart holds the same
    texts as ``<text>`` elements, which a PNG would hide. Each different chart is drawn once per test process.
    """
    import json

    import vl_convert

    from toolkit.widgets._base import ChartOutput

    texts: list[str] = []
    for output in vars(app).values():
        if isinstance(output, ChartOutput) and output.chart is not None:
            spec = output.chart.to_dict()  # validated against the Vega-Lite schema, as drawing it would
            key = json.dumps(spec, sort_keys=True, default=str)
            if key not in _DRAWN:
                _DRAWN[key] = [html.unescape(text) for text in _SVG_TEXT.findall(vl_convert.vegalite_to_svg(spec))]
            texts.extend(_DRAWN[key])
    return texts


@pytest.fixture
def charts_read_not_drawn(monkeypatch):
    """The apps' charts are not drawn as pictures: :func:`_code_names` reads the texts each chart draws from its
    SVG instead (:func:`_chart_texts`), once per state checked rather than once per widget change."""
    monkeypatch.setattr("toolkit.widgets._base.chart_png", lambda chart, scale=2.0: (b"", 560))


def _code_names(app) -> dict[str, str]:
    """Each code name found -> the text it was found in (first 160 characters): in the widget tree and in the texts
    the app's charts draw."""
    found = {}
    for text in _strings(app.view) + _chart_texts(app):
        words = _words(text)
        for pattern in (CODE_NAME, DOTTED, OBJECTIVE):
            for match in pattern.finditer(words):
                found.setdefault(match.group(0), words[:160])
    return found


@pytest.fixture(scope="module")
def northwind():
    return load_client(ROOT / "sample_data" / "northwind")


@pytest.mark.slow
def test_the_matching_studio_used_in_a_workshop_shows_no_code_name(northwind, tmp_path_factory, charts_read_not_drawn):
    studio = MatchingStudio.from_client(northwind, export_dir=tmp_path_factory.mktemp("exports"))
    mentee, mentor = studio.result.pairs[["mentee_id", "mentor_id"]].iloc[0]
    explained = {}
    for person in list(studio.result.pairs["mentee_id"][:20]) + list(studio.result.pairs["mentor_id"][:10]):
        studio.person_picker.value = person
        explained.update(_code_names(studio))
    assert explained == {}
    studio.person_picker.value = mentee
    studio.scenario_name.value = "as designed"
    studio.save_button.click()
    studio.weight_sliders["cross_department"].value = 6
    studio.rule_toggles[next(iter(studio.rule_toggles))].value = False
    studio.objective_picker.value = "max_min"
    studio.resolve.flush()
    studio.scenario_name.value = "mixing departments"
    studio.save_button.click()
    studio.model.ban(mentee, mentor)
    studio.pin_mentee.value, studio.pin_mentor.value = mentee, mentor
    studio.ban_button.click()
    studio.export_button.click()
    assert studio.errors.last_error is None, studio.errors.widget.value
    assert _code_names(studio) == {}


def test_a_circles_programme_in_the_matching_studio_shows_no_code_name():
    client = load_client(ROOT / "sample_data" / "lumen")
    studio = MatchingStudio.from_client(client)
    assert studio.errors.last_error is None, studio.errors.widget.value
    assert _code_names(studio) == {}


@pytest.mark.slow
def test_cohort_set_up_shows_no_code_name_even_for_columns_it_must_ask_about(northwind, tmp_path):
    setup = CohortSetup.from_client(northwind, export_dir=tmp_path)
    assert _code_names(setup) == {}
    # A file whose columns are ambiguous or unknown: the Columns and Problems tabs speak plainly too.
    odd = tmp_path / "signups.csv"
    odd.write_text("Ref,Name,Email 1,Email 2,Favourite snack\nA1,Ann Lee,ann@x.example,ann@y.example,crisps\n"
                   "A2,Bo Chan,bo@x.example,,\n", encoding="utf-8")
    setup = CohortSetup(odd, export_dir=tmp_path)
    assert _code_names(setup) == {}


@pytest.mark.slow
def test_the_survey_explorer_shows_no_code_name_in_any_grouping_or_comparison(northwind, charts_read_not_drawn):
    explorer = SurveyExplorer.from_client(northwind)
    seen = {}
    for wave in explorer.model.waves:
        explorer.wave_picker.value = wave
        for _, compare in explorer.compare_picker.options:
            explorer.compare_picker.value = compare
            for _, grouping in explorer.grouping_picker.options:
                explorer.grouping_picker.value = grouping
                seen.update(_code_names(explorer))
    assert explorer.errors.last_error is None, explorer.errors.widget.value
    assert seen == {}


def test_the_check_finds_code_names_where_they_are():
    import ipywidgets as widgets

    class Fake:
        view = widgets.VBox([widgets.HTML("<p>objective 3322.33; criteria.skills.weight 4 -&gt; 8</p>"),
                             widgets.Dropdown(options=[("cross_department", 1)]),
                             widgets.HTML("<code>a_b</code> saved in /tmp/my_folder/x.xlsx")])

    assert set(_code_names(Fake())) == {"objective 3", "criteria.skills.weight", "cross_department"}


def test_the_check_reads_the_texts_a_chart_draws():
    import altair as alt
    import ipywidgets as widgets
    import pandas as pd

    from toolkit.widgets._base import ChartOutput

    class Charted:
        def __init__(self, title=alt.Undefined) -> None:
            self.view = widgets.VBox([])
            self.chart = ChartOutput()
            data = pd.DataFrame({"mentor_count": [1, 2], "Team": ["Sales", "team_b"]})
            self.chart.chart = alt.Chart(data).mark_bar().encode(x=alt.X("mentor_count", title=title), y="Team")

    # the axis title Vega-Lite makes from a field's name, and a label drawn from the data
    assert set(_code_names(Charted())) == {"mentor_count", "team_b"}
    assert set(_code_names(Charted("Mentors"))) == {"team_b"}
