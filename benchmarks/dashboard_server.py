"""Small helpers the dashboard benchmarks and the browser test share: a free local port
and a health wait."""

from __future__ import annotations

import socket
import time
import urllib.request


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, *, timeout: float, poll: float = 0.1) -> None:
    """Wait until Streamlit's ``/_stcore/health`` at ``url`` answers 200.

    Raises
    ------
    TimeoutError
        When it has not answered within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(poll)
    raise TimeoutError(f"the dashboard did not answer at {url} within {timeout} s")
