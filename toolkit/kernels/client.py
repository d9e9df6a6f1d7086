"""A kernel client that wakes a kernel whose reply is stuck: the toolkit's notebooks never wait on a lost wake-up.

ipykernel 7 moves the shell channel to a thread of its own, and a reply can be left unsent there until the next
message arrives on that channel (upstream, ipython/ipykernel#1554 and #1529 are of this kind). The kernel then sits
idle with the cell done, its output and its "idle" status delivered, and papermill waits for the cell's
``execute_reply`` until the cell's time-out. It happened here in about one test run in five, for five minutes.

:class:`NudgingKernelClient` waits for shell replies in slices of :data:`NUDGE_SECONDS`. After each slice with
nothing, it sends a ``kernel_info_request`` on the same channel: a request every kernel answers at once, which
does nothing but wake the channel, so a stuck reply goes out. Its own replies carry their own message ids, which
the waiting code skips. A long cell only collects a few such requests, answered when it ends.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from traitlets import Type

__all__ = ["NUDGE_SECONDS", "NudgingKernelClient"]

#: How long a wait for a shell reply lasts before the client nudges the kernel.
NUDGE_SECONDS = 10.0


class NudgedShellChannel(AsyncZMQSocketChannel):
    """The shell channel: ``get_msg`` nudges the kernel after every :data:`NUDGE_SECONDS` without a message."""

    # asynchronous, as jupyter_client's own AsyncZMQSocketChannel.get_msg overrides the blocking one
    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:  # type: ignore[override]
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await super().get_msg(timeout=NUDGE_SECONDS if left is None else min(NUDGE_SECONDS, left))
            except Empty:
                if left is not None and left <= NUDGE_SECONDS:
                    raise
                self.send(self.session.msg("kernel_info_request"))


class NudgingKernelClient(AsyncKernelClient):
    """An asynchronous kernel client whose shell channel wakes a kernel that left a reply unsent."""

    shell_channel_class = Type(NudgedShellChannel)
