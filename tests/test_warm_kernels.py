"""Warm kernels (toolkit.kernels): from its second kernel on, a process forks each kernel from a server that has
already imported the kernel's libraries. A warm kernel must be indistinguishable from a fresh one to its notebook
and to Jupyter: its own process, folder, environment and random draws; interrupted, stopped and killed the same way;
and gone when whatever started it is gone. When the server is not there, the kernel starts the ordinary way.

Each test runs its kernels from a fresh Python process (``OWNER``), so that which kernel is the first is known.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from toolkit import kernels

pytestmark = pytest.mark.skipif(not (hasattr(os, "pidfd_open") and os.name == "posix"),
                                reason="warm kernels need Linux (os.pidfd_open)")

ROOT = Path(__file__).resolve().parents[1]

# Runs the notebook that reports on its kernel three times, as a batch of reports does; prints one line per run.
OWNER = r"""
import json, os, sys, tempfile
from pathlib import Path
import nbformat
from toolkit import kernels
from toolkit.reports.runner import execute_in_kernel

folder = Path(sys.argv[1])
notebook = nbformat.v4.new_notebook()
notebook.cells = [nbformat.v4.new_code_cell(
    "import gc, json, os, sys, numpy, comm, ipywidgets\n"
    "from ipykernel.kernelapp import IPKernelApp\n"
    "app = IPKernelApp.instance()\n"
    "print(json.dumps({'pid': os.getpid(), 'ppid': os.getppid(), 'cwd': os.getcwd(), 'path0': sys.path[0],\n"
    "    'argv0': os.path.basename(sys.argv[0]), 'marker': os.environ.get('WARM_TEST_MARKER'),\n"
    "    'parent_handle': app.parent_handle, 'jpy_parent': int(os.environ.get('JPY_PARENT_PID', '0')),\n"
    "    'path': sys.path, 'draw': float(numpy.random.rand()), 'pgid': os.getpgid(0), 'sid': os.getsid(0),\n"
    "    'flags': list(sys.flags), 'frozen': gc.get_freeze_count(),\n"
    "    'widget_targets': sorted(t for t in comm.get_comm_manager().targets if t.startswith('jupyter.widget'))}))")]

def one(run):
    work = folder / f"run{run}"
    work.mkdir()
    nbformat.write(notebook, work / "whoami.ipynb")
    with tempfile.TemporaryDirectory(prefix="tk-") as sockets:
        execute_in_kernel(work / "whoami.ipynb", work / "out.ipynb", parameters={}, cwd=work, timeout=120,
                          sockets=sockets)
    text = nbformat.read(work / "out.ipynb", 4).cells[0].outputs[0]["text"]
    return json.dumps({**json.loads(text), "server": kernels.server_pid(), "owner": os.getpid()})

if sys.argv[2:] == ["pool"]:  # as reports.batch runs reports: the server first, then two forked processes
    from concurrent.futures import ProcessPoolExecutor
    print(json.dumps({"shared": kernels.share_with_children(), "server": kernels.server_pid()}), flush=True)
    with ProcessPoolExecutor(max_workers=2) as pool:
        for line in pool.map(one, range(4)):
            print(line, flush=True)
    sys.exit()
for run in range(3):
    if run == 2 and sys.argv[2:] == ["another-path-last"]:
        os.environ["PYTHONPATH"] = str(folder)  # the last kernel: an interpreter that starts otherwise
    print(one(run), flush=True)
