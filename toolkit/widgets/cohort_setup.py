"""CohortSetup: from the file a client sent to a validated roster and a readiness check.

Four steps on one screen::

    from toolkit.widgets import CohortSetup
    setup = CohortSetup.from_client("sample_data/northwind")   # or CohortSetup("signups.xlsx")
    setup                                                       # shows the app

1. **File**: pick a file found under a folder, or upload one.
2. **Columns**: the toolkit's suggested mapping of the client's headers onto its fields
   (:func:`toolkit.intake.suggest_mapping`), one dropdown per column to correct it.
3. **Problems**: every row or column the toolkit cannot use, with the spreadsheet row,
   the column, the value and the fix.
4. **Programme and readiness**: the programme template, then the readiness summary
   (:meth:`toolkit.roster.Roster.readiness`) and a chart of mentor places against
   mentee demand per department.

The state lives in :class:`CohortSetupModel` (no ipywidgets), so it can be driven and
tested without a browser; ``setup.roster`` and ``setup.design`` feed the next step.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import traitlets

from ..charts import readiness_chart
from ..client import ClientConfig, load_client, mapping_dict
from ..design.model import ProgramDesign
from ..design.vocabulary import KINDS
from ..disclosure import client_readiness
from ..errors import DesignError, IntakeError, Problem, ToolkitError, check_option
from ..files import write_text
from ..intake import schema
from ..intake.mapping import IGNORE, suggest_mapping
from ..intake.tables import Table, column_letter, read_table
from ..labels import label
from ..ledger import Ledger
from ..paths import export_path
from ..roster import load_roster
from ._base import STYLE, App, ChartOutput, Debouncer, ErrorPanel, plain_words, table_html

__all__ = ["CohortSetup", "CohortSetupModel", "readiness_chart", "PARTICIPANT_FILE_SUFFIXES"]

PARTICIPANT_FILE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
PROBLEM_COLUMNS = ["file", "row", "column", "value", "message", "fix"]
# How the Problems tab heads those columns.
PROBLEM_HEADINGS = {"file": "File", "row": "Row", "column": "Column", "value": "Value", "message": "Problem",
                    "fix": "How to fix it"}
# The toolkit's fields as the Columns tab's dropdowns name them (others: their label from toolkit.labels).
FIELD_WORDS = {"participant_id": "Person's id", "email": "Work email", "name": "Full name",
               "role": "Mentor or mentee", "manager_id": "Line manager", "capacity": "Mentee places",
               "timezone": "Time zone", "tenure_years": "Years of service", "languages": "Languages",
               "preferences": "Preferred mentors", "exclusions": "Not to be matched with",
               "can_facilitate": "Can facilitate a circle", "consent": "Consent to matching"}


def field_words(name: str) -> str:
    """A toolkit field as the Columns tab shows it ("Person's id", "Skills offered")."""
    words = FIELD_WORDS.get(name) or label(name)
    return words[:1].upper() + words[1:]


class CohortSetupModel(traitlets.HasTraits):
    """The state of a cohort set-up: file, column choices, template, and what follows from them.

    Set ``path`` (or call :meth:`load`), correct columns with :meth:`set_column`, choose
    a ``template``; ``table``, ``mapping``, ``roster``, ``problems``, ``design`` and
    ``readiness`` are recomputed by :meth:`refresh`.

    Attributes
    ----------
    path : str
        The participant file.
    template : str
        Programme kind (a template in ``templates/programs``).
    overrides : dict
        Client header -> toolkit field (or ``"ignore"``) chosen by the user, on top of
        the automatic suggestion and the client's own mapping.
    problems : DataFrame
        file, row, column, value, message, fix: everything that stops a row or column
        from being used (empty when the file loads cleanly).
    roster : Roster or None
        The good rows (rows with problems are set aside, never silently dropped).
    """

    path = traitlets.Unicode("")
    template = traitlets.Unicode("formal")
    overrides = traitlets.Dict()
    table = traitlets.Any(None, allow_none=True)
    mapping = traitlets.Any(None, allow_none=True)
    roster = traitlets.Any(None, allow_none=True)
    design = traitlets.Any(None, allow_none=True)
    readiness = traitlets.Any(None, allow_none=True)
    problems = traitlets.Instance(pd.DataFrame, kw={"columns": PROBLEM_COLUMNS})
    revision = traitlets.Int(0)  # bumped after every refresh, for views to observe

    def __init__(
        self,
        *,
        base_mapping: Mapping | None = None,
        role: str | None = None,
        org_chart: Any = None,
        client_design: ProgramDesign | None = None,
        client_template: str | None = None,
        min_group: int = 5,
        client_folder: str | Path | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # readiness by department and site is shown through the release ledger: small groups, and any group
        # the client's reports hid, stay hidden here too (the screen may be shared with the client)
        self.min_group, self.client_folder = int(min_group), client_folder
        base_mapping = dict(base_mapping or {})
        if set(base_mapping) <= {"columns", "values"} and base_mapping:
            self.base_columns = dict(base_mapping.get("columns") or {})
            self.value_translations = dict(base_mapping.get("values") or {})
        else:
            self.base_columns, self.value_translations = base_mapping, {}
        self.role = role
        self.org_chart = org_chart
        self.client_design = client_design
        self.client_template = client_template

    # -- actions ------------------------------------------------------------------------------

    def load(self, path: str | Path) -> None:
        """Read a file, suggest its mapping, validate it (raises IntakeError if unreadable)."""
        table = read_table(path)  # fails loudly before any state changes
        self.overrides = {}
        self.table = table
        self.path = str(path)
        self.refresh()

    def set_column(self, header: str, field_name: str) -> None:
        """Map one client column to a toolkit field (``"ignore"`` to leave it out), then re-validate."""
        if self.table is None:
            raise IntakeError("Load a file before changing its columns.", fix="pick or upload a file first")
        if header not in self.table.headers:
            raise IntakeError(f'The file has no column "{header}".', fix="use a header exactly as in the file")
        if field_name != IGNORE and field_name not in schema.FIELD_NAMES:

            check_option("field", field_name, (*schema.FIELD_NAMES, IGNORE), IntakeError)
        self.overrides = {**self.overrides, header: field_name}
        self.refresh()

    def choose_template(self, kind: str) -> None:
        """Choose the programme kind, then recompute readiness."""

        check_option("template", kind, ProgramDesign.kinds(), DesignError)
        self.template = kind
        self.refresh()

    def explicit_mapping(self) -> dict:
        """The mapping passed to :func:`load_roster`: the client's mapping plus the user's corrections."""
        columns = {**self.base_columns, **self.overrides}
        if self.value_translations:
            return {"columns": columns, "values": self.value_translations}
        return columns

    def mapping_code(self) -> str:
        """A line of Python that loads the file with the chosen mapping (to paste into a notebook)."""
        return f"roster = tk.load_roster({self.path!r}, mapping={self.explicit_mapping()!r})"

    def save_mapping(self, path: str | Path) -> Path:
        """Write the chosen mapping as a YAML mapping file (for ``mapping:`` in client.yaml).

        The file loads back with :func:`toolkit.load_roster` (``mapping="that.yaml"``) and
        gives the same roster.
        """
        import yaml


        path = Path(path)
        if path.suffix.lower() not in (".yaml", ".yml"):
            raise IntakeError(f'A mapping file must end in .yaml, not "{path.suffix}".',
                              fix="give a name such as mapping.yaml")
        columns = {**self.base_columns, **self.overrides}
        data = {"columns": {header: (None if name == IGNORE else name) for header, name in columns.items()},
                "values": self.value_translations}
        header = f"# Column mapping for {Path(self.path).name}, saved from CohortSetup.\n"
        return write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), path)

    def refresh(self) -> None:
        """Recompute mapping, roster, problems, design and readiness from path, overrides and template."""
        self.design = self._design()
        if self.table is None:
            self.revision += 1
            return
        self.mapping = suggest_mapping(self.table, self._mapping_for_table())
        self.roster, self.problems = self._validate()
        self.readiness = self._protected_readiness() if self.roster is not None and len(self.roster) else None
        self.revision += 1

    # -- internals ----------------------------------------------------------------------------

    def _protected_readiness(self):
        ledger = Ledger.for_client(self.client_folder, self.min_group) if self.client_folder is not None \
            else Ledger(None, self.min_group)
        return client_readiness(None, self.roster, self.design, ledger.release("cohort set-up"))

    def _design(self) -> ProgramDesign:
        if self.client_design is not None and self.template == self.client_template:
            return self.client_design
        return ProgramDesign.from_template(self.template)

    def _mapping_for_table(self) -> dict:
        headers = set(self.table.headers) | set(self.table.header_ids)
        columns = {header: name for header, name in {**self.base_columns, **self.overrides}.items()
                   if header in headers}
        return {"columns": columns, "values": self.value_translations}

    def _validate(self) -> tuple[Any, pd.DataFrame]:
        """Strict load for the full problem list; lenient load for the good rows."""
        common = {"mapping": self._mapping_for_table(), "role": self.role, "org_chart": self.org_chart}
        try:
            roster = load_roster(self.path, **common)
            problems: list[Problem | ToolkitError] = []
        except IntakeError as strict_error:
            problems = list(strict_error.problems) if strict_error.problems else [strict_error]
            try:
                roster = load_roster(self.path, lenient=True, **common)
            except IntakeError:
                return None, _problems_frame(problems)  # the columns themselves are the problem
        # Rows set aside for reasons that are not errors (no consent, superseded) and warnings
        # about rows not already listed: every row that did not load fully is on the table.
        listed = {problem.row for problem in problems if getattr(problem, "row", None) is not None}
        for warning in roster.warnings:
            if warning.row is None or warning.row not in listed:
                problems.append(warning)
                listed.add(warning.row)
        for record in roster.rejected.itertuples():
            if record.row not in listed:
                problems.append(Problem(str(record.reasons), "", str(record.source), int(record.row)))
        return roster, _problems_frame(problems)


def _problems_frame(problems: Iterable[Problem | ToolkitError]) -> pd.DataFrame:
    records = []
    for problem in problems:
        if isinstance(problem, ToolkitError):
            records.append({"file": Path(problem.path).name if problem.path else "", "row": problem.row,
                            "column": problem.column or "", "value": problem.value, "message": problem.headline,
                            "fix": problem.fix})
            continue
        column = problem.column or ""
        if problem.column_letter and column:
            column = f"{problem.column_letter} ({column})"
        records.append({"file": Path(problem.path).name if problem.path else "", "row": problem.row,
                        "column": column, "value": "" if problem.value is None else str(problem.value),
                        "message": problem.message, "fix": problem.fix})
    frame = pd.DataFrame(records, columns=PROBLEM_COLUMNS).astype(object)
    return frame.where(frame.notna(), None)


class CohortSetup(App):
    """The cohort set-up app: file, column mapping, problems, template and readiness.

    Parameters
    ----------
    path
        A participant file to open at once (CSV or Excel).
    mapping
        A client mapping (header -> field, or ``{"columns": ..., "values": ...}``) applied
        before the automatic suggestion.
    template
        Programme kind to start with (default ``"formal"``).
    folder
        Where to look for files to pick (default: ``sample_data`` if it exists, else the
        current folder).
    upload_dir
        Where uploaded files are saved (default: a new temporary folder).
    export_dir
        The folder a saved mapping goes to (default: the current folder).
    role, org_chart
        Passed to :func:`toolkit.load_roster`.
    design
        A ready design (e.g. a client's, with overrides) used while ``template`` is chosen.
    min_group, client_folder
        The anonymity threshold and the client's folder: readiness by department and site hides small
        groups and any group the client's release ledger hid.

    Attributes
    ----------
    model : CohortSetupModel
    view : ipywidgets.VBox
    roster, design, readiness
        Shortcuts to the model's.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        mapping: Mapping | None = None,
        template: str | None = None,
        folder: str | Path | None = None,
        upload_dir: str | Path | None = None,
        role: str | None = None,
        org_chart: Any = None,
        design: ProgramDesign | None = None,
        export_dir: str | Path | None = None,
        min_group: int = 5,
        client_folder: str | Path | None = None,
    ) -> None:
        import ipywidgets as widgets

        template = template or (design.kind if design is not None else "formal")
        self.model = CohortSetupModel(base_mapping=mapping, role=role, org_chart=org_chart, client_design=design,
                                      client_template=template, template=template, min_group=min_group,
                                      client_folder=client_folder)
        self.folder = Path(folder) if folder is not None else (
            Path("sample_data") if Path("sample_data").is_dir() else Path("."))
        self._upload_dir = Path(upload_dir) if upload_dir is not None else None
        self.errors = ErrorPanel()
        guard = self.errors.guard

        # -- 1. file -------------------------------------------------------------------------
        choices = self._file_choices(path)
        self.file_picker = widgets.Dropdown(options=[("(choose a file)", "")] + [(self._short(c), c) for c in choices],
                                            value="", description="File", layout=widgets.Layout(width="420px"))
        self.load_button = widgets.Button(description="Load", icon="folder-open", button_style="primary")
        self.upload = widgets.FileUpload(accept=",".join(PARTICIPANT_FILE_SUFFIXES), multiple=False,
                                         description="Upload")
        self.file_status = widgets.HTML()
        self.load_button.on_click(guard(self._on_load_clicked))
        self.upload.observe(guard(self._on_upload), names="value")

        # -- 2. columns ----------------------------------------------------------------------
        self.column_dropdowns: dict[str, Any] = {}
        self._status_labels: dict[str, Any] = {}
        self._rendered_table: Table | None = None  # the Table the dropdowns were built for
        self._pending_columns: dict[str, str] = {}
        # A grid, not a VBox of HBoxes: a flex column with a height limit squeezes its rows onto each other.
        self.columns_box = widgets.GridBox(layout=widgets.Layout(
            grid_template_columns="minmax(180px, 1fr) 220px minmax(200px, 1.3fr)", grid_gap="6px 12px",
            align_items="center", max_height="560px", overflow="auto", padding="0 4px 0 0"))
        self.mapping_note = widgets.HTML()
        self.export_dir = Path(export_dir) if export_dir is not None else None  # saves stay inside it when given
        self.mapping_path = widgets.Text(value=str(Path(export_dir or "") / "mapping.yaml"), description="Save as",
                                         layout=widgets.Layout(width="100%", max_width="520px"))
        self.save_mapping_button = widgets.Button(description="Save mapping", icon="save")
        self.save_mapping_button.on_click(guard(self._on_save_mapping))
        self.mapping_saved = widgets.HTML()

        # -- 3. problems ---------------------------------------------------------------------
        self.problems_html = widgets.HTML(layout=widgets.Layout(width="100%"))

        # -- 4. programme and readiness ------------------------------------------------------
        self.template_picker = widgets.Dropdown(
            options=[(f"{kind.capitalize()}: {KINDS.get(kind, '')}", kind) for kind in ProgramDesign.kinds()],
            value=template, description="Programme", layout=widgets.Layout(width="100%", max_width="900px"))
        self.template_picker.observe(guard(self._on_template), names="value")
        self.design_html = widgets.HTML()
        self.readiness_html = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.chart = ChartOutput("The readiness chart appears once the file loads.", fill=True)
        self.at_risk_html = widgets.HTML(layout=widgets.Layout(width="100%"))

        self.tabs = widgets.Tab(children=[
            widgets.VBox([self.mapping_note, self.columns_box,
                          widgets.HBox([self.mapping_path, self.save_mapping_button],
                                       layout=widgets.Layout(flex_flow="row wrap")), self.mapping_saved]),
            self.problems_html,
            widgets.VBox([self.template_picker, self.design_html]),
            widgets.VBox([self.readiness_html, self.chart.widget, self.at_risk_html]),
        ])
        for index, title in enumerate(["1 Columns", "2 Problems", "3 Programme", "4 Readiness"]):
            self.tabs.set_title(index, title)
        self.view = widgets.VBox([
            widgets.HTML(STYLE + "<h3>Cohort set-up</h3><p class='tk-note'>Pick or upload the sign-up file, "
                                 "check how its columns are read, fix what the toolkit flags, and see whether "
                                 "there are enough mentors.</p>"),
            widgets.HBox([self.file_picker, self.load_button, self.upload], layout=widgets.Layout(flex_flow="row wrap")),
            self.file_status,
            self.errors.widget,
            self.tabs,
        ])
        self._refresh_later = Debouncer(guard(self._refresh_from_columns), delay=0.2)
        self.model.observe(lambda _change: self._render(), names="revision")
        if path is not None:
            self.file_picker.value = str(path) if str(path) in choices else ""
            guard(self.model.load)(path)
        else:
            guard(self.model.refresh)()
        self._render()

    @classmethod
    def from_client(cls, client, **kwargs: Any) -> CohortSetup:
        """Open a client's first participant file with its mapping, template and org chart.

        Parameters
        ----------
        client
            A :class:`~toolkit.client.ClientConfig`, or the path of a client folder or client.yaml.
        """

        config = client if isinstance(client, ClientConfig) else load_client(client)
        entry = config.data["participants"][0]

        design = config.design()
        return cls(entry["path"], mapping=mapping_dict(entry.get("mapping"), config.folder),
                   template=config.data["programme"].get("template", "formal"), design=design,
                   role=entry.get("role"), org_chart=config.data.get("org_chart"),
                   folder=kwargs.pop("folder", config.folder), min_group=int(config.privacy["min_group"]),
                   client_folder=config.folder, **kwargs)

    # -- shortcuts ------------------------------------------------------------------------------

    @property
    def roster(self):
        """The validated roster (good rows), or None until a file loads."""
        return self.model.roster

    @property
    def design(self) -> ProgramDesign:
        """The chosen programme design."""
        return self.model.design

    @property
    def readiness(self):
        return self.model.readiness

    # -- callbacks -----------------------------------------------------------------------------

    def _short(self, path: str) -> str:
        """A file's name relative to the folder searched (the full path is the value)."""
        try:
            return str(Path(path).resolve().relative_to(self.folder.resolve()))
        except ValueError:
            return Path(path).name

    def _file_choices(self, path) -> list[str]:
        found = []
        if self.folder.is_dir():
            for candidate in sorted(self.folder.rglob("*")):
                if candidate.suffix.lower() in PARTICIPANT_FILE_SUFFIXES and candidate.is_file():
                    found.append(str(candidate))
                if len(found) >= 300:
                    break
        if path is not None and str(path) not in found:
            found.insert(0, str(path))
        return found

    def _on_load_clicked(self, _button=None) -> None:
        if not self.file_picker.value:
            raise IntakeError("No file is chosen.", fix="choose a file in the list, or upload one")
        self.errors.clear()
        self.model.load(self.file_picker.value)

    def _on_upload(self, change) -> None:
        uploads = change["new"]
        if not uploads:
            return
        upload = uploads[0]
        name = Path(upload["name"]).name
        if Path(name).suffix.lower() not in PARTICIPANT_FILE_SUFFIXES:
            raise IntakeError(f"{name} is not a file the toolkit reads.", fix="upload a .csv or .xlsx file")
        if self._upload_dir is None:
            self._upload_dir = Path(tempfile.mkdtemp(prefix="toolkit-upload-"))
        self._upload_dir.mkdir(parents=True, exist_ok=True)
        target = self._upload_dir / name
        target.write_bytes(bytes(upload["content"]))
        self.errors.clear()
        self.model.load(target)
        options = list(self.file_picker.options)
        if str(target) not in [value for _, value in options]:
            self.file_picker.options = options + [(f"uploaded: {target.name}", str(target))]
        self.file_picker.value = str(target)

    def _on_column(self, header: str, change) -> None:
        self._pending_columns[header] = change["new"]
        self._refresh_later()

    def _refresh_from_columns(self) -> None:
        pending, self._pending_columns = self._pending_columns, {}
        self.errors.clear()
        self.model.overrides = {**self.model.overrides, **pending}
        self.model.refresh()

    def _on_save_mapping(self, _button=None) -> None:
        if self.model.table is None:
            raise IntakeError("There is no file loaded, so no mapping to save.", fix="load a file first")
        saved = self.model.save_mapping(self.mapping_path.value if self.export_dir is None else
                                        export_path(self.export_dir, self.mapping_path.value, suffixes=(".yaml", ".yml"),
                                                    default="mapping.yaml"))
        self.mapping_saved.value = STYLE + (
            f"<div class='tk-ok'>Saved <code>{_esc(saved)}</code>. Use it with "
            f"<code>mapping: {_esc(saved.name)}</code> in client.yaml.</div>")

    def _on_template(self, change) -> None:
        self.errors.clear()
        self.model.choose_template(change["new"])

    # -- rendering -------------------------------------------------------------------------------

    def _render(self) -> None:
        model = self.model
        self._render_columns()
        if model.table is None:
            self.file_status.value = "<p class='tk-note'>No file loaded yet.</p>"
        else:
            table = model.table
            read_as = {"generic": "a spreadsheet", "google_forms": "a Google Forms export",
                       "microsoft_forms": "a Microsoft Forms export", "qualtrics": "a Qualtrics export"}[table.shape]
            self.file_status.value = (
                f"<p class='tk-note'><b>{_esc(table.name)}</b>: {len(table.rows)} rows, {len(table.headers)} "
                f"columns, read as {read_as}.</p>")
        problems = model.problems
        if model.table is None:
            self.problems_html.value = "<p class='tk-empty'>Load a file to check it.</p>"
        elif len(problems):
            loaded = len(model.roster) if model.roster is not None else 0
            self.problems_html.value = STYLE + (
                f"<div class='tk-warn'>{len(problems)} problem{'s' if len(problems) != 1 else ''}. "
                + (f"{loaded} people load; the rows below are set aside until they are fixed in the file."
                   if model.roster is not None else "Nothing loads until the columns are sorted out "
                   "(see the Columns tab).")
                + "</div>" + table_html(problems.rename(columns=PROBLEM_HEADINGS), max_rows=5000,
                                        raw_columns=("Value", "How to fix it")))  # cells as typed
        else:
            self.problems_html.value = STYLE + "<div class='tk-ok'>No problems: every row loads.</div>"
        self.tabs.set_title(1, f"2 Problems ({len(problems)})" if len(problems) else "2 Problems")
        design = model.design
        # The design's card names its shape as in YAML (one_to_one); the studio says it in words.
        self.design_html.value = (design._repr_html_().replace(f" {design.shape} ", f" {design.shape.replace('_', '-')} ")
                                  if design is not None else "")
        if self.template_picker.value != model.template:
            self.template_picker.value = model.template
        self._render_readiness()

    def _render_columns(self) -> None:
        import ipywidgets as widgets

        model = self.model
        if model.table is None or model.mapping is None:
            self.columns_box.children = ()
            self.column_dropdowns = {}
            self.mapping_note.value = ""
            return
        table: Table = model.table
        mapping = model.mapping
        options = [("(not used)", IGNORE)] + sorted(((field_words(name), name) for name in schema.FIELD_NAMES),
                                                    key=lambda option: option[0].casefold())
        if set(self.column_dropdowns) == set(table.headers) and self._rendered_table is table:
            # Same file: update values in place so focus and scroll position survive.
            for index, header in enumerate(table.headers):
                dropdown = self.column_dropdowns[header]
                wanted = mapping.fields.get(index, IGNORE)
                if dropdown.value != wanted:
                    dropdown.unobserve_all("value")
                    dropdown.value = wanted
                    dropdown.observe(self.errors.guard(lambda change, h=header: self._on_column(h, change)),
                                     names="value")
            self._render_column_status()
            return
        self._rendered_table = table
        cells = [widgets.HTML("<b>Column in the file</b>"), widgets.HTML("<b>Read as</b>"),
                 widgets.HTML("<b>What the toolkit makes of it</b>")]
        self.column_dropdowns, self._status_labels = {}, {}
        for index, header in enumerate(table.headers):
            example = next((row[index] for row in table.rows if row[index]), "")
            dropdown = widgets.Dropdown(options=options, value=mapping.fields.get(index, IGNORE),
                                        layout=widgets.Layout(width="auto"))
            dropdown.observe(self.errors.guard(lambda change, h=header: self._on_column(h, change)), names="value")
            status = widgets.HTML(layout=widgets.Layout(width="auto"))
            heading = widgets.HTML(
                f"<div style='line-height:1.3;overflow-wrap:anywhere'><b>{column_letter(index)}</b> "
                f"{_esc(header[:70])}<br><span class='tk-note'>"
                f"{'e.g. ' + _esc(example[:50]) if example else '(empty)'}</span></div>",
                layout=widgets.Layout(width="auto"))
            self.column_dropdowns[header] = dropdown
            self._status_labels[header] = status
            cells += [heading, dropdown, status]
        self.columns_box.children = tuple(cells)
        self._render_column_status()

    def _render_column_status(self) -> None:
        model = self.model
        mapping = model.mapping
        used = set(model.overrides)
        for index, header in enumerate(model.table.headers):
            if header in used:
                text = "<span style='color:#1c7ed6'>your choice</span>"
            elif index in mapping.ambiguous:
                text = ("<span style='color:#c92a2a'>could be " + " or ".join(
                    _esc(field_words(name).lower()) for name in mapping.ambiguous[index]) + ": choose one</span>")
            elif any(index in indexes for indexes in mapping.conflicts.values()):
                text = "<span style='color:#c92a2a'>another column claims the same field: choose</span>"
            elif index in mapping.fields:
                description = plain_words(schema.field(mapping.fields[index]).description)
                text = f"<span class='tk-note'>{_esc(description)}</span>"
            elif index in mapping.ignored:
                text = "<span class='tk-note'>form system column, not used</span>"
            else:
                text = "<span class='tk-note'>not recognised; kept as extra data</span>"
            self._status_labels[header].value = text
        mapped = len(mapping.fields)
        self.mapping_note.value = STYLE + (
            f"<p class='tk-note'>{mapped} of {len(model.table.headers)} columns are used. Change a choice under "
            "<b>Read as</b> to correct the toolkit's guess; <b>Save mapping</b> keeps your choices in a file the "
            "programme's settings can name, so the next export is read the same way.</p>")

    def _render_readiness(self) -> None:
        readiness = self.model.readiness
        if readiness is None:
            self.readiness_html.value = "<p class='tk-empty'>Readiness appears once people load.</p>"
            self.chart.show(None)
            self.at_risk_html.value = ""
            return
        overall = pd.DataFrame([{key: (f"{value:.0%}" if key == "coverage" and value == value else value)
                                 for key, value in readiness.overall.items()}])
        self.readiness_html.value = STYLE + (
            f"<h4>Ready to match? ({_esc(readiness.design_name)})</h4><p>{_esc(readiness.summary())}</p>"
            + table_html(overall))
        self.chart.show(readiness_chart(readiness))
        at_risk = readiness.at_risk
        self.at_risk_html.value = STYLE + (
            f"<h4>People likely to stay unmatched ({len(at_risk)})</h4>"
            + table_html(at_risk, empty="No one: everyone has enough eligible partners."))


def _esc(text: object) -> str:
    import html

    return html.escape(str(text))

