"""A kernel that leaves a cell's reply unsent until its shell channel wakes again, as ipykernel 7 can (upstream,
ipython/ipykernel#1554): the toolkit's kernel client wakes it within seconds (toolkit.kernels.client), where a
plain client waits for the cell's time-out. A test run here once stalled five minutes on exactly this.

The kernel is made to hold its first ``execute_reply`` back until a ``kernel_info_request`` arrives: the cell's
output and its "idle" status go out, the reply does not, which is what was seen in the stalled kernel.
"""

from __future__ import annotations

import tempfile
import time

import nbformat
import pytest

from toolkit.errors import ReportError
from toolkit.kernels import client
from toolkit.reports.runner import execute_in_kernel, local_kernel_manager

HOLD_THE_REPLY = '''\
import inspect
_kernel = get_ipython().kernel
_send, _held, _state = _kernel.session.send, [], {"held": False}

def _withhold(stream, msg_or_type, *args, **kwargs):
    if msg_or_type == "execute_reply" and not _state["held"]:
        _state["held"] = True  # this cell's own reply: kept back until the shell channel wakes
        _held.append((stream, msg_or_type, args, kwargs))
        return {"content": {"status": "ok"}}
    return _send(stream, msg_or_type, *args, **kwargs)

_info = _kernel.shell_handlers["kernel_info_request"]

async def _woken(*args):
    while _held:
        stream, kind, rest, named = _held.pop()
        _send(stream, kind, *rest, **named)
    answer = _info(*args)
    return await answer if inspect.isawaitable(answer) else answer

_kernel.session.send = _withhold
_kernel.shell_handlers["kernel_info_request"] = _woken
print("holding")
'''


def _notebook(folder):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(HOLD_THE_REPLY), nbformat.v4.new_code_cell("print('the next cell ran')")]
    path = folder / "held.ipynb"
    nbformat.write(notebook, path)
    return path


def _printed(path) -> list[str]:
    executed = nbformat.read(path, as_version=4)
    return ["".join(output.get("text", "")) for cell in executed.cells for output in cell.get("outputs", [])]


@pytest.mark.slow  # starts a kernel
def test_a_reply_the_kernel_left_unsent_is_woken_within_seconds(tmp_path, monkeypatch):
    monkeypatch.setattr(client, "NUDGE_SECONDS", 1.0)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tk-") as sockets:
        execute_in_kernel(_notebook(tmp_path), tmp_path / "out.ipynb", parameters={}, cwd=tmp_path, timeout=60,
                          sockets=sockets)
    assert time.monotonic() - started < 30  # not the cell's 60 s time-out
    assert [text.strip() for text in _printed(tmp_path / "out.ipynb")] == ["holding", "the next cell ran"]


@pytest.mark.slow  # starts a kernel
def test_without_the_nudge_the_same_kernel_waits_until_the_cell_times_out(tmp_path, monkeypatch):
    """The control: the held reply is real, and only the nudge releases it."""
    base = local_kernel_manager

    def plain_client_manager(sockets, log=None):
        manager = base(sockets, log)

        class PlainClientManager(manager):  # type: ignore[misc, valid-type]
            def __init__(self, *args, **kwargs):
                kwargs["client_class"] = "jupyter_client.asynchronous.AsyncKernelClient"
                super().__init__(*args, **kwargs)

        return PlainClientManager

    monkeypatch.setattr("toolkit.reports.runner.local_kernel_manager", plain_client_manager)
    with tempfile.TemporaryDirectory(prefix="tk-") as sockets, pytest.raises(ReportError, match="more than 8 s"):
        execute_in_kernel(_notebook(tmp_path), tmp_path / "out.ipynb", parameters={}, cwd=tmp_path, timeout=8,
                          sockets=sockets)