"""


def _owner_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "WARM_TEST_MARKER": "from-the-owner", **extra}


@pytest.mark.slow  # kernels started from a fresh process: make test runs it, make check does not
def test_a_warm_kernel_has_its_own_process_folder_environment_and_draws_like_a_fresh_one(tmp_path):
    done = subprocess.run([sys.executable, "-c", OWNER, str(tmp_path)], capture_output=True, text=True, timeout=300,
                          env=_owner_env(), cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    fresh, *warm = [json.loads(line) for line in done.stdout.splitlines()]
    server = warm[0]["server"]
    assert fresh["ppid"] != server and server and all(run["ppid"] == server for run in warm)  # forked from it
    assert len({fresh["pid"], *(run["pid"] for run in warm)}) == 3
    for run, kernel in enumerate([fresh, *warm]):
        folder = str((tmp_path / f"run{run}").resolve())
        assert (kernel["cwd"], kernel["marker"], kernel["argv0"]) == (folder, "from-the-owner", "ipykernel_launcher.py")
        # the kernel read its own parent's id (it stops when that parent is gone) and leads its own session
        assert kernel["parent_handle"] == kernel["jpy_parent"] != 0
        assert kernel["pgid"] == kernel["sid"] == kernel["pid"]
        # ipywidgets registered with this kernel: a page's widgets can be fetched again (a reload)
        assert kernel["widget_targets"] == ["jupyter.widget", "jupyter.widget.control"]
    assert fresh["path0"] == warm[0]["path0"] == warm[1]["path0"]
    assert fresh["flags"] == warm[0]["flags"] == warm[1]["flags"]  # the interpreter's options (-P, -O...) too
    assert len({run["draw"] for run in [fresh, *warm]}) == 3  # NumPy's global generator is seeded afresh
    # what the server imported is frozen: a warm kernel's cycle collector never walks (and copies) the shared pages
    assert fresh["frozen"] == 0 and all(run["frozen"] > 10_000 for run in warm)


def test_the_server_imports_nothing_whose_import_depends_on_the_kernel():
    code = (f"import sys\nfor name in {kernels.PRELOAD!r}: __import__(name)\n"
            f"print([name for name in {kernels.KERNEL_DEPENDENT!r} if name in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr[-2000:]


@pytest.mark.slow  # kernels started from a fresh process: make test runs it, make check does not
def test_with_warm_kernels_switched_off_every_kernel_starts_afresh(tmp_path):
    done = subprocess.run([sys.executable, "-c", OWNER, str(tmp_path)], capture_output=True, text=True, timeout=300,
                          env=_owner_env(**{kernels.SWITCH: "0"}), cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    runs = [json.loads(line) for line in done.stdout.splitlines()]
    assert [run["server"] for run in runs] == [None] * 3
    assert len({run["ppid"] for run in runs}) == 1  # each a child of the owner itself


def test_the_stand_in_starts_the_kernel_itself_when_no_server_answers(tmp_path):
    command = [sys.executable, "-c", "import os, sys; print('ran', os.getcwd()); sys.exit(3)"]
    done = subprocess.run([sys.executable, "-I", "-S", str(kernels.STUB), str(tmp_path / "no-server"), "--", *command],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert (done.returncode, done.stdout.strip()) == (3, f"ran {tmp_path}")


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.1)
    return False


# Starts two kernels (the second warm) with Jupyter's own manager, then obeys the test on standard input.
DRIVER = r"""
import asyncio, json, os, signal, sys, tempfile
from toolkit.reports.runner import ensure_kernel, local_kernel_manager

async def main():
    managers = [local_kernel_manager(tempfile.mkdtemp(prefix="tk-"))(kernel_name=ensure_kernel()) for _ in range(2)]
    for manager in managers:
        await manager.start_kernel(cwd=tempfile.gettempdir())
    manager = managers[1]
    client = manager.client()
    client.start_channels()
    await client.wait_for_ready(timeout=120)
    async def run(code, timeout):
        msg_id = client.execute(code)
        while True:
            reply = await client.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]
    info = await run("import os; print(os.getpid())", 60)
    pid = None
    while pid is None:
        message = await client.get_iopub_msg(timeout=60)
        if message["msg_type"] == "stream":
            pid = int(message["content"]["text"])
    print(json.dumps({"stand_in": manager.provisioner.pid, "kernel": pid, "first": managers[0].provisioner.pid}),
          flush=True)
    for line in sys.stdin:
        if line.strip() == "interrupt":
            msg_id = client.execute("import time; time.sleep(60)")
            await asyncio.sleep(1.0)
            await manager.interrupt_kernel()
            while True:
                reply = await client.get_shell_msg(timeout=30)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            print(json.dumps({"interrupted": reply["content"].get("ename")}), flush=True)
        elif line.strip() == "shutdown":
            await manager.shutdown_kernel(now=False)
            print(json.dumps({"shutdown": manager.provisioner is None or await manager.is_alive() is False}),
                  flush=True)
        elif line.strip() == "wait":
            await asyncio.sleep(600)

