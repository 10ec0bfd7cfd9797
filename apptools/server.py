"""Start and stop a ``streamlit run`` server on a free loopback port; the browser's settings.

Used by the browser tests (tests/e2e/conftest.py) and the benchmarks (bench/). The server is
stopped by its own PID (terminate, then kill after a timeout), never by name.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

# Debian's chromium driven by the playwright package (never `playwright install`).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STOP_TIMEOUT_S = 10


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float) -> None:
    """Wait until ``url``/_stcore/health (or ``url`` itself for a proxy) answers 200."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with code {process.returncode}")
        for probe in (f"{url}/_stcore/health", url):
            with (
                contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
                urllib.request.urlopen(probe, timeout=2) as response,
            ):
                if response.status == 200:
                    return
        time.sleep(0.1)
    raise RuntimeError(f"{url} was not healthy within {timeout_s:.0f} s")


def stop_process(process: subprocess.Popen[bytes] | None) -> None:
    """Stop a process we started, by its PID: terminate, then kill after a timeout."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_S)


@dataclass
class StreamlitServer:
    """``streamlit run SCRIPT`` in ``cwd`` on a free loopback port, output to ``log``."""

    script: Path
    cwd: Path
    log: Path
    options: list[str] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None
    port: int = 0
    started_at: float = 0.0  # time.perf_counter() at launch
    healthy_at: float = 0.0  # ... when /_stcore/health first answered 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(self.script),
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
            *self.options,
        ]

    def start(self, timeout_s: float = 60) -> StreamlitServer:
        """Launch and wait until the health endpoint answers (or raise, having stopped it)."""
        self.port = free_port()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as out:
            self.started_at = time.perf_counter()
            self.process = subprocess.Popen(
                self.command(), cwd=self.cwd, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {self.process.returncode}; see {self.log}")
            with (
                contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response,
            ):
                if response.status == 200:
                    self.healthy_at = time.perf_counter()
                    return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"streamlit was not healthy within {timeout_s:.0f} s; see {self.log}")

    def stop(self) -> None:
        """Stop the server we started, by its PID: terminate, then kill after a timeout."""
        stop_process(self.process)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def tracebacks(self) -> int:
        """How many tracebacks the server has logged so far."""
        return self.log_text().count("Traceback")
