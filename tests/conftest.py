"""Shared test settings.

Hypothesis example counts come from a profile: "ci" (the default, keeps `make test` fast)
or "deep" for a long bug hunt: HYPOTHESIS_PROFILE=deep .venv/bin/python -m pytest tests
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

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

    Playwright never downloads a browser here: it drives the one the toolkit prints PDFs with
    (:func:`toolkit.reports.find_chromium`: ``$CHROMIUM``, else Chromium's headless shell, else the browser,
    from the PATH). ``.ci/run`` installs Debian's ``chromium-headless-shell`` and ``chromium``; the shell is
    the engine Playwright itself runs headless, and starts with about a fifth less work.
    """
    import sys

    from toolkit.reports import find_chromium

    executable = find_chromium()
    if executable:
        return executable
    message = (f"No system Chromium found (looked for `chromium-headless-shell`, `chromium` and others): {what} did "
               "not run. Install it with `apt-get install chromium-headless-shell`.")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " Under CI this is a failure.")
    print(f"\nNOTICE: {message}", file=sys.stderr)
    pytest.skip(message)


def drag_slider_to_zero(page, slider) -> None:
    """In a real browser: drag an ipywidgets slider's handle past its left end (to its minimum)."""
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").first
    box = handle.bounding_box()
    track = slider.locator(".noUi-base, .noUi-target").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] - 20, box["y"] + box["height"] / 2, steps=12)
    page.mouse.up()


def branded_copy(folder: Path, *, extra: str = "") -> Path:
    """A copy of the Riverbank sample in ``folder`` with a logo and ``branding:`` (accent #7048e8,
    consultancy Harbour Learning) added to its client.yaml, plus any ``extra`` YAML; returns client.yaml."""
    import shutil

    shutil.copytree(Path(__file__).resolve().parents[1] / "sample_data" / "riverbank", folder)
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
                                     '<rect width="40" height="20" fill="#7048e8"/></svg>', encoding="utf-8")
    client = folder / "client.yaml"
    client.write_text(client.read_text(encoding="utf-8") + extra + "branding:\n  logo: logo.svg\n"
                      '  accent: "#7048e8"\n  consultancy: Harbour Learning\n', encoding="utf-8")
    return client


class RequestLog:
    """Every request the pages of a browser context make, websockets included, to tell local from foreign."""

    def __init__(self, context, local: str) -> None:
        self.local = local  # "127.0.0.1:<port>"
        self.urls: list[str] = []
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("page", self._watch)
        for page in context.pages:
            self._watch(page)

    def _watch(self, page) -> None:
        page.on("websocket", lambda socket: self.urls.append(socket.url))

    def foreign(self, since: int = 0) -> list[str]:
        """The requests (from the ``since``-th on) to any host but the local server (data:, blob: and about:
        URLs stay in the page)."""
        return sorted({url for url in self.urls[since:] if urlsplit(url).scheme not in ("data", "blob", "about")
                       and urlsplit(url).netloc.lower() != self.local})


# Each Font Awesome icon on a button (ipywidgets draws `icon="undo"` as <i class="fa fa-undo">): the glyph
# its CSS sets, and whether the icon font it needs is loaded.
_ICONS = """async () => {
    const faces = await document.fonts.load('900 16px "Font Awesome 5 Free"');
    return {loaded: faces.length > 0 && faces.every(face => face.status === 'loaded'),
            icons: Array.from(document.querySelectorAll('button i.fa')).map(icon => {
                const before = getComputedStyle(icon, '::before');
                return {icon: icon.className, glyph: before.content, font: before.fontFamily};
            })};
}"""


def assert_icons_draw(page) -> int:
    """Every button icon on the page has its glyph and the icon font loaded; returns how many icons."""
    found = page.evaluate(_ICONS)
    assert found["loaded"], "the Font Awesome font did not load"
    for icon in found["icons"]:
        assert icon["glyph"] not in ("none", "normal", "") and "Font Awesome" in icon["font"], icon
    return len(found["icons"])


@pytest.fixture(scope="session")
def sample_reports(tmp_path_factory, worker_id):
    """The sample clients' reports (``.get(client, report)`` -> ReportRun), each rendered once per test run.

    Under xdist every worker is a session of its own, so the renders live in a folder beside the workers'
    temporary folders (the parent of this worker's) and are shared through lock files (tests/sample_reports.py).
    """
    import sample_reports as shared

    base = tmp_path_factory.getbasetemp()
    alone = worker_id == "master" or shared.fcntl is None
    return shared.SampleReports((base if alone else base.parent) / "sample-reports")


#: The test files that take longest (seconds of one worker on the 2-core machine, ``--durations``), longest first.
#: ``make test`` hands whole files to the workers in collection order (``--dist loadfile --no-loadscope-reorder``),
#: so these start first and the many short files fill in at the end: the two workers finish together, and the
#: browser files, which spend much of their time waiting on a page, run beside files that compute.
LONGEST_FIRST = ("test_report_quality.py", "test_browser_course.py", "test_browser_studio_layout.py",
                 "test_browser_attacks.py", "test_journey.py", "test_warm_kernels.py", "test_course.py",
                 "test_browser_voila.py", "test_browser_studio.py", "test_widgets_plain_words.py", "test_studio.py",
                 "test_attacks_studio.py", "test_notebooks.py", "test_widgets_matching_studio.py",
                 "test_report_adopted_round.py", "test_wheel.py", "test_portfolio_learning.py",
                 "test_rounds_processes.py", "test_agreements.py", "test_kernel_nudge.py")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """A test that reads the rendered sample reports is slow (each render runs a notebook in a kernel), so
    ``make check`` (-m "not slow") never renders one; marked here, before -m deselects. Then the longest files
    go first (:data:`LONGEST_FIRST`), each file's tests in their own order."""
    for item in items:
        if "sample_reports" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
    rank = {name: position for position, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order


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
