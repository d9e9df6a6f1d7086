"""The studio's and the course's kernels: each on local sockets of its own, so kernels started together never collide.

Over TCP a kernel is told free ports and binds them a moment later; when several start at once (every page's
pre-started kernel, then the refills) a port can be taken in between and the kernel dies with "Address already
in use": its page never draws (seen in CI: a served page waited nine minutes). Here six kernels start at the
same moment through Jupyter's own multi-kernel manager configured as the studio server configures it, and every
one must answer, on IPC sockets whose files are its own.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from toolkit.reports.runner import ensure_kernel
from toolkit.studio_server import KERNEL_MANAGER

pytestmark = pytest.mark.skipif(os.name != "posix", reason="IPC sockets exist on macOS and Linux only")


def test_the_kernel_manager_the_server_names_gives_each_kernel_its_own_short_socket_names(tmp_path):
    from traitlets.utils.importstring import import_item

    manager_class = import_item(KERNEL_MANAGER)
    first, second = (manager_class(connection_file=str(tmp_path / f"kernel-{n}.json")) for n in (1, 2))
    assert first.transport == second.transport == "ipc"
    assert first.ip != second.ip and Path(first.ip).parent == tmp_path
    assert len(first.ip) < len(str(tmp_path)) + 12  # socket paths have a length limit (about 100 characters)


def test_six_kernels_started_at_once_all_answer_on_sockets_of_their_own(tmp_path):
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    async def start_all() -> list[dict]:
        manager = AsyncMappingKernelManager(kernel_manager_class=KERNEL_MANAGER, connection_dir=str(tmp_path),
                                            root_dir=str(tmp_path))
        ids = await asyncio.gather(*(manager.start_kernel(kernel_name=ensure_kernel()) for _ in range(6)))
        try:
            answers = []
            for kernel_id in ids:
                client = manager.get_kernel(kernel_id).client()
                client.start_channels()
                try:
                    await client.wait_for_ready(timeout=180)  # a bound on a loaded machine, not a speed assertion
                    reply = await client.kernel_info(reply=True, timeout=60)
                    answers.append({"status": reply["content"]["status"],
                                    **json.loads(Path(manager.get_kernel(kernel_id).connection_file).read_text())})
                finally:
                    client.stop_channels()
            return answers
        finally:
            await manager.shutdown_all(now=True)

    answers = asyncio.run(start_all())
    assert [answer["status"] for answer in answers] == ["ok"] * 6
    assert {answer["transport"] for answer in answers} == {"ipc"}
    sockets = [f"{answer['ip']}-{answer[name]}" for answer in answers
               for name in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
    assert len(set(sockets)) == len(sockets) == 30