asyncio.run(main())
"""


@pytest.fixture
def driver(tmp_path):
    process = subprocess.Popen([sys.executable, "-c", DRIVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=ROOT, env=_owner_env())
    try:
        first = process.stdout.readline()
        assert first, process.stderr.read()[-3000:] if process.poll() is not None else "no answer"
        yield process, json.loads(first)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _tell(process, command: str) -> dict:
    process.stdin.write(command + "\n")
    process.stdin.flush()
    line = process.stdout.readline()
    assert line, process.stderr.read()[-3000:]
    return json.loads(line)


@pytest.mark.slow  # kernels started from a fresh process: make test runs it, make check does not
def test_a_warm_kernel_is_interrupted_and_stopped_by_jupyter_like_a_fresh_one(driver):
    process, pids = driver
    server = psutil.Process(pids["kernel"]).ppid()
    assert server != pids["stand_in"]  # forked by the server, not the stand-in
    # counted as Jupyter sees them: the fresh kernel and the stand-in are the kernels; the server and its fork are not
    everything = psutil.Process(process.pid).children(recursive=True)
    assert kernels.warm_server_processes(everything) == {server, pids["kernel"]}
    assert {pids["first"], pids["stand_in"]} <= {child.pid for child in everything}
    assert _tell(process, "interrupt") == {"interrupted": "KeyboardInterrupt"}
    assert _tell(process, "shutdown") == {"shutdown": True}
    assert _gone(pids["kernel"], 30) and _gone(pids["stand_in"], 30)


@pytest.mark.slow  # kernels started from a fresh process: make test runs it, make check does not
def test_killing_the_stand_in_ends_the_kernel_and_killing_the_owner_ends_the_server_and_its_folder(driver):
    process, pids = driver
    server = psutil.Process(pids["kernel"]).ppid()
    folder = Path(psutil.Process(server).cwd())  # the server runs in its socket's temporary folder
    assert (folder / "server").is_socket()
    os.kill(pids["stand_in"], signal.SIGKILL)  # as Jupyter kills a kernel that does not stop
    assert _gone(pids["kernel"], 30)
    process.stdin.write("wait\n")
    process.stdin.flush()
    process.kill()  # the owner dies without a word: the server, the first kernel and its stand-in go too
    assert _gone(server, 30) and _gone(pids["first"], 60)
    assert not folder.exists()  # nothing left in the temporary folder


@pytest.mark.slow  # kernels started from a fresh process: make test runs it, make check does not
def test_a_kernel_whose_interpreter_would_start_otherwise_is_started_afresh_not_forked(tmp_path):
    """``PYTHONPATH`` (like any ``PYTHON...`` variable) shapes an interpreter as it starts: a kernel asked for with
    another one than the server's would get the server's import path if forked, so the server refuses and the
    stand-in starts the kernel itself."""
    done = subprocess.run([sys.executable, "-c", OWNER, str(tmp_path), "another-path-last"], capture_output=True,
                          text=True, timeout=300, env=_owner_env(), cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    first, warm, other = [json.loads(line) for line in done.stdout.splitlines()]
    assert warm["ppid"] == warm["server"] is not None  # forked from the server
    assert other["ppid"] == other["owner"] and other["server"] == warm["server"]  # started afresh, server running
    assert str(tmp_path) in other["path"] and str(tmp_path) not in warm["path"]


@pytest.mark.slow  # kernels started from a fresh process: make test runs it, make check does not
def test_processes_forked_after_the_server_started_fork_their_kernels_from_it_and_start_none_of_their_own(tmp_path):
    """A batch's pool: the parent starts the server (``share_with_children``), then each forked process's kernels,
    the first included, are forked from that one server; no process starts a server of its own."""
    done = subprocess.run([sys.executable, "-c", OWNER, str(tmp_path), "pool"], capture_output=True, text=True,
                          timeout=300, env=_owner_env(), cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    parent, *runs = [json.loads(line) for line in done.stdout.splitlines()]
    assert parent["shared"] and parent["server"]
    assert len(runs) == 4 and {run["ppid"] for run in runs} == {parent["server"]}  # each forked by the parent's server
    assert {run["server"] for run in runs} == {None}  # no pool process has a server of its own
    assert len({run["owner"] for run in runs} - {parent["server"]}) >= 1  # ran in the pool, not in the parent
    for run in runs:
        folder = str((tmp_path / f"run{runs.index(run)}").resolve())
        assert (run["cwd"], run["marker"]) == (folder, "from-the-owner")
